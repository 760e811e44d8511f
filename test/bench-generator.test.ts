// Smoke test of the benchmark's project generator, so it cannot rot between bench runs: a small generated project
// is analysed, the CLI reports exactly the flows the generator planted, and the same seed gives the same project.
// (Type errors in generated code fail every bench run: its tsc measurement reports them.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateProject } from '../bench/src/generator/project';
import { checkFindings, describeCheck } from '../bench/src/measure/check';
import { tsconfigsToCheck } from '../bench/src/measure/tools';
import { findRepositoryRoot } from './support/fixtures';

const repoRoot = findRepositoryRoot();

test('a 2k-line generated project: the CLI reports exactly the planted flows', { timeout: 120_000 }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hdl-bench-gen-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const manifest = generateProject({ outDir: dir, lines: 2_000, seed: 7, repoRoot });
  assert.ok(manifest.lines >= 2_000 && manifest.lines < 3_500, `${manifest.lines} lines`);
  for (const rule of ['unprotected-export', 'log-exposure', 'pseudonymised-export']) assert.ok(manifest.plantedByRule[rule]! > 0, `no ${rule} planted`);

  const out = join(dir, 'report.json');
  const cli = spawnSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), dir, '--format', 'json', '--no-progress', '--output-file', out], { encoding: 'utf8' });
  assert.equal(cli.status, 1, cli.stderr);
  const report = JSON.parse(readFileSync(out, 'utf8')) as { findings: { ruleId: string; location: { file: string; line: number } }[] };
  const check = checkFindings(dir, manifest.planted, report.findings.map((f) => ({ ruleId: f.ruleId, file: f.location.file, line: f.location.line })));
  assert.ok(check.exact, describeCheck('health-data-lint', check));
});

test('a monorepo layout: a tsconfig per package and none at the root; the CLI reports exactly the planted flows, and tsc is run in each package', { timeout: 120_000 }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hdl-bench-packages-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const manifest = generateProject({ outDir: dir, lines: 2_000, seed: 7, repoRoot, layout: 'packages' });
  assert.equal(manifest.layout, 'packages');
  assert.equal(existsSync(join(dir, 'tsconfig.json')), false);
  const packages = readdirSync(join(dir, 'packages')).sort();
  assert.equal(packages.length, manifest.packages);
  assert.deepEqual(tsconfigsToCheck(dir), packages.map((name) => join(dir, 'packages', name, 'tsconfig.json')));

  const out = join(dir, 'report.json');
  const cli = spawnSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), dir, '--format', 'json', '--no-progress', '--output-file', out], { encoding: 'utf8' });
  assert.equal(cli.status, 1, cli.stderr);
  const report = JSON.parse(readFileSync(out, 'utf8')) as { findings: { ruleId: string; location: { file: string; line: number } }[]; projects: { configFile?: string }[] };
  assert.equal(report.projects.length, packages.length, 'one project per package');
  const check = checkFindings(dir, manifest.planted, report.findings.map((f) => ({ ruleId: f.ruleId, file: f.location.file, line: f.location.line })));
  assert.ok(check.exact, describeCheck('health-data-lint', check));
  // The packages type-check on their own (the reference the bench measures), here for the package everything imports.
  const tsc = spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', join(dir, 'packages', 'app', 'tsconfig.json')], { encoding: 'utf8' });
  assert.equal(tsc.status, 0, tsc.stdout);
});

test('the generator is deterministic: same seed, same project; another seed, another project', (t) => {
  const dirs = [1, 1, 2].map(() => mkdtempSync(join(tmpdir(), 'hdl-bench-seed-')));
  t.after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const [a, b, c] = dirs.map((d, i) => generateProject({ outDir: d, lines: 1_500, seed: i < 2 ? 1 : 2, repoRoot }));
  assert.deepEqual(a!.planted, b!.planted);
  assert.equal(readFileSync(join(dirs[0]!, a!.localEditFile), 'utf8'), readFileSync(join(dirs[1]!, b!.localEditFile), 'utf8'));
  assert.notDeepEqual(a!.planted, c!.planted);
});
