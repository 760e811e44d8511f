// The engine API as the language server uses it: unsaved editor contents, and bases written on a route registration.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ParseCache, scan } from '../server/src/engine/index';

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'hdl-api-'));
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', lib: ['ES2022', 'DOM'] }, include: ['src'] }));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, 'src', name), text);
  return root;
}

test('readFile overrides the disk: an unsaved buffer is analysed, and its suppressions apply', () => {
  const root = project({ 'visits.ts': 'export function show(visit: { diagnosis: string }) {\n  return visit.diagnosis;\n}\n' });
  const file = join(root, 'src', 'visits.ts');
  assert.deepEqual(scan({ paths: [root], config: {} }).findings, []);

  const unsaved = 'export function show(visit: { diagnosis: string }) {\n  console.log(visit.diagnosis);\n}\n';
  const edited = scan({ paths: [root], config: {}, readFile: (f) => (f === file ? unsaved : undefined) });
  assert.deepEqual(edited.findings.map((f) => `${f.ruleId}:${f.location.line}`), ['log-exposure:2']);

  const suppressed = `export function show(visit: { diagnosis: string }) {\n  // health-data-lint-disable-next-line log-exposure -- local debugging only\n  console.log(visit.diagnosis);\n}\n`;
  const result = scan({ paths: [root], config: {}, readFile: (f) => (f === file ? suppressed : undefined) });
  assert.equal(result.findings.length, 1);
  assert.equal(result.findings[0].suppressed?.justification, 'local debugging only');
});

test('a @legalBasis on the statement that registers an inline route handler covers the handler', () => {
  const handler = (tag: string) =>
    [
      "declare const router: { get(path: string, handler: (req: { params: { id: string } }, res: { json(body: unknown): void }) => void): void };",
      'declare function loadDiagnosis(id: string): { diagnosis: string };',
      tag,
      "router.get('/visits/:id', (req, res) => {",
      '  res.json({ diagnosis: loadDiagnosis(req.params.id).diagnosis });',
      '});',
      '',
    ].join('\n');
  const uncovered = scan({ paths: [project({ 'routes.ts': handler('') })], config: {} });
  assert.deepEqual(uncovered.findings.map((f) => `${f.ruleId}:${f.location.line}`), ['unprotected-export:5']);
  const covered = scan({ paths: [project({ 'routes.ts': handler('/** @legalBasis gdpr-6-1-e gdpr-9-2-h */') })], config: {} });
  assert.deepEqual(covered.findings, []);
  const artSixOnly = scan({ paths: [project({ 'routes.ts': handler('/** @legalBasis gdpr-6-1-e */') })], config: {} });
  assert.deepEqual(artSixOnly.findings.map((f) => `${f.ruleId}:${f.location.line}`), ['insufficient-legal-basis:5']);
});

test('a type assertion on a parameter (`event.entity as Consultation`) says what arrives when nothing else does', () => {
  const root = project({
    'audit.ts': [
      'interface ObjectLiteral { [key: string]: unknown }',
      'interface Consultation { id: string; diagnosis: string; notes: string }',
      'export function afterUpdate(event: { entity?: ObjectLiteral }): void {',
      "  console.log('updated', event.entity as Consultation);",
      '}',
      '',
    ].join('\n'),
  });
  assert.deepEqual(scan({ paths: [root], config: {} }).findings.map((f) => `${f.ruleId}:${f.location.line}`), ['log-exposure:4']);
});

test('parse caches kept between scans (the language server): an edit in a helper changes the caller file findings exactly as a fresh scan does', () => {
  const root = project({
    'log.ts': "export function audit(event: string, detail: unknown): void {\n  console.log(event, detail);\n}\n",
    'visits.ts': "import { audit } from './log';\nexport function close(visit: { id: string; diagnosis: string }): void {\n  audit('closed', visit.id);\n}\n",
  });
  const visits = join(root, 'src', 'visits.ts');
  const caches = new Map<string, ParseCache>();
  const keys = (findings: { ruleId: string; location: { file: string; line: number } }[]) => findings.map((f) => `${f.ruleId}:${f.location.file}:${f.location.line}`);
  assert.deepEqual(scan({ paths: [root], config: {}, parseCaches: caches }).findings, []);
  const [cache] = [...caches.values()];
  assert.ok(cache && cache.size >= 2, 'the project files are cached');

  // The caller now passes the diagnosis: only visits.ts changed, and the finding is in log.ts.
  const unsaved = "import { audit } from './log';\nexport function close(visit: { id: string; diagnosis: string }): void {\n  audit('closed', visit.diagnosis);\n}\n";
  const readFile = (f: string) => (f === visits ? unsaved : undefined);
  const cached = scan({ paths: [root], config: {}, parseCaches: caches, readFile });
  const fresh = scan({ paths: [root], config: {}, readFile });
  assert.deepEqual(keys(cached.findings), keys(fresh.findings));
  assert.deepEqual(keys(cached.findings), [`log-exposure:${join(root, 'src', 'log.ts')}:2`]);
  // And back: the stale parse of the edited file must not survive.
  assert.deepEqual(scan({ paths: [root], config: {}, parseCaches: caches }).findings, []);
});
