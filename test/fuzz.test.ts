// Fuzzing: mutated fixture files (tokens deleted or duplicated, truncated, stray Unicode, nested deeply) through
// the engine and the server. In `npm test` a short seeded run; `npm run fuzz -- --seconds N --seed S` a long one,
// whose failing inputs are written to test-artifacts/fuzz/ to become regression fixtures.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { findRepositoryRoot } from './support/fixtures';
import { scan } from '../server/src/engine/index';
import { loadCorpus } from './support/fuzz/corpus';
import { runFuzz, scanCase, type FuzzFailure } from './support/fuzz/harness';
import { fuzzOverProtocol } from './support/fuzz/protocol';

const repositoryRoot = findRepositoryRoot();
const corpus = loadCorpus(join(repositoryRoot, 'test', 'fixtures', 'rules'));
const regressions = join(repositoryRoot, 'test', 'fixtures', 'reliability', 'fuzz-regressions');

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}
const long = process.argv.includes('--fuzz');
const seconds = Number(argument('--seconds') ?? (long ? 60 : 4));
const seed = Number(argument('--seed') ?? (long ? Date.now() % 1_000_000 : 20261122));
/** A scan of a fixture case takes well under a second; a minute is a hang, not a slow machine. */
const HANG_MS = 60_000;

function describeFailure(f: FuzzFailure): string {
  return `seed ${f.seed} input ${f.input}: ${f.caseName} ${f.file} (${f.mutation.kind}: ${f.mutation.description}): ${f.problem}`;
}

describe('fuzzing the engine', () => {
  it(`mutated fixture files neither crash nor hang the scan, nor change the findings of unrelated files (seed ${seed}, ${seconds} s)`, { timeout: (seconds + 120) * 1000 }, () => {
    assert.ok(corpus.length > 100, 'the rule fixtures are the corpus');
    const report = runFuzz({ corpus, seed, seconds, hangMs: HANG_MS }, (index, failure) => {
      if (long && (index + 1) % 25 === 0) console.log(`  ${index + 1} inputs`);
      if (failure) console.log(`  FAILURE ${describeFailure(failure)}`);
    });
    console.log(
      `fuzz: seed ${seed}, ${report.inputs} inputs in ${(report.elapsedMs / 1000).toFixed(1)} s, ${report.failures.length} failures, slowest scan ${report.slowestMs} ms, ` +
        `mutations ${JSON.stringify(report.byMutation)}, mutated file skipped ${JSON.stringify(report.skipped)}`,
    );
    if (report.failures.length > 0) {
      const directory = join(repositoryRoot, 'test-artifacts', 'fuzz');
      mkdirSync(directory, { recursive: true });
      for (const failure of report.failures) writeFileSync(join(directory, `seed-${failure.seed}-input-${failure.input}.json`), JSON.stringify(failure, null, 2));
    }
    assert.ok(report.inputs > 0);
    assert.deepEqual(report.failures.map(describeFailure), []);
  });

  // Inputs that once crashed or hung, kept as they were found (test/fixtures/reliability/fuzz-regressions/).
  for (const name of readdirSync(regressions).filter((f) => f.endsWith('.json')).sort()) {
    it(`regression: ${name}`, () => {
      const failure = JSON.parse(readFileSync(join(regressions, name), 'utf8')) as FuzzFailure;
      const testCase = corpus.find((c) => c.name === failure.caseName);
      assert.ok(testCase, `the fixture case ${failure.caseName} still exists`);
      const file = join(testCase.dir, failure.file);
      const result = scanCase(testCase, { [file]: failure.text });
      assert.ok(!result.skipped.some((s) => s.reason === 'internal-error'), JSON.stringify(result.skipped));
      // The file is analysed or skipped with a notice, never silently dropped.
      const notice = result.skipped.find((s) => s.file === file);
      if (notice) assert.match(notice.message, /^skipped: /);
    });
  }
});

describe('fuzzing the server over the protocol', () => {
  it('mutated unsaved edits keep the server answering, and restoring the text restores its diagnostics', { timeout: 240_000 }, async () => {
    // Small cases (three files) in npm test: the server starts and analyses the case before each run of edits.
    const multiFile = corpus.filter((c) => (long ? c.files.length >= 3 : c.files.length === 3));
    const testCase = multiFile[seed % multiFile.length];
    const edits = long ? 200 : 8;
    const report = await fuzzOverProtocol(join(repositoryRoot, 'dist', 'server.js'), testCase, { seed, edits, burst: 4 });
    console.log(`protocol fuzz: ${testCase.name}, ${report.edits} edits, ${report.analyses} analyses, ${report.problems.length} problems`);
    assert.deepEqual(report.problems, []);
  });
});

/** A temporary project: a tsconfig (or none, when `tsconfig` is undefined) and source files under src/. */
function project(files: Record<string, string>, tsconfig: unknown = { compilerOptions: { strict: true, target: 'ES2022', lib: ['ES2022'] }, include: ['src'] }): string {
  const root = mkdtempSync(join(tmpdir(), 'hdl-hostile-'));
  mkdirSync(join(root, 'src'));
  if (tsconfig !== undefined) writeFileSync(join(root, 'tsconfig.json'), typeof tsconfig === 'string' ? tsconfig : JSON.stringify(tsconfig));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, 'src', name), text);
  return root;
}
const LEAK = 'export function logVisit(visit: { diagnosis: string }): void {\n  console.log(visit.diagnosis);\n}\n';
const findingsOf = (root: string, result: ReturnType<typeof scan>) => result.findings.map((f) => `${f.ruleId} ${f.location.file.slice(root.length + 1)}:${f.location.line}`);

describe('hostile projects', () => {
  for (const [shape, text] of Object.entries({
    'a 10,000-deep parenthesised expression': `export const x = ${'('.repeat(10_000)}1${')'.repeat(10_000)};\n`,
    '10,000 nested arrays': `export const x = ${'['.repeat(10_000)}1${']'.repeat(10_000)};\n`,
    'a 10,000-term a + a + ... chain': `declare const a: string;\nexport const x = ${Array(10_000).fill('a').join(' + ')};\n`,
    'a 450-term concatenation of health data (analysed, under the nesting limit)': `export function f(v: { diagnosis: string }) {\n  console.log(${Array(450).fill('v.diagnosis').join(' + ')});\n}\n`,
  })) {
    it(`${shape}: skipped with a notice or analysed, never a crash, and the other file's finding stays`, { timeout: 120_000 }, () => {
      const root = project({ 'deep.ts': text, 'visits.ts': LEAK });
      const result = scan({ paths: [root], config: {} });
      assert.ok(findingsOf(root, result).includes('log-exposure src/visits.ts:2'));
      const notice = result.skipped.find((s) => s.file.endsWith('deep.ts'));
      if (notice) assert.match(notice.message, /^skipped: too deeply nested/);
      else assert.ok(findingsOf(root, result).some((f) => f.startsWith('log-exposure src/deep.ts')), 'analysed: its own leak is found');
    });
  }

  it('cyclic imports and mutually recursive functions terminate, and the leak at the end of the recursion is found', { timeout: 60_000 }, () => {
    const root = project({
      'a.ts': "import { b } from './b';\nexport function a(v: { diagnosis: string }, n: number): void {\n  if (n > 0) b(v, n - 1);\n  else console.log(v.diagnosis);\n}\n",
      'b.ts': "import { a } from './a';\nexport function b(v: { diagnosis: string }, n: number): void {\n  a(v, n);\n  b(v, n - 1);\n}\n",
      'c.ts': "import { a } from './a';\nexport function start(record: { diagnosis: string }): void {\n  a(record, 3);\n}\n",
    });
    const first = findingsOf(root, scan({ paths: [root], config: {} }));
    assert.ok(first.includes('log-exposure src/a.ts:4'), first.join(', '));
    assert.deepEqual(findingsOf(root, scan({ paths: [root], config: {} })), first, 'the same result every time');
  });

  it('a symlink loop in the project tree is neither followed forever nor fatal', { timeout: 60_000 }, () => {
    const root = project({ 'visits.ts': LEAK }, { compilerOptions: { strict: true, target: 'ES2022', lib: ['ES2022'] }, include: ['**/*'] });
    mkdirSync(join(root, 'src', 'nested'));
    symlinkSync(root, join(root, 'src', 'nested', 'loop'), 'dir');
    symlinkSync(join(root, 'src', 'self'), join(root, 'src', 'self'));
    const result = scan({ paths: [root], config: {} });
    assert.deepEqual(findingsOf(root, result).filter((f) => f.includes('visits.ts')), ['log-exposure src/visits.ts:2']);
    // The same project discovered without a tsconfig (the directory walk meets the loop itself).
    const run = spawnSync(process.execPath, [join(repositoryRoot, 'dist', 'cli.js'), join(root, 'src'), '--format', 'json', '--no-progress'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stdout, /log-exposure/);
  });

  it('a missing or broken tsconfig `extends` is a clear project error naming the file, never a crash', { timeout: 60_000 }, () => {
    for (const tsconfig of [{ extends: './does-not-exist.json', include: ['src'] }, { extends: 42, include: ['src'] }, '{ "extends": "./base.json", '] as unknown[]) {
      const root = project({ 'visits.ts': LEAK }, tsconfig);
      const run = spawnSync(process.execPath, [join(repositoryRoot, 'dist', 'cli.js'), root, '--no-progress'], { encoding: 'utf8', timeout: 60_000 });
      assert.ok(run.status === 2 || run.status === 1, `exit ${run.status}: ${run.stderr}`);
      assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
      if (run.status === 2) assert.match(run.stderr, /tsconfig\.json/, 'the message names the broken file');
    }
  });
});
