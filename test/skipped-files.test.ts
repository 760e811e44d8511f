// Files that cannot be analysed are skipped with a notice, never fail the run, and never hide other files' findings.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type * as Sarif from 'sarif';
import { scan } from '../server/src/engine/index';

function projectWithBadFiles(): string {
  const root = mkdtempSync(join(tmpdir(), 'hdl-skipped-'));
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', lib: ['ES2022', 'DOM'] }, include: ['src'] }));
  writeFileSync(
    join(root, 'src', 'visits.ts'),
    [
      'export interface Visit { id: string; diagnosis: string }',
      'export function logVisit(visit: Visit): void {',
      '  console.log(`visit ${visit.id}: ${visit.diagnosis}`);',
      '}',
      '',
    ].join('\n'),
  );
  writeFileSync(join(root, 'src', 'half-typed.ts'), 'export function broken(patient: { diagnosis: string } {\n  console.log(patient.diagnosis\n');
  writeFileSync(join(root, 'src', 'bundle.generated.ts'), `export const blob = "${'x'.repeat(1_200_000)}";\n`);
  writeFileSync(join(root, 'src', 'image.ts'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]));
  return root;
}

test('unparsable, too large and binary files are skipped with a reason while the other files are analysed', () => {
  const root = projectWithBadFiles();
  const result = scan({ paths: [root], config: {} });
  const skipped = Object.fromEntries(result.skipped.map((s) => [s.file.slice(root.length + 1), s.reason]));
  assert.deepEqual(skipped, { 'src/half-typed.ts': 'parse-error', 'src/bundle.generated.ts': 'too-large', 'src/image.ts': 'binary' });
  for (const s of result.skipped) assert.match(s.message, /^skipped: /);
  assert.deepEqual(
    result.findings.map((f) => `${f.ruleId} ${f.location.file.slice(root.length + 1)}:${f.location.line}`),
    ['log-exposure src/visits.ts:3'],
  );
});

test('maxFileSize is configurable, and the CLI reports skipped files in SARIF notifications without failing because of them', () => {
  const root = projectWithBadFiles();
  writeFileSync(join(root, 'health-data-lint.config.json'), JSON.stringify({ maxFileSize: 2_000_000 }));
  const result = scan({ paths: [root], config: { maxFileSize: 2_000_000 } });
  assert.ok(!result.skipped.some((s) => s.reason === 'too-large'), 'a 1.2 MB file is analysed under a 2 MB limit');

  const output = join(root, 'report.sarif');
  const run = spawnSync(process.execPath, [join(process.cwd(), 'dist', 'cli.js'), root, '--format', 'sarif', '--output-file', output, '--no-progress'], { encoding: 'utf8' });
  assert.equal(run.status, 1, 'the log-exposure finding (error) decides the exit code, not the skipped files');
  assert.match(run.stderr, /half-typed\.ts/);
  const log = JSON.parse(readFileSync(output, 'utf8')) as Sarif.Log;
  const notifications = log.runs[0].invocations?.[0].toolExecutionNotifications ?? [];
  assert.ok(notifications.some((n) => /half-typed\.ts/.test(JSON.stringify(n))), 'the parse error is a SARIF tool execution notification');
});
