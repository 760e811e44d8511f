// The README's first command, end to end: the bundled CLI scans examples/clinic-api and writes SARIF that reports
// exactly the example's `expect:` comments, passes sarif-multitool validation, and matches the golden file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type * as Sarif from 'sarif';
import { readExpectations } from './support/fixtures';
import { validateSarif } from './support/multitool';

const packageRoot = process.cwd();
const example = join(packageRoot, 'examples', 'clinic-api');
const golden = join(packageRoot, 'test', 'golden', 'clinic-api.sarif');

function scanExampleToSarif(): { log: Sarif.Log; file: string; status: number | null; stderr: string } {
  const directory = mkdtempSync(join(tmpdir(), 'hdl-example-'));
  const file = join(directory, 'clinic-api.sarif');
  const run = spawnSync(process.execPath, [join(packageRoot, 'dist', 'cli.js'), example, '--format', 'sarif', '--output-file', file, '--no-progress'], {
    cwd: packageRoot,
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.ok(existsSync(file), `the CLI wrote no SARIF file:\n${run.stderr}`);
  return { log: JSON.parse(readFileSync(file, 'utf8')) as Sarif.Log, file, status: run.status, stderr: run.stderr };
}

/** The parts of the log that depend on the machine (where the repository is checked out) are replaced. */
function normalise(log: Sarif.Log): Sarif.Log {
  const text = JSON.stringify(log, null, 2)
    .split(`file://${packageRoot}/`)
    .join('file:///REPOSITORY/')
    .split(packageRoot)
    .join('/REPOSITORY');
  return JSON.parse(text) as Sarif.Log;
}

test('examples/clinic-api: the CLI reports exactly the findings the example announces, as valid SARIF matching the golden file', () => {
  const { log, file, status, stderr } = scanExampleToSarif();
  assert.equal(status, 1, `findings at error severity exit with 1 (stderr: ${stderr})`);

  const expected = readExpectations(example)
    .map((e) => `${e.ruleId} examples/clinic-api/${e.file}:${e.line}`)
    .sort();
  const actual = (log.runs[0].results ?? [])
    .filter((r) => !r.suppressions?.length)
    .map((r) => {
      const location = r.locations?.[0]?.physicalLocation;
      return `${r.ruleId} ${location?.artifactLocation?.uri}:${location?.region?.startLine}`;
    })
    .sort();
  assert.deepEqual(actual, expected);

  const validation = validateSarif(file, `${file}.validation.sarif`);
  assert.deepEqual(validation.problems, []);
  assert.ok(validation.completed, 'the validator ran to completion');

  const normalised = normalise(log);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, `${JSON.stringify(normalised, null, 2)}\n`);
  assert.ok(existsSync(golden), 'test/golden/clinic-api.sarif is missing: run `UPDATE_GOLDEN=1 npm test` once and review it');
  assert.deepEqual(normalised, JSON.parse(readFileSync(golden, 'utf8')), 'the SARIF differs from test/golden/clinic-api.sarif (review, then UPDATE_GOLDEN=1 npm test)');
});

test('examples/clinic-api: the Markdown summary for a pull request matches its golden file and fits in a comment', () => {
  const goldenMarkdown = join(packageRoot, 'test', 'golden', 'clinic-api.md');
  const run = spawnSync(process.execPath, [join(packageRoot, 'dist', 'cli.js'), 'examples/clinic-api', '--format', 'markdown', '--no-progress'], {
    cwd: packageRoot,
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(run.status, 1, run.stderr);
  const markdown = run.stdout;
  // Every finding the example announces is listed once, and each rule present has its how-to-fix line.
  for (const expectation of readExpectations(example)) {
    const relative = `examples/clinic-api/${expectation.file}:${expectation.line}:`;
    assert.ok(markdown.includes(`\`${relative}`) && markdown.includes(`\`${expectation.ruleId}\``), `${expectation.ruleId} at ${relative}`);
    assert.match(markdown, new RegExp(`^- \\[\`${expectation.ruleId}\`\\]\\([^)]+\\): \\S`, 'm'));
  }
  assert.ok(markdown.length < 65_536, 'a GitHub comment holds at most 65,536 characters');
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(goldenMarkdown, markdown);
  assert.ok(existsSync(goldenMarkdown), 'test/golden/clinic-api.md is missing: run `UPDATE_GOLDEN=1 npm test` once and review it');
  assert.equal(markdown, readFileSync(goldenMarkdown, 'utf8'), 'the Markdown differs from test/golden/clinic-api.md (review, then UPDATE_GOLDEN=1 npm test)');
});
