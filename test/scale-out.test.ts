// Scale-out: --jobs gives the same bytes whatever the number of workers, --shard splits whole projects the same way
// everywhere, merge rebuilds the unsharded SARIF, bad inputs exit 2, and a crashed worker loses only its project.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type * as Sarif from 'sarif';
import { scan as engineScan } from '../server/src/engine';
import { mergeProjectResults } from '../server/src/engine/merge-results';
import type { AnalysisResult, Finding } from '../server/src/engine/model';
import { discoverProjects } from '../server/src/engine/program/projects';
import { selectShard, splitIntoProjects, type ProjectShare } from '../server/src/engine/program/project-split';
import { findRepositoryRoot } from '../server/src/engine/report';
import { parseArguments } from '../server/src/cli/arguments';
import { mergeSarifLogs } from '../server/src/cli/merge-sarif';
import { runCli, type ScanFunction } from '../server/src/cli/run';
import { multitoolPath, validateSarif } from './support/multitool';

const repositoryRoot = process.cwd();
const fixture = join('test', 'fixtures', 'scale-out', 'monorepo');
const bundle = join(repositoryRoot, 'dist', 'cli.js');

class MemoryStream {
  text = '';
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

async function cli(argv: string[], options: { scan?: ScanFunction; workerScript?: string } = {}) {
  const stdout = new MemoryStream();
  const stderr = new MemoryStream();
  const io = { stdout, stderr, cwd: repositoryRoot, env: {}, ...(options.workerScript !== undefined && { workerScript: options.workerScript }) };
  const code = await runCli(argv, io, options.scan);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

function spawnCli(args: string[]) {
  return spawnSync(process.execPath, [bundle, ...args], { cwd: repositoryRoot, encoding: 'utf8', timeout: 300_000 });
}

const temporary = mkdtempSync(join(tmpdir(), 'hdl-scale-out-'));
const out = (name: string) => join(temporary, name);

before(() => {
  if (!existsSync(bundle)) spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repositoryRoot, stdio: 'inherit' });
});

describe('--jobs', () => {
  test('SARIF and JSON are byte-identical with 1, 2 and auto workers (fields merged: exported-health-field on)', () => {
    // auto is one worker per CPU: 2 on a two-core machine, more elsewhere; JSON carries the same result as SARIF, so 1 and 2 suffice.
    for (const [format, jobsList] of [['sarif', ['1', '2', 'auto']], ['json', ['1', '2']]] as const) {
      const outputs = jobsList.map((jobs) => {
        const file = out(`jobs-${jobs}.${format}`);
        const run = spawnCli([fixture, '--jobs', jobs, '--format', format, '--rule', 'exported-health-field=information', '--no-progress', '--output-file', file]);
        assert.equal(run.status, 1, run.stderr);
        return readFileSync(file, 'utf8');
      });
      for (const [index, jobs] of jobsList.entries()) assert.equal(outputs[index], outputs[0], `${format}: --jobs ${jobs} differs from --jobs 1`);
    }
    const report = JSON.parse(readFileSync(out('jobs-2.json'), 'utf8'));
    const byFile = report.findings.map((f: { ruleId: string; location: { file: string; line: number } }) => `${f.location.file.split('/').slice(-2).join('/')}:${f.location.line} ${f.ruleId}`);
    assert.deepEqual(byFile, [
      'src/invoices.ts:5 unprotected-export',
      'src/sync.ts:14 log-exposure',
      'src/audit-log.ts:3 log-exposure',
      'src/audit-log.ts:8 exported-health-field',
      'src/alerts.ts:4 client-side-storage',
      'scripts/export-diagnoses.js:4 unprotected-export',
    ]);
    // The shared logging helper is billing's (first in discovery order), as in one scan: triage's path there is dropped.
    const shared = report.findings.find((f: { ruleId: string; location: { file: string } }) => f.ruleId === 'log-exposure' && f.location.file.endsWith('audit-log.ts'));
    assert.match(shared.message, /allergy \(`patient\.allergies`\)/);
    assert.equal(report.projects.length, 4);
    assert.equal(report.skipped.length, 2);
    assert.deepEqual(report.staleRegisterEntries.map((entry: { id: string }) => entry.id), ['retired-survey']);
  });

  test('a worker that crashes loses only its project: a notice, its files listed as not analysed, the other findings kept', async () => {
    // A worker script that dies (an uncaught exception) when it is handed the labs project, and is the real worker otherwise.
    const crashing = out('crashing-worker.js');
    writeFileSync(
      crashing,
      `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (task) => {
  if (String(task.options.discovered.projects[0].configFile).includes('labs')) throw new Error('simulated crash in labs');
});
require(${JSON.stringify(bundle)});
`,
    );
    const run = await cli([fixture, '--jobs', '2', '--format', 'json', '--no-progress'], { workerScript: crashing });
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout);
    const files = report.findings.map((f: { location: { file: string } }) => f.location.file.split('/').pop());
    assert.deepEqual(files, ['invoices.ts', 'audit-log.ts', 'alerts.ts', 'export-diagnoses.js']);
    assert.ok(
      report.notices.some((notice: string) => /project .*packages\/labs\/tsconfig\.json could not be analysed \(the worker stopped: simulated crash in labs\)/.test(notice)),
      report.notices.join('\n'),
    );
    const labs = report.skipped.filter((s: { file: string; reason: string }) => s.reason === 'internal-error').map((s: { file: string }) => s.file.split('/').pop());
    assert.deepEqual(labs.sort(), ['broken.ts', 'sync.ts']);
    // What labs uses of the register is unknown: no entry is called stale on its account.
    assert.equal(report.staleRegisterEntries, undefined);
    assert.match(run.stderr, /could not be analysed/);
  });

  test('a project whose analysis throws on this thread is reported the same way', async () => {
    const throwing: ScanFunction = (options) => {
      if (options.discovered?.projects[0]?.configFile?.includes('triage')) throw new Error('engine failure in triage');
      return engineScan(options);
    };
    const run = await cli([fixture, '--shard', '1/1', '--format', 'json', '--no-progress'], { scan: throwing });
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.ok(report.notices.some((notice: string) => notice.includes('packages/triage/tsconfig.json could not be analysed (engine failure in triage)')));
    assert.equal(report.findings.length, 4);
    assert.ok(!report.findings.some((f: { location: { file: string } }) => f.location.file.includes('triage')));
  });
});

describe('merging project results', () => {
  test('the same sink from two projects keeps the first project\'s finding, and says it came from that project', () => {
    const at = (file: string, line: number) => ({ file, line, column: 3, endLine: line, endColumn: 9 });
    const finding = (message: string, line = 7): Finding => ({
      ruleId: 'log-exposure',
      severity: 'error',
      message,
      location: at('/repo/packages/shared/src/audit.ts', line),
      flows: [],
      related: [],
      categories: ['diagnosis'],
      fingerprint: message,
    });
    const part = (findings: Finding[], configFile: string): AnalysisResult => ({
      findings,
      skipped: [],
      projects: [{ configFile, root: '/repo', files: 1, typesMissing: false }],
      notices: ['Some imported packages have no type declarations installed'],
      flows: [],
      fields: [],
    });
    const first = finding('from project 0');
    const later = finding('from project 2');
    const merged = mergeProjectResults(
      [
        // Given out of order, as workers finish: the merge follows discovery order.
        { project: 2, result: part([later, finding('only in project 2', 3)], '/repo/c/tsconfig.json') },
        { project: 0, result: part([first], '/repo/a/tsconfig.json') },
      ],
      { paths: [], config: {} },
      '/repo',
    );
    assert.deepEqual(merged.result.findings.map((f) => f.message), ['only in project 2', 'from project 0']);
    assert.equal(merged.findingProjects.get(first), 0);
    assert.equal(merged.findingProjects.has(later), false);
    assert.deepEqual(merged.projectIndexes, [0, 2]);
    assert.deepEqual(merged.result.notices, ['Some imported packages have no type declarations installed']);
  });
});

describe('--shard', () => {
  const discover = (directory: string) => {
    const discovered = discoverProjects([directory]);
    return splitIntoProjects(discovered, findRepositoryRoot(directory));
  };
  const shardsOf = (shares: ProjectShare[], count: number) => Array.from({ length: count }, (_, i) => selectShard(shares, { index: i + 1, count }));

  test('every project in exactly one shard, in discovery order, balanced by files, the same from any checkout path', () => {
    const shares = discover(join(repositoryRoot, fixture));
    assert.deepEqual(
      shares.map((share) => [share.name.replace(`${fixture}/`, ''), share.files.length, share.excludeFiles.length]),
      [
        ['packages/billing/tsconfig.json', 3, 0],
        ['packages/labs/tsconfig.json', 2, 0],
        // The shared audit log is billing's: triage leaves it out.
        ['packages/triage/tsconfig.json', 4, 1],
        ['*', 1, 0],
      ],
    );
    for (let count = 1; count <= 6; count++) {
      const shards = shardsOf(shares, count);
      const indexes = shards.flatMap((shard) => shard.map((share) => share.index));
      assert.deepEqual([...indexes].sort(), shares.map((share) => share.index), `${count} shards: each project once`);
      for (const shard of shards) assert.deepEqual(shard.map((s) => s.index), [...shard.map((s) => s.index)].sort(), 'discovery order kept');
      assert.deepEqual(shardsOf(shares, count), shards, 'the same split every time');
    }
    assert.deepEqual(shardsOf(shares, 2).map((shard) => shard.map((share) => share.name.replace(`${fixture}/`, ''))), [
      ['packages/triage/tsconfig.json', '*'],
      ['packages/billing/tsconfig.json', 'packages/labs/tsconfig.json'],
    ]);
    // Two machines check the repository out at different paths: the same names (relative to the repository), the same shards.
    const checkouts = ['one', 'two'].map((name) => {
      const checkout = join(mkdtempSync(join(tmpdir(), `hdl-scale-out-${name}-`)), 'deep', 'repo');
      cpSync(join(repositoryRoot, fixture), checkout, { recursive: true });
      mkdirSync(join(checkout, '.git'));
      return discover(checkout);
    });
    for (let count = 1; count <= 4; count++) {
      const names = (shards: ProjectShare[][]) => shards.map((shard) => shard.map((share) => share.name));
      assert.deepEqual(names(shardsOf(checkouts[1], count)), names(shardsOf(checkouts[0], count)));
    }
    assert.deepEqual(checkouts[0].map((share) => share.name), ['packages/billing/tsconfig.json', 'packages/labs/tsconfig.json', 'packages/triage/tsconfig.json', './*']);
  });

  test('greedy by size: no shard is heavier than the lightest plus the largest project', () => {
    const sizes = [40, 3, 17, 17, 8, 1, 25, 9, 12, 5];
    const shares: ProjectShare[] = sizes.map((size, index) => ({
      index,
      project: { rootNames: [], options: {} },
      name: `packages/p${index}/tsconfig.json`,
      excludeFiles: [],
      files: Array.from({ length: size }, (_, i) => `/f${index}-${i}.ts`),
    }));
    for (const count of [2, 3, 4]) {
      const loads = shardsOf(shares, count).map((shard) => shard.reduce((sum, share) => sum + share.files.length, 0));
      assert.equal(loads.reduce((a, b) => a + b, 0), sizes.reduce((a, b) => a + b, 0));
      assert.ok(Math.max(...loads) - Math.min(...loads) <= Math.max(...sizes), `${count} shards: ${loads.join(', ')}`);
    }
  });
});

describe('merge', () => {
  test('merging the shards gives the unsharded SARIF byte for byte, whatever the number of shards and the file order', async () => {
    const unsharded = out('unsharded.sarif');
    assert.equal((await cli([fixture, '--format', 'sarif', '--no-progress', '--output-file', unsharded])).code, 1);
    const expected = readFileSync(unsharded, 'utf8');
    for (const count of [2, 3, 5]) {
      const shards: string[] = [];
      for (let index = 1; index <= count; index++) {
        const file = out(`shard-${index}-of-${count}.sarif`);
        const run = await cli([fixture, '--shard', `${index}/${count}`, '--format', 'sarif', '--no-progress', '--output-file', file]);
        assert.ok(run.code === 0 || run.code === 1, run.stderr);
        assert.match(run.stderr, new RegExp(`Shard ${index}/${count}: `));
        shards.push(file);
      }
      const merged = out(`merged-${count}.sarif`);
      const run = await cli(['merge', ...shards.reverse(), '--output-file', merged]);
      assert.equal(run.code, 1, run.stderr);
      assert.equal(readFileSync(merged, 'utf8'), expected, `${count} shards`);
    }
    // The two-shard split puts triage (which also reaches the shared helper's sink) first: the merge keeps billing's finding.
    const first = JSON.parse(readFileSync(out('shard-1-of-2.sarif'), 'utf8')) as Sarif.Log;
    const sharedInShard1 = first.runs[0].results!.find((r) => r.locations![0].physicalLocation!.artifactLocation!.uri!.endsWith('audit-log.ts'));
    assert.match(sharedInShard1!.message.text!, /diagnosis \(`patient\.diagnosis`\)/);
    assert.match(expected, /allergy \(`patient\.allergies`\) is written to logs/);
  });

  test('a shard with no project writes an empty, valid SARIF and exits 0', async (t) => {
    const file = out('empty-shard.sarif');
    const run = await cli([fixture, '--shard', '5/5', '--format', 'sarif', '--no-progress', '--output-file', file]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /Shard 5\/5: 0 tsconfig projects of 4 \(0 files\); nothing to analyse/);
    const log = JSON.parse(readFileSync(file, 'utf8')) as Sarif.Log;
    assert.deepEqual(log.runs[0].results, []);
    assert.deepEqual(log.runs[0].properties?.['healthDataLint.shard'], { index: 5, count: 5, projects: [] });
    if (!existsSync(multitoolPath)) return t.skip('SARIF multitool not installed');
    assert.deepEqual(validateSarif(file, out('empty-shard.validation.sarif')).problems, []);
    assert.deepEqual(validateSarif(out('merged-3.sarif'), out('merged-3.validation.sarif')).problems, []);
  });

  test('another tool: one run, duplicates dropped, artifacts renumbered, absent results only when absent everywhere', () => {
    const run = (uris: string[], results: Sarif.Result[]): Sarif.Log => ({
      version: '2.1.0',
      runs: [{ tool: { driver: { name: 'other-linter', version: '1.0.0', rules: [{ id: 'r1' }, { id: 'r2' }] } }, artifacts: uris.map((uri) => ({ location: { uri } })), results }],
    });
    const at = (index: number, line: number) => [{ physicalLocation: { artifactLocation: { index }, region: { startLine: line } } }];
    const a = run(['b.ts', 'a.ts'], [
      { ruleId: 'r2', ruleIndex: 1, message: { text: 'in b' }, locations: at(0, 3), partialFingerprints: { k: '1' } },
      { ruleId: 'r1', ruleIndex: 0, message: { text: 'gone' }, baselineState: 'absent', partialFingerprints: { k: 'x' } },
      { ruleId: 'r1', ruleIndex: 0, message: { text: 'gone too' }, baselineState: 'absent', partialFingerprints: { k: 'y' } },
    ]);
    const b = run(['a.ts', 'b.ts'], [
      { ruleId: 'r1', ruleIndex: 0, message: { text: 'in a' }, locations: at(0, 1), partialFingerprints: { k: '2' } },
      { ruleId: 'r2', ruleIndex: 1, message: { text: 'in b' }, locations: at(1, 3), partialFingerprints: { k: '1' } },
      { ruleId: 'r1', ruleIndex: 0, message: { text: 'gone' }, baselineState: 'absent', partialFingerprints: { k: 'x' } },
    ]);
    const { log } = mergeSarifLogs([
      { name: 'a.sarif', log: a },
      { name: 'b.sarif', log: b },
    ]);
    assert.equal(log.runs.length, 1);
    const merged = log.runs[0];
    assert.deepEqual(merged.artifacts!.map((artifact) => artifact.location!.uri), ['a.ts', 'b.ts']);
    assert.deepEqual(
      merged.results!.map((r) => [r.message.text, r.locations?.[0]?.physicalLocation?.artifactLocation?.index ?? null]),
      [
        ['in a', 0],
        ['in b', 1],
        ['gone', null],
      ],
    );
  });

  test('unreadable, non-SARIF and mismatched inputs exit 2 and name the file and the problem', async () => {
    const write = (name: string, text: string) => {
      writeFileSync(out(name), text);
      return out(name);
    };
    const shard = (index: number, count: number) =>
      write(
        `fake-${index}-of-${count}.sarif`,
        JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'health-data-lint', version: '0.1.0' } }, results: [], properties: { 'healthDataLint.shard': { index, count, projects: [] } } }] }),
      );
    const cases: [string[], RegExp][] = [
      [[out('does-not-exist.sarif')], /does-not-exist\.sarif: file not found/],
      [[temporary], /expected a SARIF file, got a directory/],
      [[write('broken.sarif', '{"version": "2.1.0", "runs": [')], /broken\.sarif: not a SARIF file: invalid JSON/],
      [[write('old.sarif', '{"version": "2.0.0", "runs": []}')], /old\.sarif: not a SARIF 2\.1\.0 log \("version" is "2\.0\.0"\)/],
      [[write('array.json', '[1, 2]')], /array\.json: not a SARIF 2\.1\.0 log \(the file holds no JSON object\)/],
      [[write('no-tool.sarif', '{"version": "2.1.0", "runs": [{"results": []}]}')], /no-tool\.sarif: not a SARIF 2\.1\.0 log \(runs\[0\]\.tool\.driver\.name is missing\)/],
      [[shard(1, 3), shard(3, 3)], /shard 2\/3 missing/],
      [[shard(1, 2), shard(1, 2)], /shard 1\/2 is given twice/],
      [[shard(1, 2), shard(2, 3)], /different splits/],
    ];
    for (const [files, message] of cases) {
      const run = await cli(['merge', ...files]);
      assert.equal(run.code, 2, `${files.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message);
      assert.equal(run.stdout, '');
    }
  });

  test('options: --jobs and --shard values, and what merge and --shard refuse', async () => {
    assert.equal((parseArguments(['--jobs', '3']) as { options: { jobs: number } }).options.jobs, 3);
    assert.equal((parseArguments(['--jobs', '0']) as { options: { jobs: string } }).options.jobs, 'auto');
    assert.equal((parseArguments(['--jobs=auto']) as { options: { jobs: string } }).options.jobs, 'auto');
    assert.deepEqual((parseArguments(['--shard', '2/4']) as { options: { shard: unknown } }).options.shard, { index: 2, count: 4 });
    assert.deepEqual(parseArguments(['merge', 'a.sarif', 'b.sarif', '--output-file', 'all.sarif']), { kind: 'merge', files: ['a.sarif', 'b.sarif'], outputFile: 'all.sarif' });
    const refused: [string[], RegExp][] = [
      [['--jobs', '-1'], /--jobs needs a value|--jobs must be/],
      [['--jobs', 'many'], /--jobs must be a whole number/],
      [['--shard', '0/2'], /--shard expects <i>\/<n>/],
      [['--shard', '3/2'], /--shard expects <i>\/<n>/],
      [['--shard', '1'], /--shard expects <i>\/<n>/],
      [['--shard', '1/2', '--write-baseline', 'b.json'], /cannot be combined with --shard/],
      [['inventory', '--shard', '1/2'], /--shard applies to scans/],
      [['merge'], /merge needs the SARIF files/],
      [['merge', 'a.sarif', '--format', 'json'], /merge takes SARIF files and --output-file only \(got --format\)/],
    ];
    for (const [argv, message] of refused) {
      const run = await cli(argv);
      assert.equal(run.code, 2, argv.join(' '));
      assert.match(run.stderr, message);
    }
  });
});
