// Fuzzing: mutated fixture files (tokens deleted or duplicated, truncated, stray Unicode, nested deeply) through
// the engine and the server. In `npm test` a short seeded run; `npm run fuzz -- --seconds N --seed S` a long one,
// whose failing inputs are written to test-artifacts/fuzz/ to become regression fixtures.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { findRepositoryRoot } from './support/fixtures';
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
    const multiFile = corpus.filter((c) => c.files.length >= 3);
    const testCase = multiFile[seed % multiFile.length];
    const edits = long ? 200 : 8;
    const report = await fuzzOverProtocol(join(repositoryRoot, 'dist', 'server.js'), testCase, { seed, edits, burst: 4 });
    console.log(`protocol fuzz: ${testCase.name}, ${report.edits} edits, ${report.analyses} analyses, ${report.problems.length} problems`);
    assert.deepEqual(report.problems, []);
  });
});
