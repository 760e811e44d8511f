// --changed-since: fixture repositories changed in temporary git repositories report exactly the findings the change
// adds (renames and moves add nothing), git never runs anything the repository configures, and bad refs exit 2.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { runCli } from '../server/src/cli/run';
import { parseUnifiedDiff, unquoteGitPath } from '../server/src/engine/review/changed-lines';
import { findGitExecutable } from '../server/src/engine/review/git';

const packageRoot = process.cwd();

class MemoryStream {
  text = '';
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

interface JsonFinding {
  ruleId: string;
  location: { file: string; line: number };
}

async function cli(argv: string[], cwd: string, env: Record<string, string | undefined> = process.env) {
  const stdout = new MemoryStream();
  const stderr = new MemoryStream();
  const exitCode = await runCli([...argv, '--no-progress'], { stdout, stderr, cwd, env });
  return { exitCode, stdout: stdout.text, stderr: stderr.text };
}

async function changedFindings(repository: string, ref: string, env?: Record<string, string | undefined>) {
  const run = await cli(['.', '--format', 'json', '--changed-since', ref], repository, env);
  assert.ok(run.exitCode === 0 || run.exitCode === 1, `exit ${run.exitCode}: ${run.stderr}`);
  const report = JSON.parse(run.stdout) as { findings: JsonFinding[]; notices: string[] };
  const findings = report.findings.map((f) => `${f.ruleId} ${f.location.file.slice(repository.length + 1)}:${f.location.line}`);
  return { findings, notices: report.notices, exitCode: run.exitCode, stderr: run.stderr };
}

function git(repository: string, ...args: string[]): string {
  const run = spawnSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.org', '-c', 'commit.gpgsign=false', ...args], {
    cwd: repository,
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, `git ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

function repositoryWith(files: Record<string, string>): string {
  const repository = mkdtempSync(join(tmpdir(), 'hdl-changed-'));
  for (const [name, text] of Object.entries(files)) write(repository, name, text);
  git(repository, 'init', '--quiet');
  git(repository, 'add', '--all');
  git(repository, 'commit', '--quiet', '--message', 'base');
  return repository;
}

function write(repository: string, name: string, text: string): void {
  mkdirSync(dirname(join(repository, name)), { recursive: true });
  writeFileSync(join(repository, name), text);
}

function edit(repository: string, name: string, from: string, to: string): void {
  const text = readFileSync(join(repository, name), 'utf8');
  assert.ok(text.includes(from), `${name} contains ${JSON.stringify(from)}`);
  writeFileSync(join(repository, name), text.replace(from, to));
}

const TSCONFIG = JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', lib: ['ES2022', 'DOM'] }, include: ['src'] });
const VISITS = [
  'interface Consultation { id: string; diagnosis: string; prescription: string }',
  '',
  'export function logConsultation(consultation: Consultation): void {',
  '  const reason = consultation.diagnosis;',
  "  console.log('consultation', reason);",
  '}',
  '',
  'export function cacheVisit(consultation: Consultation): void {',
  "  localStorage.setItem('last-visit', consultation.prescription);",
  '}',
  '',
].join('\n');

describe('--changed-since on a copy of examples/clinic-api', () => {
  test('reports exactly the finding the change adds: renamed, moved and re-commented files add nothing', async () => {
    const repository = mkdtempSync(join(tmpdir(), 'hdl-changed-clinic-'));
    cpSync(join(packageRoot, 'examples', 'clinic-api'), repository, { recursive: true });
    git(repository, 'init', '--quiet');
    git(repository, 'add', '--all');
    git(repository, 'commit', '--quiet', '--message', 'clinic-api as released');

    // The new finding: the observations are logged before they are returned.
    edit(
      repository,
      'src/routes/observations.ts',
      '    // expect: unprotected-export\n    res.json(toSearchset(observations));',
      "    console.info('observations loaded', observations);\n    // expect: unprotected-export\n    res.json(toSearchset(observations));",
    );
    // A staged rename of a file with a finding, unchanged.
    git(repository, 'mv', 'web/patient-cache.ts', 'web/offline-cache.ts');
    // A plain move (not staged: deleted + untracked) of a file with a finding, and the import that follows it.
    renameSync(join(repository, 'src/seed/dev-patients.ts'), join(repository, 'src/seed/demo-patients.ts'));
    edit(repository, 'src/worker.ts', "'./seed/dev-patients'", "'./seed/demo-patients'");
    // An edit far from the finding in the same file.
    edit(repository, 'src/lib/logger.ts', '// Application logger: JSON lines on stdout', '// Application logger (JSON lines on stdout)');

    const outcome = await changedFindings(repository, 'HEAD');
    assert.deepEqual(outcome.findings, ['log-exposure src/routes/observations.ts:39']);
    assert.equal(outcome.exitCode, 1, 'the new finding is an error');
    assert.ok(
      outcome.notices.some((notice) => /^Only findings on lines changed since HEAD \([0-9a-f]{12}\) are reported: 9 findings elsewhere left out\.$/.test(notice)),
      `the notice counts the example's nine findings as left out: ${outcome.notices.join(' | ')}`,
    );
  });
});

describe('--changed-since on a small repository', () => {
  test('a changed source, a committed change and untracked and staged new files count; the rest does not', async () => {
    const repository = repositoryWith({ 'tsconfig.json': TSCONFIG, 'src/visits.ts': VISITS, 'src/billing.ts': 'export const currency = "EUR";\n' });
    assert.deepEqual((await changedFindings(repository, 'HEAD')).findings, [], 'nothing changed: nothing reported');

    // Only the source line changes: the sink on the next line is reported through its source.
    edit(repository, 'src/visits.ts', 'const reason = consultation.diagnosis;', 'const reason = consultation.diagnosis.trim();');
    assert.deepEqual((await changedFindings(repository, 'HEAD')).findings, ['log-exposure src/visits.ts:5']);

    // Committed, then compared with the commit before: still a change since that ref.
    git(repository, 'commit', '--quiet', '--all', '--message', 'trim the reason');
    assert.deepEqual((await changedFindings(repository, 'HEAD')).findings, [], 'committed changes are not changes since HEAD');
    assert.deepEqual((await changedFindings(repository, 'HEAD~1')).findings, ['log-exposure src/visits.ts:5']);

    // New files, untracked and staged; an ignored one does not count.
    const leak = 'export function share(visit: { diagnosis: string }): void {\n  console.warn(visit.diagnosis);\n}\n';
    write(repository, 'src/untracked.ts', leak);
    write(repository, 'src/staged.ts', leak);
    git(repository, 'add', 'src/staged.ts');
    write(repository, '.gitignore', 'src/generated/\n');
    write(repository, 'src/generated/ignored.ts', leak);
    const outcome = await changedFindings(repository, 'HEAD');
    assert.deepEqual(outcome.findings, ['log-exposure src/staged.ts:2', 'log-exposure src/untracked.ts:2']);
    assert.ok(outcome.notices.some((notice) => notice.includes('3 findings elsewhere left out')), outcome.notices.join(' | '));
  });

  test('git runs nothing the repository configures: fsmonitor, filters, textconv, external diff, a git on a relative PATH', async () => {
    const repository = repositoryWith({ 'tsconfig.json': TSCONFIG, 'src/visits.ts': VISITS, '.gitattributes': '*.ts filter=evil diff=evil\n' });
    const marker = join(repository, '..', `${repository.split('/').pop()}-executed`);
    const script = join(repository, 'hostile.sh');
    writeFileSync(script, `#!/bin/sh\necho "$0 $*" >> '${marker}'\ncat\n`);
    chmodSync(script, 0o755);
    git(repository, 'config', 'core.fsmonitor', script);
    git(repository, 'config', 'filter.evil.clean', script);
    git(repository, 'config', 'filter.evil.smudge', script);
    git(repository, 'config', 'filter.evil.required', 'true');
    git(repository, 'config', 'diff.evil.textconv', script);
    git(repository, 'config', 'diff.evil.command', script);
    git(repository, 'config', 'diff.external', script);
    git(repository, 'config', 'core.pager', script);
    // A `git` in the workspace, reachable through a relative PATH entry.
    writeFileSync(join(repository, 'git'), `#!/bin/sh\necho "fake git $*" >> '${marker}'\nexit 1\n`);
    chmodSync(join(repository, 'git'), 0o755);
    edit(repository, 'src/visits.ts', "console.log('consultation', reason);", "console.log('consultation:', reason);");

    const outcome = await changedFindings(repository, 'HEAD', { ...process.env, PATH: `.:${process.env.PATH ?? ''}` });
    assert.deepEqual(outcome.findings, ['log-exposure src/visits.ts:5']);
    assert.equal(existsSync(marker), false, `something configured by the repository ran: ${existsSync(marker) ? readFileSync(marker, 'utf8') : ''}`);
  });

  test('an unknown ref and a folder outside git are usage errors (exit 2) that say so, before any scan', async () => {
    const repository = repositoryWith({ 'tsconfig.json': TSCONFIG, 'src/visits.ts': VISITS });
    const unknown = await cli(['.', '--changed-since', 'no-such-branch'], repository);
    assert.equal(unknown.exitCode, 2);
    assert.match(unknown.stderr, /--changed-since no-such-branch: unknown git ref "no-such-branch"/);
    assert.equal(unknown.stdout, '', 'no report');

    const option = await cli(['.', '--changed-since=--output=/tmp/x'], repository);
    assert.equal(option.exitCode, 2);
    assert.match(option.stderr, /unknown git ref "--output=\/tmp\/x"/, 'a ref that looks like an option is never passed to git as one');

    const outside = mkdtempSync(join(tmpdir(), 'hdl-not-git-'));
    write(outside, 'src/visits.ts', VISITS);
    const notGit = await cli(['.', '--changed-since', 'main'], outside);
    assert.equal(notGit.exitCode, 2);
    assert.match(notGit.stderr, /--changed-since main: .* is not in a git work tree \(not a git repository/);
  });
});

describe('reading git output', () => {
  test('hunks: added and modified lines of the new side; deletions, context and "+++" inside a hunk are handled', () => {
    const diff = [
      'diff --git a/src/a.ts b/src/a.ts',
      'index 1111111..2222222 100644',
      '--- a/src/a.ts',
      '+++ b/src/a.ts',
      '@@ -3 +3 @@ function a() {',
      '-  old();',
      '+  renewed();',
      '@@ -10,2 +9,0 @@',
      '-  gone();',
      '-  gone too();',
      '@@ -20,0 +20,3 @@',
      '++++ an added line that starts with "+++ "',
      '+second',
      '+third',
      '\\ No newline at end of file',
      'diff --git a/old.ts b/new name.ts',
      'similarity index 90%',
      'rename from old.ts',
      'rename to new name.ts',
      '--- a/old.ts',
      '+++ b/new name.ts\t',
      '@@ -1,3 +1,4 @@',
      ' context',
      '-removed',
      '+added',
      '+added again',
      ' context',
      'diff --git a/deleted.ts b/deleted.ts',
      'deleted file mode 100644',
      '--- a/deleted.ts',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-bye',
      'diff --git "a/caf\\303\\251 \\"x\\".ts" "b/caf\\303\\251 \\"x\\".ts"',
      '--- "a/caf\\303\\251 \\"x\\".ts"',
      '+++ "b/caf\\303\\251 \\"x\\".ts"',
      '@@ -0,0 +1 @@',
      '+new',
      '',
    ].join('\n');
    const files = parseUnifiedDiff(diff);
    assert.deepEqual(
      Object.fromEntries([...files].map(([file, lines]) => [file, [...lines].sort((a, b) => a - b)])),
      { 'src/a.ts': [3, 20, 21, 22], 'new name.ts': [2, 3], 'café "x".ts': [1] },
    );
  });

  test('C-quoted paths are decoded to UTF-8; plain paths are left alone', () => {
    assert.equal(unquoteGitPath('"b/tab\\there\\\\.ts"'), 'b/tab\there\\.ts');
    assert.equal(unquoteGitPath('"b/r\\303\\251sum\\303\\251.ts"'), 'b/résumé.ts');
    assert.equal(unquoteGitPath('b/plain name.ts'), 'b/plain name.ts');
  });

  test('git is looked up only in absolute PATH directories outside the workspace', () => {
    const workspace = mkdtempSync(join(tmpdir(), 'hdl-path-'));
    const inside = join(workspace, 'bin');
    mkdirSync(inside);
    writeFileSync(join(inside, 'git'), '#!/bin/sh\n');
    chmodSync(join(inside, 'git'), 0o755);
    const real = findGitExecutable(process.env.PATH ?? '', workspace);
    assert.ok(real && !real.startsWith(workspace), 'the real git is found');
    assert.equal(findGitExecutable(`${inside}:bin:.`, workspace), undefined);
    assert.equal(findGitExecutable(`bin:${process.env.PATH ?? ''}`, workspace), real);
  });
});
