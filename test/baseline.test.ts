// Baselines: written and read back, stable when the accepted code is moved and reformatted, new and fixed findings
// told apart (stylish, JSON, SARIF), look-alike findings counted, and malformed baselines refused with exit 2.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import Ajv from 'ajv';
import type * as Sarif from 'sarif';
import baselineSchema from '../schemas/baseline.schema.json';
import outputSchema from '../schemas/output.schema.json';
import { runCli } from '../server/src/cli/run';
import { normaliseCodeText } from '../server/src/engine/review/fingerprint';
import { validateSarif } from './support/multitool';

class MemoryStream {
  text = '';
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

async function cli(argv: string[], cwd: string) {
  const stdout = new MemoryStream();
  const stderr = new MemoryStream();
  const exitCode = await runCli([...argv, '--no-progress'], { stdout, stderr, cwd, env: { ...process.env, NO_COLOR: '1' } });
  return { exitCode, stdout: stdout.text, stderr: stderr.text };
}

interface JsonReport {
  summary: { errors: number; baselined?: number };
  findings: { ruleId: string; fingerprint: string; baselineState?: string; location: { line: number } }[];
  baseline?: { file: string; matched: number; fixed: { ruleId: string; file: string; fingerprint: string; message: string }[] };
}

async function jsonReport(argv: string[], cwd: string): Promise<{ exitCode: number; report: JsonReport; stderr: string }> {
  const run = await cli([...argv, '--format', 'json'], cwd);
  assert.ok(run.exitCode === 0 || run.exitCode === 1, `exit ${run.exitCode}: ${run.stderr}`);
  const report = JSON.parse(run.stdout) as JsonReport;
  const validate = new Ajv({ allErrors: true, strict: true }).compile(outputSchema as object);
  assert.ok(validate(report), JSON.stringify(validate.errors, null, 2));
  return { exitCode: run.exitCode, report, stderr: run.stderr };
}

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'hdl-baseline-'));
  write(root, 'tsconfig.json', JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', lib: ['ES2022', 'DOM'] }, include: ['src'] }));
  for (const [name, text] of Object.entries(files)) write(root, name, text);
  // A repository, so that fingerprints and baseline paths are relative to it whatever folder is scanned.
  const init = spawnSync('git', ['init', '--quiet'], { cwd: root, encoding: 'utf8' });
  assert.equal(init.status, 0, init.stderr);
  return root;
}

function write(root: string, name: string, text: string): void {
  mkdirSync(dirname(join(root, name)), { recursive: true });
  writeFileSync(join(root, name), text);
}

const ACCEPTED = `export interface Consultation { id: string; diagnosis: string; prescription: string }
declare function loadConsultationFromTheClinicalDataWarehouse(identifier: string, options: { includeNotes: boolean }): Consultation;

export function logConsultation(consultation: Consultation): void {
  console.log('consultation', consultation.diagnosis);
}

export function weeklyReview(consultation: Consultation): void {
  console.info('consultation summary for the weekly clinical review', { reason: consultation.diagnosis, drugs: consultation.prescription });
}

export function cacheVisit(consultationIdentifier: string): void {
  const record = loadConsultationFromTheClinicalDataWarehouse(consultationIdentifier, { includeNotes: true, });
  localStorage.setItem('last-visit', JSON.stringify(record));
}
`;

/** The same code after a formatter, a reordering and an unrelated addition: every line number changes. */
const REFORMATTED = `export interface Consultation {
  id: string;
  diagnosis: string;
  prescription: string;
}
declare function loadConsultationFromTheClinicalDataWarehouse(
  identifier: string,
  options: { includeNotes: boolean },
): Consultation;

/** Added since the baseline, unrelated. */
export function greet(name: string): string {
  return \`Hello \${name}\`;
}

export function cacheVisit(consultationIdentifier: string): void {
  const record = loadConsultationFromTheClinicalDataWarehouse(
    consultationIdentifier,
    { includeNotes: true }, // notes are needed offline
  );
  localStorage.setItem("last-visit", JSON.stringify(record));
}

export function weeklyReview(consultation: Consultation): void {
  console.info(
    "consultation summary for the weekly clinical review",
    {
      reason: consultation.diagnosis,
      drugs: consultation.prescription,
    },
  );
}

export function logConsultation(consultation: Consultation): void {
  console.log(
    "consultation",
    consultation.diagnosis,
  );
}
`;

describe('a baseline written, then read back', () => {
  test('accepts the same findings after the code was moved and reformatted, from any scanned folder', async () => {
    const root = project({ 'src/visits.ts': ACCEPTED });
    const written = await cli(['.', '--write-baseline', '.health-data-lint/baseline.json'], root);
    assert.equal(written.exitCode, 0, `writing a baseline accepts the findings: ${written.stderr}`);
    assert.match(written.stderr, /^Baseline written to \.health-data-lint\/baseline\.json: 3 findings recorded\.$/m);

    const baseline = JSON.parse(readFileSync(join(root, '.health-data-lint', 'baseline.json'), 'utf8')) as {
      formatVersion: number;
      tool: { name: string };
      entries: { ruleId: string; file: string; message: string }[];
    };
    const validate = new Ajv({ allErrors: true, strict: true }).compile(baselineSchema);
    assert.ok(validate(baseline as unknown), JSON.stringify(validate.errors));
    assert.equal(baseline.formatVersion, 1);
    assert.equal(baseline.tool.name, 'health-data-lint');
    assert.deepEqual(
      baseline.entries.map((entry) => `${entry.file} ${entry.ruleId}`),
      ['src/visits.ts client-side-storage', 'src/visits.ts log-exposure', 'src/visits.ts log-exposure'],
    );
    assert.ok(baseline.entries.every((entry) => entry.message.length <= 160 && entry.message.startsWith('Health data')));

    const before = await jsonReport(['.', '--baseline', '.health-data-lint/baseline.json'], root);
    assert.equal(before.exitCode, 0);
    const fingerprints = before.report.findings.map((finding) => finding.fingerprint).sort();
    // The two logs of one file differ by their sink and sources only: the fingerprint is made from those texts.
    assert.equal(new Set(fingerprints).size, 3, 'different sinks of one rule in one file have different fingerprints');

    write(root, 'src/visits.ts', REFORMATTED);
    const after = await jsonReport(['.', '--baseline', '.health-data-lint/baseline.json'], root);
    assert.equal(after.exitCode, 0, 'nothing new');
    assert.deepEqual(after.report.findings.map((finding) => finding.fingerprint).sort(), fingerprints, 'the fingerprints survived the reformatting');
    assert.notDeepEqual(
      after.report.findings.map((finding) => finding.location.line).sort(),
      before.report.findings.map((finding) => finding.location.line).sort(),
      'the findings did move',
    );
    assert.deepEqual(after.report.findings.map((finding) => finding.baselineState), ['unchanged', 'unchanged', 'unchanged']);
    assert.deepEqual(after.report.baseline, { file: '.health-data-lint/baseline.json', matched: 3, fixed: [] });
    assert.equal(after.report.summary.errors, 0);
    assert.equal(after.report.summary.baselined, 3);

    const stylish = await cli(['.', '--baseline', '.health-data-lint/baseline.json'], root);
    assert.equal(stylish.exitCode, 0);
    assert.equal(stylish.stdout, '\n3 findings matched the baseline; 0 baseline entries are fixed\n');

    const fromSubfolder = await cli(['src', '--baseline', '.health-data-lint/baseline.json'], root);
    assert.equal(fromSubfolder.exitCode, 0, `scanning src/ matches the baseline written from the root: ${fromSubfolder.stdout}`);
  });
});

describe('comparing with a baseline', () => {
  const accepted = `export function show(visit: { diagnosis: string }): void {
  console.log(visit.diagnosis);
}

export function showAgain(visit: { diagnosis: string }): void {
  console.log(visit.diagnosis);
}

export function keep(visit: { diagnosis: string }): void {
  sessionStorage.setItem('visit', visit.diagnosis);
}

export function debug(visit: { diagnosis: string }): void {
  // health-data-lint-disable-next-line log-exposure -- local debugging build only
  console.debug(visit.diagnosis);
}
`;

  test('tells new findings from accepted ones, counts look-alikes, reports fixed entries in every format', async () => {
    const root = project({ 'src/visits.ts': accepted });
    assert.equal((await cli(['.', '--write-baseline', 'baseline.json'], root)).exitCode, 0);
    const entries = JSON.parse(readFileSync(join(root, 'baseline.json'), 'utf8')).entries as { ruleId: string; fingerprint: string }[];
    assert.deepEqual(entries.map((entry) => entry.ruleId), ['client-side-storage', 'log-exposure', 'log-exposure'], 'the suppressed finding is not recorded');
    assert.equal(entries[1].fingerprint, entries[2].fingerprint, 'two look-alike sinks in one file share a fingerprint, recorded twice');

    // A third look-alike is new; the sessionStorage write is gone.
    write(
      root,
      'src/visits.ts',
      accepted
        .replace("sessionStorage.setItem('visit', visit.diagnosis);", 'void visit;')
        .concat('\nexport function showThrice(visit: { diagnosis: string }): void {\n  console.log(visit.diagnosis);\n}\n'),
    );
    const json = await jsonReport(['.', '--baseline', 'baseline.json'], root);
    assert.equal(json.exitCode, 1, 'the new finding fails the run');
    assert.equal(json.report.summary.errors, 1);
    assert.equal(json.report.summary.baselined, 2);
    assert.deepEqual(
      json.report.findings.map((finding) => `${finding.location.line} ${finding.baselineState ?? 'suppressed'}`),
      ['2 unchanged', '6 unchanged', '15 suppressed', '19 new'],
      'the first look-alikes in report order are the accepted ones',
    );
    assert.equal(json.report.baseline?.fixed.length, 1);
    assert.deepEqual(
      { ...json.report.baseline!.fixed[0], message: undefined },
      { ruleId: 'client-side-storage', file: 'src/visits.ts', fingerprint: entries[0].fingerprint, message: undefined },
    );

    const stylish = await cli(['.', '--baseline', 'baseline.json'], root);
    assert.equal(stylish.exitCode, 1);
    const lines = stylish.stdout.split('\n');
    assert.deepEqual(lines.filter((line) => /^\s+\d+:\d+/.test(line)).map((line) => line.trim().split(/\s+/)[0]), ['19:15'], 'only the new finding is listed');
    assert.ok(lines.includes('  2 findings matched the baseline; 1 baseline entry is fixed (remove it with --write-baseline)'), stylish.stdout);

    const markdown = await cli(['.', '--baseline', 'baseline.json', '--format', 'markdown'], root);
    assert.match(markdown.stdout, /^1 error, 0 warnings, 0 information, 1 suppressed with a justification\.$/m);
    assert.match(markdown.stdout, /^2 findings matched the baseline; 1 baseline entry is fixed \(remove it with --write-baseline\)\.$/m);
    assert.match(markdown.stderr, /2 findings matched the baseline; 1 baseline entry is fixed/, 'the CI log says it too');

    const sarifFile = join(root, 'report.sarif');
    const sarif = await cli(['.', '--baseline', 'baseline.json', '--format', 'sarif', '--output-file', sarifFile], root);
    assert.equal(sarif.exitCode, 1);
    const results = (JSON.parse(readFileSync(sarifFile, 'utf8')) as Sarif.Log).runs[0].results ?? [];
    assert.deepEqual(
      results.map((result) => `${result.ruleId} ${result.baselineState} ${result.kind ?? 'fail'} ${result.suppressions?.map((s) => s.kind).join(',') || '-'}`),
      [
        'log-exposure unchanged fail external',
        'log-exposure unchanged fail external',
        'log-exposure undefined fail inSource',
        'log-exposure new fail -',
        'client-side-storage absent pass -',
      ],
    );
    const absent = results[4];
    assert.equal(absent.level, 'none');
    assert.equal(absent.partialFingerprints?.['healthDataLint/v1'], entries[0].fingerprint);
    assert.equal(absent.properties?.file, 'src/visits.ts');
    assert.match(absent.message.text ?? '', /^Fixed since the baseline \(src\/visits\.ts\): Health data/);
    const validation = validateSarif(sarifFile, `${sarifFile}.validation.sarif`);
    assert.deepEqual(validation.problems, []);

    // Writing the baseline again over the old one says what changed, and accepts the new finding.
    const rewritten = await cli(['.', '--baseline', 'baseline.json', '--write-baseline', 'baseline.json'], root);
    assert.equal(rewritten.exitCode, 0);
    assert.match(rewritten.stderr, /^Baseline written to baseline\.json: 3 findings recorded \(1 added, 1 fixed entry removed\)\.$/m);
    assert.match(rewritten.stdout, /3 findings matched the baseline; 0 baseline entries are fixed/);
  });
});

describe('a baseline that cannot be used', () => {
  const valid = { formatVersion: 1, tool: { name: 'health-data-lint', version: '0.1.0' }, entries: [] as unknown[] };
  const entry = { fingerprint: '0123456789abcdef0123456789abcdef', ruleId: 'log-exposure', file: 'src/a.ts', message: 'Health data…' };
  const cases: [string, string | undefined, RegExp][] = [
    ['missing', undefined, /^health-data-lint: baseline missing\.json: file not found \(create it with --write-baseline missing\.json\)$/m],
    ['not JSON', '{ "formatVersion": 1, ', /^health-data-lint: baseline bad\.json: not valid JSON \(/m],
    ['a newer format', JSON.stringify({ ...valid, formatVersion: 2 }), /baseline bad\.json: formatVersion 2 is not supported by health-data-lint .* \(it reads version 1\)/],
    ['a bad fingerprint', JSON.stringify({ ...valid, entries: [entry, { ...entry, fingerprint: 'src/a.ts:12' }] }), /baseline bad\.json: entries\[1\]\.fingerprint: must be 32 lowercase hexadecimal digits/],
    ['an unknown key', JSON.stringify({ ...valid, entries: [{ ...entry, line: 12 }] }), /baseline bad\.json: entries\[0\]: unknown key "line"/],
    ['no entries', JSON.stringify({ formatVersion: 1, tool: valid.tool }), /baseline bad\.json: the top level: missing "entries"/],
  ];
  for (const [name, text, message] of cases) {
    test(`${name}: exit 2 naming the file and the problem, before any scan`, async () => {
      const root = project({ 'src/visits.ts': 'export const x = 1;\n' });
      if (text !== undefined) write(root, 'bad.json', text);
      const run = await cli(['.', '--baseline', text === undefined ? 'missing.json' : 'bad.json'], root);
      assert.equal(run.exitCode, 2);
      assert.match(run.stderr, message);
      assert.equal(run.stdout, '');
    });
  }
});

describe('the canonical text fingerprints are made from', () => {
  test('ignores whitespace, line breaks, comments, quote style, trailing commas, semicolons and a lone parameter in parentheses', () => {
    const same = [
      ["logger.info('saved', { reason: c.diagnosis })", 'logger.info(\n  "saved",\n  {\n    reason: c.diagnosis, // why\n  },\n)'],
      ['res.json(patient)', 'res . json( /* whole record */ patient )'],
      ['items.map((item) => item.code)', 'items.map(item => item.code)'],
      ["send(`a ${x.diagnosis} b`)", 'send(`a ${ x.diagnosis } b`)'],
      ['f(() => { return a; })', 'f(() => {\n  return a\n})'],
      ["track('it\\'s')", 'track("it\'s")'],
    ];
    for (const [a, b] of same) assert.equal(normaliseCodeText(a), normaliseCodeText(b), `${a}  ≡  ${b}`);
  });

  test('keeps what changes the meaning: names, string contents, arguments, a comma or a quote inside a string', () => {
    const different = [
      ['res.json(patient)', 'res.json(patients)'],
      ["logger.info('saved')", "logger.info('sent')"],
      ['f(a, b)', 'f(b, a)'],
      ["f('a,)')", "f('a)')"],
      ['f("it\'s")', "f('its')"],
      ['items.map((item, index) => item)', 'items.map((item) => item)'],
    ];
    for (const [a, b] of different) assert.notEqual(normaliseCodeText(a), normaliseCodeText(b), `${a}  ≢  ${b}`);
  });

  test('text without comments, double quotes or trailing commas keeps the form fingerprints had before (whitespace removed)', () => {
    assert.equal(normaliseCodeText("console.log('consultation', consultation.diagnosis)"), "console.log('consultation',consultation.diagnosis)");
  });
});
