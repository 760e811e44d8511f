// The draft record of processing (`--format register`) and the register's reverse check (stale entries): the draft of
// examples/clinic-api matches its golden file and loads with only the empty legalBasis lists left to fill; filled in
// and merged into the register, it covers exactly the export and third-party gaps it lists; an entry no code uses is
// a warning on stderr, in JSON and in SARIF, and never changes the exit code.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Ajv from 'ajv';
import { parseDocument } from 'yaml';
import { loadRegister } from '../server/src/engine/legal/register';
import outputSchema from '../schemas/output.schema.json';
import { readExpectations } from './support/fixtures';

const packageRoot = process.cwd();
const example = join(packageRoot, 'examples', 'clinic-api');
const golden = join(packageRoot, 'test', 'golden', 'clinic-api.register.yaml');
/** Under the package, so the copies resolve @types/node from its node_modules like the example does. */
const scratchRoot = join(packageRoot, 'test-output');
const FILLED_BASIS = 'legalBasis: [gdpr-6-1-e, gdpr-9-2-h]';

function cli(args: string[], cwd = packageRoot): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [join(packageRoot, 'dist', 'cli.js'), ...args, '--no-progress'], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function scratch(prefix: string): string {
  mkdirSync(scratchRoot, { recursive: true });
  return mkdtempSync(join(scratchRoot, prefix));
}

describe('the draft register of examples/clinic-api', () => {
  let draft: string;
  const copies: string[] = [];

  before(() => {
    const run = cli([example, '--format', 'register']);
    assert.equal(run.status, 1, `the exit code still reflects the findings (stderr: ${run.stderr})`);
    draft = run.stdout;
  });

  after(() => {
    for (const copy of copies) rmSync(copy, { recursive: true, force: true });
  });

  test('matches the golden file', () => {
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, draft);
    assert.ok(existsSync(golden), 'test/golden/clinic-api.register.yaml is missing: run `UPDATE_GOLDEN=1 npm test` once and review it');
    assert.equal(draft, readFileSync(golden, 'utf8'), 'the draft differs from test/golden/clinic-api.register.yaml (review, then UPDATE_GOLDEN=1 npm test)');
  });

  test('loads with the register loader; the only problems are the legal bases left for the officer', () => {
    const { register, problems } = loadRegister(join(example, 'health-data-register.draft.yaml'), draft);
    const todo = register.processings.filter((entry) => entry.legalBasis.length === 0).map((entry) => entry.id);
    assert.ok(todo.length >= 4, `entries to complete: ${todo.join(', ')}`);
    assert.deepEqual(
      problems.map((problem) => `${problem.path}: ${problem.message}`),
      todo.map((_, index) => `processings[${register.processings.findIndex((entry) => entry.id === todo[index])}].legalBasis: legalBasis must list at least one legal basis id, e.g. [gdpr-6-1-e, gdpr-9-2-h]`),
    );
    const existing = new Set(['care-api', 'diabetes-cohort', 'nightly-research-export']);
    assert.ok(register.processings.every((entry) => !existing.has(entry.id)), 'entries of the existing register are not repeated');
    assert.equal(new Set(register.processings.map((entry) => entry.id)).size, register.processings.length, 'ids are unique');
  });

  test('lists each export and third-party gap once, with its recipient, categories and code; never logs or the browser', () => {
    const { register } = loadRegister(join(example, 'health-data-register.draft.yaml'), draft);
    const byApplies = (fragment: string) => register.processings.find((entry) => entry.appliesTo.some((item) => item.includes(fragment)) && entry.recipients?.length);
    const sentry = register.processings.find((entry) => entry.recipients?.includes('sentry'));
    assert.deepEqual(sentry?.appliesTo, ['src/routes/observations.ts']);
    assert.deepEqual(sentry?.dataCategories, ['diagnosis', 'condition']);
    const api = register.processings.find((entry) => entry.recipients?.length === 0 && entry.appliesTo.includes('src/routes/observations.ts'));
    assert.deepEqual(api?.dataCategories, ['lab-result', 'vital-sign'], 'the observations route returns lab results and vital signs');
    assert.deepEqual(byApplies('insurer-statement')?.recipients, ['api.mutuelle-partenaire.example']);
    assert.ok(register.processings.some((entry) => entry.appliesTo.includes('src/exports/quality-registry-export.ts#exportQualityRegistry')));
    // Covered in the code by @legalBasis: prefilled from it, so it loads without a problem.
    assert.deepEqual(byApplies('referral')?.legalBasis, ['gdpr-6-1-e', 'gdpr-9-2-h']);
    assert.ok(register.processings.every((entry) => !entry.appliesTo.some((item) => /logger|patient-cache/.test(item))), 'no entry for logs or the browser');
    assert.match(draft, /# Not listed: 1 path\(s\) to logs and 1 to the browser/);
    assert.match(draft, /# {3}nightly-research-export \(line 19\): TODO: judged insufficient at src\/clients\/partner-client\.ts:23/);
    const document = parseDocument(draft);
    assert.equal(document.errors.length, 0);
    assert.equal(document.get('jurisdictions'), undefined, 'the existing register keeps its jurisdictions');
  });

  test('filled in and merged into the register, it covers exactly the gaps it lists', () => {
    const copy = scratch('draft-merge-');
    copies.push(copy);
    cpSync(example, copy, { recursive: true });
    const filled = draft.replaceAll('legalBasis: []', FILLED_BASIS).replaceAll('purpose: "TODO: why', 'purpose: "Why');
    const entries = filled.slice(filled.indexOf('processings:\n') + 'processings:\n'.length);
    const registerFile = join(copy, 'health-data-register.yaml');
    writeFileSync(registerFile, `${readFileSync(registerFile, 'utf8').trimEnd()}\n\n${entries}`);

    const run = cli([copy, '--format', 'json']);
    assert.equal(run.status, 1, run.stderr);
    const report = JSON.parse(run.stdout) as { findings: { ruleId: string; location: { file: string; line: number } }[] };
    const remaining = report.findings.map((finding) => `${finding.ruleId} ${finding.location.file.slice(copy.length + 1)}:${finding.location.line}`).sort();
    const covered = new Set([
      'unprotected-export src/routes/observations.ts:40',
      'third-party-disclosure src/routes/observations.ts:43',
      'pseudonymised-export src/exports/quality-registry-export.ts:25',
      'insufficient-legal-basis src/exports/insurer-statement.ts:28',
    ]);
    const expected = readExpectations(example)
      .map((expectation) => `${expectation.ruleId} ${expectation.file}:${expectation.line}`)
      .filter((finding) => !covered.has(finding))
      .sort();
    assert.deepEqual(remaining, expected, 'logs, browser, the anonymiser, the literal and the nightly export remain');
    assert.doesNotMatch(run.stderr, /matches no analysed code/, 'none of the drafted entries is stale');
  });
});

describe('stale register entries (the reverse check)', () => {
  let project: string;

  before(() => {
    project = scratch('stale-');
    mkdirSync(join(project, 'src'));
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'commonjs', target: 'es2022', types: ['node'] }, include: ['src'] }));
    writeFileSync(
      join(project, 'src', 'export.ts'),
      [
        "import { writeFileSync } from 'node:fs';",
        '',
        'export interface Visit {',
        '  patientId: string;',
        '  diagnosis: string;',
        '}',
        '',
        'export function exportVisits(visits: Visit[]): void {',
        "  writeFileSync('visits.csv', visits.map((visit) => visit.diagnosis).join('\\n'));",
        '}',
        '',
        '/** @processing manual-review */',
        'export function countVisits(visits: Visit[]): number {',
        '  return visits.length;',
        '}',
        '',
      ].join('\n'),
    );
  });

  after(() => rmSync(project, { recursive: true, force: true }));

  test('without a register, the draft declares the jurisdictions and one entry that loads once its basis is filled', () => {
    const run = cli([project, '--format', 'register']);
    assert.equal(run.status, 1, run.stderr);
    const { register, problems } = loadRegister(join(project, 'health-data-register.yaml'), run.stdout);
    assert.deepEqual(register.jurisdictions, ['EU']);
    assert.deepEqual(
      register.processings.map((entry) => ({ id: entry.id, appliesTo: entry.appliesTo, recipients: entry.recipients, dataCategories: entry.dataCategories })),
      [{ id: 'files-export', appliesTo: ['src/export.ts#exportVisits'], recipients: [], dataCategories: ['diagnosis'] }],
    );
    assert.deepEqual(problems.map((problem) => problem.path), ['processings[0].legalBasis']);
    assert.deepEqual(loadRegister(join(project, 'health-data-register.yaml'), run.stdout.replaceAll('legalBasis: []', FILLED_BASIS)).problems, []);
  });

  test('an entry that matches no code is a warning naming the register, its line and its id, in every output', () => {
    const draft = cli([project, '--format', 'register']).stdout.replaceAll('legalBasis: []', FILLED_BASIS);
    const register = [
      draft.trimEnd(),
      '',
      '  - id: manual-review', // used only through @processing: not stale
      '    purpose: Manual review of visits',
      '    legalBasis: [gdpr-6-1-e, gdpr-9-2-h]',
      '',
      '  - id: legacy-export', // its code is gone
      '    purpose: Export of the old system',
      '    legalBasis: [gdpr-6-1-e, gdpr-9-2-h]',
      '    appliesTo: ["src/legacy/**", "src/export.ts#exportLegacy"]',
      '',
    ].join('\n');
    writeFileSync(join(project, 'health-data-register.yaml'), register);
    const staleLine = register.split('\n').findIndex((line) => line === '  - id: legacy-export') + 1;

    const stylish = cli([project]);
    assert.equal(stylish.status, 0, `the draft's entry covers the export, and a stale entry does not fail the run:\n${stylish.stdout}${stylish.stderr}`);
    const warnings = stylish.stderr.split('\n').filter((line) => line.startsWith('warning:'));
    assert.equal(warnings.length, 1, stylish.stderr);
    assert.match(warnings[0]!, new RegExp(`^warning: register entry "legacy-export" \\(health-data-register\\.yaml:${staleLine}\\) matches no analysed code`));
    assert.match(warnings[0]!, /src\/legacy\/\*\*, src\/export\.ts#exportLegacy/);

    const json = cli([project, '--format', 'json']);
    const report = JSON.parse(json.stdout) as { staleRegisterEntries?: { id: string; location: { file: string; line: number } }[] };
    const validate = new Ajv({ allErrors: true, strict: false }).compile(outputSchema);
    assert.ok(validate(report), JSON.stringify(validate.errors));
    assert.deepEqual(
      report.staleRegisterEntries?.map((entry) => [entry.id, entry.location.file, entry.location.line]),
      [['legacy-export', join(project, 'health-data-register.yaml'), staleLine]],
    );

    const sarif = JSON.parse(cli([project, '--format', 'sarif']).stdout) as {
      runs: { invocations: { toolExecutionNotifications?: { level: string; descriptor?: { id: string }; locations?: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] }[];
    };
    const notifications = sarif.runs[0]!.invocations[0]!.toolExecutionNotifications ?? [];
    const stale = notifications.filter((notification) => notification.descriptor?.id === 'stale-register-entry');
    assert.equal(stale.length, 1);
    assert.equal(stale[0]!.level, 'warning');
    assert.match(stale[0]!.locations![0]!.physicalLocation.artifactLocation.uri, /health-data-register\.yaml$/);
    assert.equal(stale[0]!.locations![0]!.physicalLocation.region.startLine, staleLine);
  });
});
