// Nothing is lost and nothing varies: the same input gives the same SARIF byte for byte, run after run and from
// another working directory; and a scan of many self-contained cases together finds the union of what each finds.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { findRepositoryRoot } from './support/fixtures';
import { filesRelatedTo, loadCorpus } from './support/fuzz/corpus';
import { scanCase } from './support/fuzz/harness';
import { scan } from '../server/src/engine/index';

const repositoryRoot = findRepositoryRoot();
const cli = join(repositoryRoot, 'dist', 'cli.js');

function sarifOf(target: string, cwd: string): Buffer {
  const output = join(mkdtempSync(join(tmpdir(), 'hdl-determinism-')), 'report.sarif');
  const run = spawnSync(process.execPath, [cli, target, '--format', 'sarif', '--output-file', output, '--no-progress'], { cwd, encoding: 'utf8' });
  assert.ok(run.status === 0 || run.status === 1, run.stderr);
  return readFileSync(output);
}

describe('determinism', () => {
  it('the same input gives the same SARIF byte for byte, twice and from another working directory', { timeout: 120_000 }, () => {
    const example = join(repositoryRoot, 'examples', 'clinic-api');
    const first = sarifOf(example, repositoryRoot);
    const second = sarifOf(example, repositoryRoot);
    const elsewhere = sarifOf(example, tmpdir());
    assert.ok(first.length > 10_000);
    assert.ok(first.equals(second), 'two runs differ');
    assert.ok(first.equals(elsewhere), 'a run from another working directory differs');
  });

  it('a scan of many self-contained cases together finds exactly the union of their scans one by one', { timeout: 180_000 }, () => {
    // Single-file cases with the standard tsconfig and no configuration of their own: their flows cannot cross.
    const standard = JSON.stringify({ extends: '../../../tsconfig.base.json', include: ['src/**/*', '../../../stubs/**/*.d.ts'] });
    const corpus = loadCorpus(join(repositoryRoot, 'test', 'fixtures', 'rules')).filter(
      (c) =>
        c.files.length === 1 &&
        JSON.stringify(JSON.parse(readFileSync(c.projectConfig, 'utf8'))) === standard &&
        !readdirSync(c.dir).some((f) => /^health-data-(lint\.config\.json|register\.ya?ml)$|^package\.json$/.test(f)) &&
        filesRelatedTo(c, c.files[0], []).size === 1,
    );
    const chosen = corpus.filter((_, index) => index % Math.max(1, Math.floor(corpus.length / 20)) === 0).slice(0, 20);
    const combined = mkdtempSync(join(tmpdir(), 'hdl-union-'));
    writeFileSync(join(combined, 'tsconfig.json'), JSON.stringify({ extends: join(repositoryRoot, 'test', 'fixtures', 'tsconfig.base.json'), include: ['cases/**/*', join(repositoryRoot, 'test', 'fixtures', 'stubs', '**', '*.d.ts')] }));
    const key = (root: string) => (f: { ruleId: string; location: { file: string; line: number; column: number } }) => `${f.ruleId} ${relative(root, f.location.file)}:${f.location.line}:${f.location.column}`;
    const union: string[] = [];
    for (const [index, testCase] of chosen.entries()) {
      const target = join(combined, 'cases', `${index}-${testCase.name.replace('/', '--')}`);
      cpSync(join(testCase.dir, 'src'), join(target, 'src'), { recursive: true });
      union.push(...scanCase(testCase).findings.map(key(testCase.dir)).map((k) => k.replace(' ', ` cases/${relative(join(combined, 'cases'), target)}/`)));
    }
    const whole = scan({ paths: [combined], config: {} }).findings.map(key(combined));
    console.log(`union of one-by-one scans: ${chosen.length} cases, ${union.length} findings`);
    assert.ok(chosen.length >= 15 && union.length >= 8, `too few cases to compare (${chosen.length} cases, ${union.length} findings)`);
    assert.deepEqual(whole.sort(), union.sort());
  });
});
