// The results cache (issue 6): a scan that reuses cached file results must report exactly what a full scan reports,
// whatever changed, while analysing only the changed files and the files that depend on them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { DiskStore, MemoryStore, ParseCache, PersistentStore, scan, type ScanOptions } from '../server/src/engine/index';
import type { AnalysisResult } from '../server/src/engine/model';
import { createProgram, parseProjectConfig, releaseScanInputs } from '../server/src/engine/program/compiler';
import { collectGarbage } from '../server/src/lsp/heap';
import { filesReaching, ReachIndex, type NameNode } from '../server/src/engine/incremental/names';
import { findProjectConfig, findRepositoryRoot, listRuleCases, listSourceFiles } from './support/fixtures';

const repository = findRepositoryRoot();

/** Everything a report is made of, without the cache statistics. */
function comparable(result: AnalysisResult): unknown {
  const { incremental: _incremental, ...rest } = result;
  return JSON.parse(JSON.stringify(rest));
}

/** Full scans keep parsed files between them (as the language server does): that changes nothing but the time. */
const fullScanParses = new Map<string, Map<string, ParseCache>>();

function assertSameAsFullScan(options: ScanOptions, incremental: AnalysisResult, label: string): void {
  const { cache: _cache, parseCaches: _parseCaches, ...plain } = options;
  const key = options.paths.join('|');
  if (!fullScanParses.has(key)) fullScanParses.set(key, new Map());
  assert.deepEqual(comparable(incremental), comparable(scan({ ...plain, parseCaches: fullScanParses.get(key) })), `${label}: the cached scan differs from a full scan`);
}

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'hdl-cache-'));
  writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', lib: ['ES2022'], module: 'commonjs' }, include: ['src'] }));
  write(root, files);
  return root;
}

function write(root: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, 'src', name)), { recursive: true });
    writeFileSync(join(root, 'src', name), text);
  }
}

const TYPES = `export interface Patient { id: string; diagnosis: string; birthYear: number }\n`;
const HELPER = `import type { Patient } from './types';\nexport function describe(p: Patient): string {\n  return p.diagnosis;\n}\n`;
const SAFE_HELPER = `import type { Patient } from './types';\nexport function describe(p: Patient): string {\n  return p.id;\n}\n`;
const ROUTE = (name: string) =>
  `import type { Patient } from './types';\nimport { describe } from './helper';\ndeclare function load(id: string): Patient;\nexport function ${name}(id: string) {\n  console.log(describe(load(id)));\n}\n`;
const LEAF = `import type { Patient } from './types';\ndeclare function load(id: string): Patient;\nexport function audit(id: string) {\n  console.log(load(id).birthYear);\n}\n`;

function clinic(): string {
  return project({ 'types.ts': TYPES, 'helper.ts': HELPER, 'a.ts': ROUTE('routeA'), 'b.ts': ROUTE('routeB'), 'c.ts': ROUTE('routeC'), 'leaf.ts': LEAF });
}

/** A scan with an in-memory results cache, then `edits` written and a second scan with the same cache. */
function scanThenEdit(root: string, edits: Record<string, string>): { options: ScanOptions; after: AnalysisResult } {
  const options: ScanOptions = { paths: [root], config: {}, cache: new MemoryStore() };
  scan(options);
  write(root, edits);
  return { options, after: scan(options) };
}

/** A step of an editing session: `edits` written, a scan with the same cache, compared with a full scan. */
function stepper(options: ScanOptions, writeEdits: (edits: Record<string, string>) => void): (edits: Record<string, string>, label: string) => AnalysisResult {
  return (edits, label) => {
    writeEdits(edits);
    const result = scan(options);
    assertSameAsFullScan(options, result, label);
    return result;
  };
}

function logLines(result: AnalysisResult): string[] {
  return result.findings.filter((f) => f.ruleId === 'log-exposure').map((f) => `${relative(join(dirname(f.location.file), '..'), f.location.file)}:${f.location.line}`);
}

describe('results cache', () => {
  test('nothing changed: nothing is analysed again and the report is the same', () => {
    const root = clinic();
    const store = new MemoryStore();
    const options: ScanOptions = { paths: [root], config: {}, cache: store };
    const cold = scan(options);
    assert.deepEqual(cold.incremental, { analysed: 6, reused: 0 });
    assert.deepEqual(logLines(cold), ['src/a.ts:5', 'src/b.ts:5', 'src/c.ts:5']);
    const warm = scan(options);
    assert.deepEqual(warm.incremental, { analysed: 0, reused: 6 });
    assert.deepEqual(comparable(warm), comparable(cold));
  });

  test("the editor's kept fields: an edit that changes no flow keeps them, one that changes flows or fields does not", () => {
    const root = clinic();
    // As the language server scans: a results cache and parse caches kept between scans.
    const options: ScanOptions = { paths: [root], config: {}, cache: new MemoryStore(), parseCaches: new Map() };
    const cold = scan(options);
    const diagnosis = (result: AnalysisResult) => result.fields?.find((f) => f.field === 'diagnosis');
    assert.equal(diagnosis(cold)?.routes.length, 3);
    write(root, { 'leaf.ts': `${LEAF}// a comment\n` });
    const comment = scan(options);
    assertSameAsFullScan(options, comment, 'comment in a leaf');
    write(root, { 'leaf.ts': LEAF.replace('birthYear', 'diagnosis') });
    const newRoute = scan(options);
    assertSameAsFullScan(options, newRoute, 'a new route');
    assert.equal(diagnosis(newRoute)?.routes.length, 4);
    write(root, { 'helper.ts': SAFE_HELPER });
    const fewer = scan(options);
    assertSameAsFullScan(options, fewer, 'routes gone');
    assert.equal(diagnosis(fewer)?.routes.length, 1);
    write(root, { 'types.ts': TYPES.replace('diagnosis: string;', 'diagnosis: string; allergy: string;') });
    const newField = scan(options);
    assertSameAsFullScan(options, newField, 'a new field');
    assert.ok(newField.fields?.some((f) => f.field === 'allergy'));
  });

  test('a whole analysis asks to release memory after its flow stages and its Program, before the results are saved; an incremental pass does not', () => {
    const root = clinic();
    const events: string[] = [];
    const store = new MemoryStore();
    const recording = { load: (key: string) => store.load(key), save: (key: string, cache: Parameters<MemoryStore['save']>[1]) => (events.push('save'), store.save(key, cache)) };
    const options: ScanOptions = { paths: [root], config: {}, cache: recording, releaseMemory: (moment) => events.push(`release after the ${moment}`) };
    scan(options);
    assert.deepEqual(events, ['release after the flows', 'release after the program', 'save'], 'after the flow stages, then the Program, before saving and reporting');
    events.length = 0;
    write(root, { 'leaf.ts': `${LEAF}// a comment\n` });
    scan(options);
    assert.deepEqual(events, ['save'], 'an editor-sized pass leaves the collection to the runtime');
  });

  test('a file nothing imports: only it is analysed again', () => {
    const root = clinic();
    const { options, after } = scanThenEdit(root, { 'leaf.ts': LEAF.replace('birthYear', 'diagnosis') });
    assert.deepEqual(after.incremental, { analysed: 1, reused: 5 });
    assertSameAsFullScan(options, after, 'leaf change');
    assert.ok(after.findings.some((f) => f.location.file.endsWith('leaf.ts') && f.ruleId === 'log-exposure'));
  });

  test('a helper: it and every file that imports it are analysed again, and a fixed helper fixes its callers', () => {
    const root = clinic();
    const { options, after } = scanThenEdit(root, { 'helper.ts': SAFE_HELPER });
    assert.deepEqual(after.incremental, { analysed: 4, reused: 2 }); // helper, a, b, c
    assertSameAsFullScan(options, after, 'helper change');
    assert.deepEqual(logLines(after), []);
  });

  test('a type every file uses: the findings follow the new declaration', () => {
    const root = clinic();
    const { options, after } = scanThenEdit(root, { 'types.ts': TYPES.replace('diagnosis: string', 'diagnosis: string; notes: string') });
    assert.deepEqual(after.incremental, { analysed: 6, reused: 0 });
    assertSameAsFullScan(options, after, 'types change');
  });

  test('a helper edited without changing what it does to data: only it is analysed again (early cut-off by name)', () => {
    const root = clinic();
    const { options, after } = scanThenEdit(root, { 'helper.ts': HELPER.replace('return p.diagnosis;', "return p.diagnosis ?? 'unknown';") });
    assert.deepEqual(after.incremental, { analysed: 1, reused: 5 });
    assertSameAsFullScan(options, after, 'helper body edit');
    assert.deepEqual(logLines(after), ['src/a.ts:5', 'src/b.ts:5', 'src/c.ts:5']);
  });

  test('a line inserted above the helper: its callers are analysed again, and their flows point at the new lines', () => {
    const root = clinic();
    const { options, after } = scanThenEdit(root, { 'helper.ts': `// Display helpers.\n${HELPER}` });
    assert.deepEqual(after.incremental, { analysed: 4, reused: 2 }); // helper, a, b, c
    assertSameAsFullScan(options, after, 'line inserted above the helper');
    const inHelper = after.findings.flatMap((f) => [...(f.sources ?? []), ...f.flows.flat()]).filter((step) => step.location.file.endsWith('helper.ts'));
    assert.ok(inHelper.length > 0 && inHelper.every((step) => step.location.line === 4), 'the read of p.diagnosis is now on line 4');
  });

  test('a widely imported file: only the files that use the function whose behaviour changed are analysed again', () => {
    const helpers = `import type { Patient } from './types';\nexport function describe(p: Patient): string {\n  return p.diagnosis;\n}\nexport function label(p: Patient): string {\n  return p.id;\n}\n`;
    const user = (name: string, fn: string) => `import type { Patient } from './types';\nimport { ${fn} } from './helper';\ndeclare function load(id: string): Patient;\nexport function ${name}(id: string) {\n  console.log(${fn}(load(id)));\n}\n`;
    const root = project({ 'types.ts': TYPES, 'helper.ts': helpers, 'a.ts': user('routeA', 'describe'), 'b.ts': user('routeB', 'label'), 'c.ts': user('routeC', 'label') });
    const options: ScanOptions = { paths: [root], config: {}, cache: new MemoryStore() };
    const before = scan(options);
    assert.deepEqual(logLines(before), ['src/a.ts:5']);
    write(root, { 'helper.ts': helpers.replace('return p.id;', 'return `${p.id} ${p.diagnosis}`;') });
    const after = scan(options);
    assert.deepEqual(after.incremental, { analysed: 3, reused: 2 }); // helper, b, c: a uses describe only
    assertSameAsFullScan(options, after, 'label changed');
    assert.deepEqual(logLines(after), ['src/a.ts:5', 'src/b.ts:5', 'src/c.ts:5']);
  });

  test('through a barrel: a re-export renamed or a re-exported function changed reaches the importers', () => {
    const helpers = `import type { Patient } from './types';\nexport function describe(p: Patient): string {\n  return p.diagnosis;\n}\nexport function label(p: Patient): string {\n  return p.id;\n}\n`;
    const barrel = `export { label as show } from './helper';\nexport * from './types';\n`;
    const user = `import { show, type Patient } from './index';\ndeclare function load(id: string): Patient;\nexport function route(id: string) {\n  console.log(show(load(id)));\n}\n`;
    const root = project({ 'types.ts': TYPES, 'helper.ts': helpers, 'index.ts': barrel, 'route.ts': user });
    const options: ScanOptions = { paths: [root], config: {}, cache: new MemoryStore() };
    assert.deepEqual(logLines(scan(options)), []);
    write(root, { 'index.ts': barrel.replace('label as show', 'describe as show') });
    const renamed = scan(options);
    assertSameAsFullScan(options, renamed, 'barrel re-export renamed');
    assert.deepEqual(logLines(renamed), ['src/route.ts:4']);
    write(root, { 'index.ts': barrel, 'helper.ts': helpers.replace('return p.id;', 'return p.diagnosis;') });
    const changed = scan(options);
    assertSameAsFullScan(options, changed, 'function behind the barrel changed');
    assert.deepEqual(logLines(changed), ['src/route.ts:4']);
  });

  test('an augmentation (declare module / declare global) changed: every file is analysed again, as for a global script', () => {
    const augmentation = `import type {} from './types';\ndeclare module './types' {\n  interface Patient { notes?: string }\n}\n`;
    const root = project({ 'types.ts': TYPES, 'helper.ts': HELPER, 'a.ts': ROUTE('routeA'), 'augment.ts': augmentation });
    const { options, after } = scanThenEdit(root, { 'augment.ts': augmentation.replace('notes?: string', 'notes?: string; allergies?: string') });
    assert.deepEqual(after.incremental, { analysed: 4, reused: 0 });
    assertSameAsFullScan(options, after, 'augmentation changed');
  });

  test('a literal edited in a route: the app that mounts it is not analysed again, whatever order summaries were computed in', () => {
    const files = {
      'types.ts': TYPES,
      'db.ts': `import type { Patient } from './types';\nexport function findPatient(id: string): Patient {\n  return { id, diagnosis: 'x', birthYear: 1 };\n}\n`,
      'records.ts': `import { findPatient } from './db';\nexport function recordOf(id: string) {\n  const patient = findPatient(id);\n  return { diagnosis: patient.diagnosis };\n}\n`,
      'routes.ts': `import { recordOf } from './records';\ndeclare const router: { get(path: string, handler: (id: string) => void): void };\nexport { router };\nrouter.get('/p', (id) => {\n  console.log('status: ok', recordOf(id).diagnosis);\n});\n`,
      'app.ts': `import { router } from './routes';\nexport const mounted = [router];\n`,
    };
    const root = project(files);
    const { options, after } = scanThenEdit(root, { 'routes.ts': files['routes.ts'].replace('status: ok', 'status: ok-1') });
    assertSameAsFullScan(options, after, 'literal in a route');
    assert.deepEqual(after.incremental, { analysed: 1, reused: 4 });
  });

  test("the editor's edits reuse the summaries of unchanged files' functions until a file they rest on changes", () => {
    // A controller calls a service that calls a repository, through a barrel; a mapper beside the service uses the
    // repository's types only. Each step is compared with a full scan.
    const files = {
      'types.ts': TYPES,
      'repo.ts': `import type { Patient } from './types';\ndeclare function loadRow(table: string, id: string): Patient;\nexport function findPatient(id: string): Patient {\n  return loadRow('patients', id);\n}\n`,
      'mapper.ts': `import type { Patient } from './types';\nexport function toView(p: Patient) {\n  return { diagnosis: p.diagnosis };\n}\n`,
      'service.ts': `import { findPatient } from './repo';\nimport { toView } from './mapper';\nexport function describePatient(id: string) {\n  return toView(findPatient(id));\n}\n`,
      'index.ts': `export { describePatient } from './service';\n`,
      'controller.ts': `import { describePatient } from './index';\nexport function show(id: string) {\n  console.log('status: ok', describePatient(id).diagnosis);\n  return 'ok';\n}\n`,
    };
    const root = project(files);
    const options: ScanOptions = { paths: [root], config: {}, cache: new MemoryStore(), parseCaches: new Map() };
    const step = stepper(options, (edits) => write(root, edits));
    const logged = (result: AnalysisResult) => logLines(result).filter((line) => line.endsWith('controller.ts:3'));
    assert.deepEqual(logged(scan(options)), ['src/controller.ts:3']);
    // The first edit computes the service's summaries in a new checker; the next ones take them as they were.
    step({ 'controller.ts': files['controller.ts'].replace('status: ok', 'status: ok-1') }, 'first edit');
    const second = step({ 'controller.ts': files['controller.ts'].replace('status: ok', 'status: ok-22') }, 'second edit');
    assert.equal(second.incremental?.analysed, 1);
    assert.equal(second.incremental?.summaries, 1, 'describePatient, with what computing it did (findPatient, toView)');
    assert.deepEqual(logged(second), ['src/controller.ts:3']);
    // The mapper now drops the diagnosis: the service's kept summary rests on it and must not be used again.
    const mapped = step({ 'mapper.ts': files['mapper.ts'].replace('diagnosis: p.diagnosis', 'reference: p.id') }, 'mapper changed');
    assert.deepEqual(logged(mapped), []);
    const third = step({ 'controller.ts': files['controller.ts'].replace('status: ok', 'status: ok-333') }, 'third edit');
    assert.deepEqual(logged(third), [], 'the summary made before the mapper changed is not used');
    // A type the repository's data comes from changes; the controller is edited twice more.
    step({ 'types.ts': TYPES.replace('diagnosis: string', 'diagnosis: string; notes: string'), 'mapper.ts': files['mapper.ts'] }, 'types and mapper changed');
    step({ 'controller.ts': files['controller.ts'].replace('status: ok', 'status: ok-4444') }, 'fourth edit');
    const fifth = step({ 'controller.ts': files['controller.ts'].replace('status: ok', 'status: ok-55555') }, 'fifth edit');
    assert.deepEqual(logged(fifth), ['src/controller.ts:3']);
    assert.equal(fifth.incremental?.summaries, 1);
  });

  test('a new caller turns an entry point of an unchanged file into a callee: that file is analysed again', () => {
    const root = project({
      'types.ts': TYPES,
      'report.ts': `import type { Patient } from './types';\nexport function report(p: Patient) {\n  console.log(p.diagnosis);\n}\n`,
      'other.ts': `export function unrelated() {\n  return 1;\n}\n`,
    });
    const options: ScanOptions = { paths: [root], config: {}, cache: new MemoryStore() };
    const before = scan(options);
    assert.deepEqual(logLines(before), ['src/report.ts:3'], 'an uncalled function is an entry point: its Patient parameter is health data');
    write(root, { 'caller.ts': `import { report } from './report';\nexport function run() {\n  report({ id: 'x', diagnosis: 'none', birthYear: 1 } as never);\n}\n` });
    const after = scan(options);
    assertSameAsFullScan(options, after, 'new caller');
    assert.ok((after.incremental?.analysed ?? 0) >= 2, 'the new file and the file whose function it now calls');
  });

  test('an edited file starts calling an unchanged file\'s entry point: that file is analysed again (its calls changed)', () => {
    const report = `import type { Patient } from './types';\nexport function report(p: Patient) {\n  console.log(p.diagnosis);\n}\n`;
    const root = project({ 'types.ts': TYPES, 'report.ts': report, 'other.ts': `export function unrelated() {\n  return 1;\n}\n` });
    const options: ScanOptions = { paths: [root], config: {}, cache: new MemoryStore() };
    assert.deepEqual(logLines(scan(options)), ['src/report.ts:3']);
    // Not a new file: its record's calls change, and report() is no longer an entry point.
    write(root, { 'other.ts': `import { report } from './report';\nexport function unrelated() {\n  report({ id: 'x', diagnosis: 'none', birthYear: 1 } as never);\n  return 1;\n}\n` });
    const after = scan(options);
    assertSameAsFullScan(options, after, 'a call added to an existing file');
    assert.deepEqual(logLines(after), []);
    assert.deepEqual(after.incremental, { analysed: 2, reused: 1 });
  });

  test("a dependency's declaration file changed on disk: it is parsed again, though parses of dependencies are shared", () => {
    const root = project({ 'route.ts': `import { load } from 'clinic-db';\nexport function route(id: string) {\n  console.log(load(id));\n}\n` });
    const declaration = join(root, 'node_modules', 'clinic-db', 'index.d.ts');
    mkdirSync(dirname(declaration), { recursive: true });
    writeFileSync(declaration, `export declare function load(id: string): { id: string; diagnosis: string };\n`);
    const options: ScanOptions = { paths: [root], config: {}, cache: new MemoryStore(), parseCaches: new Map() };
    assert.deepEqual(logLines(scan(options)), ['src/route.ts:3']);
    // An upgrade of the package (its size and time change): shared parses are checked against both.
    writeFileSync(declaration, `export declare function load(id: string): { id: string; favouriteColour: string };\n`);
    const after = scan(options);
    assertSameAsFullScan(options, after, 'dependency declaration changed');
    assert.deepEqual(logLines(after), []);
  });

  test('a declaration file of the project edited: what it declares is read again, not the parse of its previous text', () => {
    const root = project({
      'load.d.ts': `declare function load(id: string): { id: string; diagnosis: string };\n`,
      'route.ts': `export function route(id: string) {\n  console.log(load(id));\n}\n`,
    });
    const options: ScanOptions = { paths: [root], config: {}, cache: new MemoryStore(), parseCaches: new Map() };
    assert.deepEqual(logLines(scan(options)), ['src/route.ts:2']);
    write(root, { 'load.d.ts': `declare function load(id: string): { id: string; colour: string };\n` });
    const after = scan(options);
    assertSameAsFullScan(options, after, 'declaration file edited');
    assert.deepEqual(logLines(after), []);
  });

  test('a changed file registers an unchanged file\'s function as a response handler: that file is analysed again', () => {
    const handler = `import type { Patient } from './types';\ndeclare function load(id: string): Patient;\nexport async function showPatient(request: { params: { id: string } }) {\n  const patient = load(request.params.id);\n  return { diagnosis: patient.diagnosis };\n}\n`;
    const server = `import Fastify from 'fastify';\nconst app = Fastify();\napp.get('/health', async () => ({ ok: true }));\n`;
    const root = project({ 'types.ts': TYPES, 'handler.ts': handler, 'server.ts': server });
    const options: ScanOptions = { paths: [root], config: {}, cache: new MemoryStore() };
    const before = scan(options);
    assert.equal(before.findings.filter((f) => f.location.file.endsWith('handler.ts')).length, 0, 'returning data is no export until something serves it');
    write(root, { 'server.ts': `import { showPatient } from './handler';\n${server}app.get('/patients/:id', showPatient);\n` });
    const after = scan(options);
    assertSameAsFullScan(options, after, 'handler registered');
    assert.ok(after.findings.some((f) => f.location.file.endsWith('handler.ts')), 'the returned diagnosis is now a response');
    assert.deepEqual(after.incremental, { analysed: 2, reused: 1 }); // server, and handler for its new role
  });

  test("the editor's way: a file that starts using a helper is reached by the helper's next change", () => {
    const root = project({ 'types.ts': TYPES, 'helper.ts': SAFE_HELPER, 'a.ts': ROUTE('routeA'), 'leaf.ts': LEAF });
    const options: ScanOptions = { paths: [root], config: {}, cache: new MemoryStore(), parseCaches: new Map() };
    const step = stepper(options, (edits) => write(root, edits));
    assert.deepEqual(logLines(scan(options)), []);
    // What reaches what is kept from the last scan (ReachIndex): leaf.ts's new reference must be in it.
    step({ 'leaf.ts': LEAF.replace("from './types';", "from './types';\nimport { describe } from './helper';").replace('load(id).birthYear', 'describe(load(id))') }, 'leaf uses the helper');
    const leaks = step({ 'helper.ts': HELPER }, 'the helper leaks');
    assert.deepEqual(logLines(leaks), ['src/a.ts:5', 'src/leaf.ts:5']);
  });

  // With parse caches, as the editor scans: what reaches what is then kept from one scan to the next (ReachIndex).
  for (const [how, kept] of [['', {}], [', the editor\'s way', { parseCaches: new Map() }]] as const) {
    test(`a deleted file, and a new file an import was waiting for${how}`, () => {
      const root = clinic();
      const options: ScanOptions = { paths: [root], config: {}, cache: new MemoryStore(), ...kept };
      scan(options);
      rmSync(join(root, 'src', 'helper.ts'));
      const deleted = scan(options);
      assertSameAsFullScan(options, deleted, 'deleted helper');
      write(root, { 'helper.ts': HELPER });
      const restored = scan(options);
      assertSameAsFullScan(options, restored, 'helper created again');
      assert.deepEqual(logLines(restored), ['src/a.ts:5', 'src/b.ts:5', 'src/c.ts:5']);
    });
  }

  test('the register and rule severities are applied to cached results without analysing again', () => {
    const root = clinic();
    const options: ScanOptions = { paths: [root], config: {}, configDirectory: root, cache: new MemoryStore() };
    scan(options);
    writeFileSync(
      join(root, 'health-data-register.yaml'),
      'processings:\n  - id: care-logs\n    purpose: Care\n    legalBasis: [gdpr-6-1-e, gdpr-9-2-h]\n    appliesTo: ["src/a.ts"]\n',
    );
    const withRegister = scan(options);
    assertSameAsFullScan(options, withRegister, 'register added');
    assert.deepEqual(withRegister.incremental, { analysed: 0, reused: 6 });
    assert.deepEqual(withRegister.register?.entries.map((e) => e.id), ['care-logs'], 'the register is read on every scan, cached or not');
    // Configuration is part of the key: a change of rules analyses again (and still agrees with a full scan).
    const quieter: ScanOptions = { ...options, config: { rules: { 'log-exposure': 'warning' } } };
    const changed = scan(quieter);
    assertSameAsFullScan(quieter, changed, 'rule severity changed');
    assert.ok(changed.findings.filter((f) => f.ruleId === 'log-exposure').every((f) => f.severity === 'warning'));
  });

  test('a changed register changes the verdicts of cached paths: judgements and flows are reused only for the same register', () => {
    // A route whose export the register covers (an Art. 9(2)(h) basis), with the express and Prisma declarations of the fixtures.
    const fixtures = join(repository, 'test', 'fixtures');
    const root = mkdtempSync(join(tmpdir(), 'hdl-cache-register-'));
    cpSync(join(fixtures, 'rules', 'unprotected-export', 'neg-register-covers-care-api', 'src'), join(root, 'src'), { recursive: true });
    writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ extends: join(fixtures, 'tsconfig.base.json'), include: ['src/**/*', join(fixtures, 'stubs', '**', '*.d.ts')] }));
    const register = (bases: string) =>
      writeFileSync(join(root, 'health-data-register.yaml'), `processings:\n  - id: patient-portal\n    purpose: Patients consult their own record\n    legalBasis: [${bases}]\n    appliesTo: ["src/routes/**"]\n`);
    register('gdpr-6-1-e, gdpr-9-2-h');
    const options: ScanOptions = { paths: [root], config: {}, configDirectory: root, cache: new MemoryStore() };
    const rules = (result: AnalysisResult) => result.findings.filter((f) => f.location.file.endsWith('portal.ts')).map((f) => f.ruleId);
    const statuses = (result: AnalysisResult) => (result.flows ?? []).filter((f) => f.location.file.endsWith('portal.ts')).map((f) => f.status);
    const covered = scan(options);
    assert.deepEqual(rules(covered), [], 'covered by the register');
    assert.deepEqual(statuses(covered), ['covered']);
    register('gdpr-6-1-e');
    const insufficient = scan(options);
    assert.deepEqual(insufficient.incremental, { analysed: 0, reused: 2 }, 'the code did not change: nothing is analysed again');
    assert.deepEqual(rules(insufficient), ['insufficient-legal-basis'], 'no Art. 9(2) condition: the same path judged again');
    assert.deepEqual(statuses(insufficient), ['insufficient']);
    assertSameAsFullScan(options, insufficient, 'register without an Art. 9 condition');
    rmSync(join(root, 'health-data-register.yaml'));
    const uncovered = scan(options);
    assert.deepEqual(rules(uncovered), ['unprotected-export']);
    assertSameAsFullScan(options, uncovered, 'register removed');
    register('gdpr-6-1-e, gdpr-9-2-h');
    assert.deepEqual(rules(scan(options)), [], 'the first register again');
  });

  test('an incremental pass over the same files as the previous one reuses its Program: imports are not resolved again', () => {
    const root = clinic();
    const cache = new ParseCache();
    const project = parseProjectConfig(join(root, 'tsconfig.json'));
    const route = join(root, 'src', 'a.ts');
    const text = readFileSync(route, 'utf8');
    // `structureIsReused` is internal to the compiler: 0 is StructureIsReused.Not (everything resolved again).
    const reuse = (program: object) => (program as { structureIsReused?: number }).structureIsReused;
    createProgram({ ...project, rootNames: [route] }, undefined, undefined, cache, true);
    const edited = createProgram({ ...project, rootNames: [route] }, { readFile: (f) => (f === route ? `${text}// edited\n` : undefined) }, undefined, cache, true);
    assert.ok((reuse(edited) ?? 0) > 0, `the same roots after an edit: reused (${reuse(edited)})`);
    const other = createProgram({ ...project, rootNames: [join(root, 'src', 'b.ts')] }, undefined, undefined, cache, true);
    assert.equal(reuse(other), 0, 'other roots: a Program of its own');
  });

  test('the Program kept for the next whole analysis is one without a type checker: the analysed one is released', async () => {
    const root = clinic();
    const cache = new ParseCache();
    const project = parseProjectConfig(join(root, 'tsconfig.json'));
    const readerOf = () => ({ readFile: (f: string) => (f.startsWith(root) && existsSync(f) ? readFileSync(f, 'utf8') : undefined) });
    const reader = readerOf();
    const [analysed, scanReader] = (() => {
      const scanned = readerOf();
      const program = createProgram(project, scanned, undefined, cache);
      program.getTypeChecker().getTypeAtLocation(program.getSourceFile(join(root, 'src', 'a.ts'))!.statements[0]!);
      return [new WeakRef(program), new WeakRef(scanned)];
    })();
    cache.dropChecker();
    // A WeakRef's target lives until the end of the job that made or read it: collect in a later one.
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.ok(collectGarbage(), 'a full collection is available');
    assert.equal(analysed.deref(), undefined, 'the analysed Program, and the checker with every type it made, are garbage');
    assert.ok(cache.previous, 'a Program is kept');
    assert.equal(scanReader.deref(), undefined, 'and the kept one, rebuilt with the scan\'s reader, no longer holds it');
    const next = createProgram(project, reader, undefined, cache);
    assert.ok(((next as { structureIsReused?: number }).structureIsReused ?? 0) > 0, 'the next whole Program reuses its structure');
  });

  test("a Program kept for the next edit keeps the scan's reader only until the scan releases it", async () => {
    const root = clinic();
    const cache = new ParseCache();
    const project = parseProjectConfig(join(root, 'tsconfig.json'));
    const route = join(root, 'src', 'a.ts');
    const readerOf = () => ({ readFile: (f: string) => (f.startsWith(root) && existsSync(f) ? readFileSync(f, 'utf8') : undefined) });
    // What one scan reads through (its stats, the editor's texts), made and dropped in a job of its own.
    const scanWith = (release: boolean) => {
      const reader = readerOf();
      const program = createProgram({ ...project, rootNames: [route] }, reader, undefined, cache, true);
      program.getTypeChecker().getTypeAtLocation(program.getSourceFile(route)!.statements[0]!);
      if (release) releaseScanInputs(program);
      return new WeakRef(reader);
    };
    const kept = scanWith(false);
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.ok(collectGarbage(), 'a full collection is available');
    assert.ok(kept.deref(), 'unreleased, the kept Program holds the reader (the control: this test can fail)');
    const released = scanWith(true);
    await new Promise((resolve) => setTimeout(resolve, 10));
    collectGarbage();
    assert.equal(released.deref(), undefined, 'released, the reader is garbage while the Program is kept');
    const next = createProgram({ ...project, rootNames: [route] }, readerOf(), undefined, cache, true);
    assert.ok(((next as { structureIsReused?: number }).structureIsReused ?? 0) > 0, 'the next edit still reuses its structure');
  });

  test('changed compiler options invalidate every record (types may resolve differently)', () => {
    const root = clinic();
    const options: ScanOptions = { paths: [root], config: {}, cache: new MemoryStore() };
    scan(options);
    writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: false, target: 'ES2022', lib: ['ES2022'], module: 'commonjs' }, include: ['src'] }));
    const after = scan(options);
    assert.deepEqual(after.incremental, { analysed: 6, reused: 0 });
    assertSameAsFullScan(options, after, 'compiler options changed');
  });

  test('on disk: the cache survives the process, a corrupt entry is a cold scan, an unwritable directory a warning', () => {
    const root = clinic();
    const directory = mkdtempSync(join(tmpdir(), 'hdl-cache-dir-'));
    const first = scan({ paths: [root], config: {}, cache: new DiskStore(directory) });
    const files = readdirSync(directory).filter((f) => f.endsWith('.json'));
    assert.equal(files.length, 1, 'one cache file per project');
    const second = scan({ paths: [root], config: {}, cache: new DiskStore(directory) });
    assert.deepEqual(second.incremental, { analysed: 0, reused: 6 });
    assert.deepEqual(comparable(second), comparable(first));

    // An entry written by another build of the engine (an update) is rejected from its first bytes.
    const entry = readFileSync(join(directory, files[0]), 'utf8');
    assert.match(entry, /^\{"format":\d+,"engine":"/);
    writeFileSync(join(directory, files[0]), entry.replace(/"engine":"/, '"engine":"an older build '));
    const key = `${join(root, 'tsconfig.json')}`;
    assert.equal(new DiskStore(directory).has(key), false, 'another engine: not an entry to wait for');
    assert.equal(new DiskStore(directory).load(key), undefined);
    const afterUpdate = scan({ paths: [root], config: {}, cache: new DiskStore(directory) });
    assert.deepEqual(afterUpdate.incremental, { analysed: 6, reused: 0 });
    assert.deepEqual(comparable(afterUpdate), comparable(first));
    assert.equal(new DiskStore(directory).has(key), true, 'written again by this engine');

    writeFileSync(join(directory, files[0]), '{"format":1,"projectKey":');
    const afterCorruption = scan({ paths: [root], config: {}, cache: new DiskStore(directory) });
    assert.deepEqual(afterCorruption.incremental, { analysed: 6, reused: 0 });
    assert.deepEqual(comparable(afterCorruption), comparable(first));

    const blocker = join(directory, 'not-a-directory');
    writeFileSync(blocker, '');
    const store = new DiskStore(join(blocker, 'cache'));
    const unwritable = scan({ paths: [root], config: {}, cache: store });
    assert.deepEqual(comparable(unwritable), comparable(first));
    assert.equal(store.warnings.length, 1);
    assert.match(store.warnings[0], /could not write the results cache/);
  });

  test('on disk: the dependency graph is read only when something changed, and only with the results it was written with', () => {
    const root = clinic();
    const directory = mkdtempSync(join(tmpdir(), 'hdl-cache-dir-'));
    const first = scan({ paths: [root], config: {}, cache: new DiskStore(directory) });
    const [name] = readdirSync(directory).filter((f) => f.endsWith('.json'));
    const entry = join(directory, name!);
    const [results, graph, ...rest] = readFileSync(entry, 'utf8').split('\n');
    assert.equal(rest.length, 0, 'two lines: the results, then the graph');
    const at = Number(/"graphAt":"(\d+)"/.exec(results!)![1]);
    assert.equal(at, Buffer.byteLength(results!) + 1, 'the header says where the graph starts');
    assert.doesNotMatch(results!, /"names":/, 'the results line has no graph');
    assert.match(graph!, /"names":/);

    // Read whole, the graph joins the records it was written with, once.
    const loaded = new DiskStore(directory).load(join(root, 'tsconfig.json'))!;
    const someRecord = () => Object.values(loaded.records)[0]!;
    assert.equal(someRecord().names, undefined, 'the results come without the graph');
    assert.equal(loaded.readGraph!(), true);
    assert.equal(loaded.readGraph, undefined, 'nothing more to read');
    assert.ok(someRecord().names && Array.isArray(someRecord().calls));

    // Nothing changed: the graph is not read (a broken one goes unnoticed), the results stand.
    writeFileSync(entry, `${results}\n{"broken`);
    const unchanged = scan({ paths: [root], config: {}, cache: new DiskStore(directory) });
    assert.deepEqual(unchanged.incremental, { analysed: 0, reused: 6 });
    assert.deepEqual(comparable(unchanged), comparable(first));
    // Something changed: the graph is needed, and a broken one is a cold scan.
    write(root, { 'leaf.ts': LEAF.replace('birthYear', 'diagnosis') });
    const changed = scan({ paths: [root], config: {}, cache: new DiskStore(directory) });
    assert.deepEqual(changed.incremental, { analysed: 6, reused: 0 });
    assertSameAsFullScan({ paths: [root], config: {} }, changed, 'broken graph');
    // The graph of another write of the entry (another stamp) is never joined to these results.
    const [newResults] = readFileSync(entry, 'utf8').split('\n');
    write(root, { 'leaf.ts': LEAF });
    scan({ paths: [root], config: {}, cache: new DiskStore(directory) });
    const [, otherGraph] = readFileSync(entry, 'utf8').split('\n');
    writeFileSync(entry, `${newResults}\n${otherGraph}`);
    write(root, { 'leaf.ts': LEAF.replace('birthYear', 'diagnosis') });
    const mismatched = scan({ paths: [root], config: {}, cache: new DiskStore(directory) });
    assert.deepEqual(mismatched.incremental, { analysed: 6, reused: 0 });
    // Written whole again, it serves the next change as before.
    write(root, { 'leaf.ts': LEAF });
    const again = scan({ paths: [root], config: {}, cache: new DiskStore(directory) });
    assert.deepEqual(again.incremental, { analysed: 1, reused: 5 });
    assert.deepEqual(comparable(again), comparable(first));
  });

  test("a first look (the editor reopening a workspace) answers from the project's kept results while nothing changed, callers elsewhere included", () => {
    const LOG = `export function record(event: string, context: Record<string, unknown>): void {\n  console.log(event, context);\n}\n`;
    const SHOW = `import type { Patient } from './types';\nimport { record } from './log';\ndeclare function load(id: string): Patient;\nexport function show(id: string) {\n  record('shown', { diagnosis: load(id).diagnosis });\n}\n`;
    const root = project({ 'types.ts': TYPES, 'log.ts': LOG, 'show.ts': SHOW, 'leaf.ts': LEAF });
    const directory = mkdtempSync(join(tmpdir(), 'hdl-cache-dir-'));
    const logFile = join(root, 'src', 'log.ts');
    const inLog = (result: AnalysisResult) => result.findings.filter((f) => f.location.file === logFile);
    const full = scan({ paths: [root], config: {}, cache: new DiskStore(directory) });
    assert.deepEqual(inLog(full).map((f) => `${f.ruleId}:${f.location.line}`), ['log-exposure:2'], 'the helper logs what a caller elsewhere passes it');
    // Without kept results, a first look sees the helper and what it imports, not its callers.
    const plain = scan({ paths: [root], config: {}, focus: [logFile] });
    assert.deepEqual(plain.findings, []);
    assert.deepEqual(plain.incremental, { analysed: 1, reused: 0 });

    const store = new PersistentStore(new DiskStore(directory));
    const reopened = scan({ paths: [root], config: {}, cache: store, focus: [logFile] });
    assert.deepEqual(reopened.incremental, { analysed: 0, reused: 4 }, 'nothing is analysed');
    assert.deepEqual(JSON.parse(JSON.stringify(reopened.findings)), JSON.parse(JSON.stringify(inLog(full))), "the focus file's findings, and only them");
    assert.deepEqual(reopened.fields, []);
    assert.equal(store.dirty, false, 'a first look writes nothing');
    // The project's analysis that follows starts from the same kept results.
    const after = scan({ paths: [root], config: {}, cache: store });
    assert.deepEqual(after.incremental, { analysed: 0, reused: 4 });
    assert.deepEqual(comparable(after), comparable(full));

    // Anything changed since: a plain first look (quicker than the passes a change may need), from the focus file's imports.
    writeFileSync(join(root, 'src', 'show.ts'), SHOW.replace("'shown'", "'opened'"));
    const changed = scan({ paths: [root], config: {}, cache: new PersistentStore(new DiskStore(directory)), focus: [logFile] });
    assert.deepEqual(changed.incremental, { analysed: 1, reused: 0 });
    assert.deepEqual(changed.findings, []);
  });

  test('a first look told which files declare globals (the editor\'s hint) sees them as one that reads every file does', () => {
    // A script (no import, no export) declares a type every file sees: the typed parameter is a visit, not a record.
    const VISIT = `interface Visit { room: string; minutes: number }\n`;
    const SHOW = `export function show(patient: Visit) {\n  console.log(patient);\n}\n`;
    const root = project({ 'visit.ts': VISIT, 'show.ts': SHOW, 'leaf.ts': LEAF, 'types.ts': TYPES });
    const showFile = join(root, 'src', 'show.ts');
    const visitFile = join(root, 'src', 'visit.ts');
    const ruled = (result: AnalysisResult) => result.findings.map((f) => `${f.ruleId}:${f.location.line}`);
    const read = scan({ paths: [root], config: {}, focus: [showFile] });
    assert.deepEqual(ruled(read), [], 'the global type is known: a visit is not health data');
    const hinted = scan({ paths: [root], config: {}, focus: [showFile], globalScripts: new Set([visitFile]) });
    assert.deepEqual(JSON.parse(JSON.stringify(hinted.findings)), JSON.parse(JSON.stringify(read.findings)));
    // The hint is what the first look goes by: without the script in it, the type is unknown and the name decides.
    const unhinted = scan({ paths: [root], config: {}, focus: [showFile], globalScripts: new Set() });
    assert.deepEqual(ruled(unhinted), ['log-exposure:2'], 'a parameter named like a record, of an unknown type');
    // A file open in the editor is judged by its open text, whatever the hint says of the disk.
    const opened = scan({ paths: [root], config: {}, focus: [showFile], globalScripts: new Set(), readFile: (file) => (file === visitFile ? VISIT : undefined) });
    assert.deepEqual(ruled(opened), []);
    const exported = scan({ paths: [root], config: {}, focus: [showFile], globalScripts: new Set([visitFile]), readFile: (file) => (file === visitFile ? `export ${VISIT}` : undefined) });
    assert.deepEqual(ruled(exported), ['log-exposure:2'], 'open as a module, it declares nothing global');
  });

  test('a scan asks the disk for the size and time of each project file once', () => {
    // Files that import nothing: TypeScript's module resolution asks the disk about imported files on its own.
    const leak = (name: string) => `export function ${name}(visit: { diagnosis: string }) {\n  console.log(visit.diagnosis);\n}\n`;
    const root = project({ 'a.ts': leak('a'), 'b.ts': leak('b'), 'c.ts': leak('c').replace('  console', '  // health-data-lint-disable-next-line log-exposure -- a test of the count\n  console'), 'd.ts': 'export const d = 1;\n' });
    const counted = new Map<string, number>();
    // The module object itself (the engine's import of it reads its properties when called), not an import binding.
    const fs = require('node:fs') as { statSync: (...args: unknown[]) => unknown };
    const statSync = fs.statSync;
    fs.statSync = (file: unknown, ...rest: unknown[]) => {
      counted.set(String(file), (counted.get(String(file)) ?? 0) + 1);
      return statSync(file, ...rest);
    };
    let result: AnalysisResult;
    try {
      result = scan({ paths: [root], config: {}, cache: new MemoryStore() });
    } finally {
      fs.statSync = statSync;
    }
    assert.deepEqual(result.findings.map((f) => `${f.location.file.slice(root.length)}${f.suppressed ? ' (suppressed)' : ''}`), ['/src/a.ts', '/src/b.ts', '/src/c.ts (suppressed)']);
    const sources = readdirSync(join(root, 'src')).map((name) => join(root, 'src', name));
    assert.deepEqual(sources.map((file) => `${file.slice(root.length)}: ${counted.get(file) ?? 0}`), sources.map((file) => `${file.slice(root.length)}: 1`));
  });

  test('the editor keeps its results on disk only when asked (flush), and reads them once', () => {
    const root = clinic();
    const directory = mkdtempSync(join(tmpdir(), 'hdl-cache-dir-'));
    const store = new PersistentStore(new DiskStore(directory));
    const first = scan({ paths: [root], config: {}, cache: store });
    assert.deepEqual(readdirSync(directory), [], 'nothing written before a flush');
    assert.equal(store.dirty, true);
    store.flush();
    assert.equal(store.dirty, false);
    assert.equal(readdirSync(directory).filter((f) => f.endsWith('.json')).length, 1);
    const next = new PersistentStore(new DiskStore(directory));
    const key = join(root, 'tsconfig.json');
    assert.equal(next.hasUnread(key), true);
    const second = scan({ paths: [root], config: {}, cache: next });
    assert.equal(next.hasUnread(key), false);
    assert.deepEqual(second.incremental, { analysed: 0, reused: 6 });
    assert.deepEqual(comparable(second), comparable(first));
    // Deleted under it: the entry in memory stands for this session.
    rmSync(directory, { recursive: true, force: true });
    assert.deepEqual(scan({ paths: [root], config: {}, cache: next }).incremental, { analysed: 0, reused: 6 });
  });

  test('CLI: --cache-location writes there, the second run reports the same, --help documents it', () => {
    const root = clinic();
    const cli = join(repository, 'dist', 'cli.js');
    if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `node scripts/build.mjs` first');
    const directory = join(mkdtempSync(join(tmpdir(), 'hdl-cli-cache-')), 'cache');
    const run = () => {
      try {
        return execFileSync(process.execPath, [cli, root, '--format', 'json', '--no-progress', '--cache-location', directory], { encoding: 'utf8' });
      } catch (error) {
        return (error as { stdout: string }).stdout; // exit 1: findings at error severity
      }
    };
    const first = run();
    assert.ok(readdirSync(directory).length > 0, 'the cache directory was written');
    assert.equal(run(), first);
    const help = execFileSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
    assert.match(help, /--cache-location <dir>/);
  });
});

// Edits of real-looking applications: the cached scan and a full scan must agree. `npm test` runs four applications
// (JavaScript + Express, NestJS, Koa, the example); HEALTH_DATA_LINT_CACHE_EQUIVALENCE=all runs every realistic one.
describe('results cache agrees with full scans on the realistic fixture applications', () => {
  const all = process.env.HEALTH_DATA_LINT_CACHE_EQUIVALENCE === 'all';
  const short = new Set(['express-lab-integration', 'nestjs-teleconsultation', 'koa-middleware-chain']);
  const apps = listRuleCases(join(repository, 'test', 'fixtures', 'rules')).filter((c) => c.rule.startsWith('realistic-apps') && (all || short.has(c.name)));
  const cases = [...apps.map((c) => ({ name: `${c.rule}/${c.name}`, dir: c.dir, config: c.projectConfig })), { name: 'examples/clinic-api', dir: join(repository, 'examples', 'clinic-api'), config: findProjectConfig(join(repository, 'examples', 'clinic-api')) }];
  for (const app of cases) {
    test(app.name, () => {
      const files = listSourceFiles(app.dir).filter((f) => !f.endsWith('.d.ts'));
      // Files of the application (first and last; and the middle one with ...=all), three edits each: a comment at the
      // end, a new leak, a line above everything (every position moves).
      const picked = [...new Set(all ? [files[0], files[Math.floor(files.length / 2)], files[files.length - 1]] : [files[0], files[files.length - 1]])];
      const overlay = new Map<string, string>();
      const readFile = (file: string) => overlay.get(file);
      // Parsed files kept between scans, as the editor does: edits also reuse the summaries of unchanged files.
      const options: ScanOptions = { paths: [app.dir], config: {}, readFile, cache: new MemoryStore(), parseCaches: new Map() };
      assertSameAsFullScan(options, scan(options), 'cold');
      for (const file of picked) {
        const original = execFileSync('cat', [file], { encoding: 'utf8' });
        const probe = file.endsWith('.ts') || file.endsWith('.tsx') ? `\nexport function cacheProbe(visit: { diagnosis: string }) {\n  console.log(visit.diagnosis);\n}\n` : `\nexport function cacheProbe(visit) {\n  console.log(visit.diagnosis);\n}\n`;
        for (const edited of [`${original}\n// edited\n`, `${original}${probe}`, `// edited\n${original}`]) {
          overlay.set(file, edited);
          const result = scan(options);
          assertSameAsFullScan(options, result, `${relative(app.dir, file)} edited`);
          assert.ok((result.incremental?.analysed ?? 0) >= 1);
        }
        overlay.delete(file);
        assertSameAsFullScan(options, scan(options), `${relative(app.dir, file)} restored`);
      }
    });
  }
});

describe('files reaching a changed name', () => {
  const graph = (names: Record<string, string[]>): Record<string, NameNode> => Object.fromEntries(Object.entries(names).map(([name, refs]) => [name, { own: name, refs }]));

  test('through names of other files and through a file\'s own names, whatever order the files come in', () => {
    const records = [
      { file: 'c.ts', names: graph({ user: ['b.ts#api'] }) },
      // `api` reaches the changed `helper` only through its own file: nothing here names another file's changed name.
      { file: 'b.ts', names: graph({ api: ['#helper'], helper: [] }) },
      { file: 'd.ts', names: graph({ unrelated: ['#local'], local: ['e.ts#other'] }) },
      { file: 'f.ts', names: graph({ late: ['c.ts#user'] }) },
    ];
    assert.deepEqual([...filesReaching(records, ['b.ts#helper'])].sort(), ['b.ts', 'c.ts', 'f.ts']);
    // The same records again (an editor's next edit): what is kept per graph gives the same answer.
    assert.deepEqual([...filesReaching(records, ['e.ts#other'])].sort(), ['d.ts', 'e.ts']);
    assert.deepEqual([...filesReaching(records, ['c.ts#nothing'])].sort(), ['c.ts']);
  });

  test('an index kept between edits follows the graphs that changed, the files added and those deleted', () => {
    const index = new ReachIndex();
    let records = [
      { file: 'a.ts', names: graph({ main: ['b.ts#api'] }) },
      { file: 'b.ts', names: graph({ api: ['#helper'], helper: [] }) },
      { file: 'c.ts', names: graph({ other: [] }) },
    ];
    assert.deepEqual([...filesReaching(records, ['b.ts#helper'], index)].sort(), ['a.ts', 'b.ts']);
    // a.ts edited: it now uses c.ts, no longer b.ts (its graph is a new object, as after an analysis).
    records = [{ file: 'a.ts', names: graph({ main: ['c.ts#other'] }) }, records[1]!, records[2]!];
    assert.deepEqual([...filesReaching(records, ['b.ts#helper'], index)].sort(), ['b.ts']);
    assert.deepEqual([...filesReaching(records, ['c.ts#other'], index)].sort(), ['a.ts', 'c.ts']);
    // A new file using b.ts, and c.ts deleted: a.ts's stale reference to it reaches nothing it names.
    records = [records[0]!, records[1]!, { file: 'd.ts', names: graph({ late: ['b.ts#api'] }) }];
    assert.deepEqual([...filesReaching(records, ['b.ts#helper'], index)].sort(), ['b.ts', 'd.ts']);
    assert.deepEqual([...filesReaching(records, ['c.ts#other'], index)].sort(), ['a.ts', 'c.ts']);
    // d.ts deleted in turn: no longer among the files reaching what it used.
    const withD = records;
    records = [records[0]!, records[1]!];
    assert.deepEqual([...filesReaching(records, ['b.ts#helper'], index)].sort(), ['b.ts']);
    records = withD;
    // The kept index answers as one made for the call does.
    for (const changed of [['b.ts#helper'], ['c.ts#other'], ['d.ts#late'], ['a.ts#main', 'b.ts#api']]) {
      assert.deepEqual([...filesReaching(records, changed, index)].sort(), [...filesReaching(records, changed)].sort());
    }
  });
});

describe('results cache across tsconfig projects (a monorepo): another package\'s sources are tracked by name', () => {
  // Two packages with a tsconfig each and none at the root; the API imports the shared package's sources (through
  // its barrel and directly), as workspaces with `paths` or relative imports do.
  const SHARED_FORMAT = `import type { Patient } from './types';\nexport function describe(p: Patient): string {\n  return p.diagnosis;\n}\nexport function label(p: Patient): string {\n  return p.id;\n}\n`;
  const API_USER = (name: string, fn: string, from: string) =>
    `import { ${fn}, type Patient } from '${from}';\ndeclare function load(id: string): Patient;\nexport function ${name}(id: string) {\n  console.log(${fn}(load(id)));\n}\n`;
  const API_LEAF = `export function health() {\n  return 'ok';\n}\n`;

  function monorepo(): string {
    const root = mkdtempSync(join(tmpdir(), 'hdl-cache-mono-'));
    const tsconfig = JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', lib: ['ES2022'], module: 'commonjs' }, include: ['src'] });
    writeMono(root, {
      'shared/tsconfig.json': tsconfig,
      'shared/src/types.ts': TYPES,
      'shared/src/format.ts': SHARED_FORMAT,
      'shared/src/index.ts': `export * from './types';\nexport * from './format';\n`,
      'api/tsconfig.json': tsconfig,
      'api/src/a.ts': API_USER('routeA', 'describe', '../../shared/src/index'),
      'api/src/b.ts': API_USER('routeB', 'label', '../../shared/src/index'),
      'api/src/c.ts': API_USER('routeC', 'label', '../../shared/src/format').replace("type Patient } from '../../shared/src/format'", "} from '../../shared/src/format';\nimport type { Patient } from '../../shared/src/types'"),
      'api/src/health.ts': API_LEAF,
    });
    return root;
  }

  function writeMono(root: string, files: Record<string, string>): void {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, 'packages', name)), { recursive: true });
      writeFileSync(join(root, 'packages', name), text);
    }
  }

  const apiLogs = (result: AnalysisResult) => logLines(result).filter((line) => line.startsWith('src/') && !line.includes('shared'));

  test('a new export in the other package: only its own file is analysed again, no file of the importing package', () => {
    const root = monorepo();
    const options: ScanOptions = { paths: [root], config: {}, cache: new MemoryStore() };
    assert.deepEqual(apiLogs(scan(options)), ['src/a.ts:4']);
    writeMono(root, { 'shared/src/format.ts': `${SHARED_FORMAT}export const editedAt = 1;\n` });
    const after = scan(options);
    assert.deepEqual(after.incremental, { analysed: 1, reused: 6 }); // format.ts in its own package; the API's four files reused
    assertSameAsFullScan(options, after, 'new export in the shared package');
  });

  test('a function of the other package changes what it returns: only the importing files that call it are analysed again', () => {
    const root = monorepo();
    const options: ScanOptions = { paths: [root], config: {}, cache: new MemoryStore() };
    scan(options);
    writeMono(root, { 'shared/src/format.ts': SHARED_FORMAT.replace('return p.id;', 'return `${p.id} ${p.diagnosis}`;') });
    const after = scan(options);
    // format.ts in its package; b.ts (through the barrel) and c.ts (directly) in the API; a.ts calls describe only.
    assert.deepEqual(after.incremental, { analysed: 3, reused: 4 });
    assertSameAsFullScan(options, after, 'label changed in the shared package');
    assert.deepEqual(apiLogs(after), ['src/a.ts:4', 'src/b.ts:4', 'src/c.ts:5']);
  });

  test("the editor's kept summaries of the other package's functions are dropped when their file changes", () => {
    const root = monorepo();
    const options: ScanOptions = { paths: [root], config: {}, cache: new MemoryStore(), parseCaches: new Map() };
    const step = stepper(options, (edits) => writeMono(root, edits));
    scan(options);
    // Edits in the API keep the summary of label, computed from the shared package's file.
    step({ 'api/src/b.ts': API_USER('routeB', 'label', '../../shared/src/index').replace('load(id)', 'load(id )') }, 'first API edit');
    step({ 'api/src/b.ts': API_USER('routeB', 'label', '../../shared/src/index').replace('load(id)', 'load( id)') }, 'second API edit');
    const leaks = step({ 'shared/src/format.ts': SHARED_FORMAT.replace('return p.id;', 'return p.diagnosis;') }, 'label leaks');
    assert.deepEqual(apiLogs(leaks), ['src/a.ts:4', 'src/b.ts:4', 'src/c.ts:5']);
    const fixed = step({ 'shared/src/format.ts': SHARED_FORMAT }, 'label fixed');
    assert.deepEqual(apiLogs(fixed), ['src/a.ts:4']);
    step({ 'api/src/b.ts': API_USER('routeB', 'label', '../../shared/src/index') }, 'third API edit');
  });

  test('a file of the other package deleted, then written again: the importing files follow, as a full scan does', () => {
    const root = monorepo();
    const options: ScanOptions = { paths: [root], config: {}, cache: new MemoryStore() };
    scan(options);
    rmSync(join(root, 'packages', 'shared', 'src', 'format.ts'));
    const deleted = scan(options);
    assertSameAsFullScan(options, deleted, 'format.ts deleted');
    assert.deepEqual(apiLogs(deleted), []);
    writeMono(root, { 'shared/src/format.ts': SHARED_FORMAT.replace('return p.id;', 'return p.diagnosis;') });
    const back = scan(options);
    assertSameAsFullScan(options, back, 'format.ts written again');
    assert.deepEqual(apiLogs(back), ['src/a.ts:4', 'src/b.ts:4', 'src/c.ts:5']);
  });

  test("a script of another project declaring globals: every file that may see it follows its change, as a full scan's does", () => {
    // The API's ambient declarations are a script (no import or export); the shared package's tsconfig includes it too,
    // so the API (listed first) analyses it and the shared package reads it as a foreign source that every file sees.
    const root = mkdtempSync(join(tmpdir(), 'hdl-cache-mono-global-'));
    const options = { strict: true, target: 'ES2022', lib: ['ES2022'], module: 'commonjs' };
    const ambient = `interface Diagnosis { treatment: string }\ndeclare function loadVisit(id: string): Diagnosis;\n`;
    const user = (name: string, field: string) => `export function ${name}(id: string) {\n  console.log(loadVisit(id).${field});\n}\n`;
    writeMono(root, {
      'api/tsconfig.json': JSON.stringify({ compilerOptions: options, include: ['src'] }),
      'api/src/ambient.ts': ambient,
      'api/src/health.ts': API_LEAF,
      'shared/tsconfig.json': JSON.stringify({ compilerOptions: options, include: ['src', '../api/src/ambient.ts'] }),
      'shared/src/report.ts': user('report', 'treatment'),
      'shared/src/audit.ts': `${user('audit', 'length')}`.replace('loadVisit(id).length', 'id.length'),
    });
    const cache: ScanOptions = { paths: [root], config: {}, cache: new MemoryStore() };
    const sharedLogs = (result: AnalysisResult) => logLines(result).filter((line) => !line.includes('health'));
    assert.deepEqual(sharedLogs(scan(cache)), ['src/report.ts:2']);
    // A file of the shared package alone analysed again: its partial Program still sees the other project's script.
    writeMono(root, { 'shared/src/audit.ts': user('audit', 'treatment') });
    const edited = scan(cache);
    assert.deepEqual(edited.incremental, { analysed: 1, reused: 3 });
    assertSameAsFullScan(cache, edited, 'a file using the foreign global edited');
    assert.deepEqual(sharedLogs(edited), ['src/audit.ts:2', 'src/report.ts:2']);
    // The script changes what the shared files read: every file of both projects is analysed again.
    writeMono(root, { 'api/src/ambient.ts': ambient.replaceAll('Diagnosis', 'Receipt') });
    const changed = scan(cache);
    assert.deepEqual(changed.incremental, { analysed: 4, reused: 0 });
    assertSameAsFullScan(cache, changed, 'the foreign global changed');
    assert.deepEqual(sharedLogs(changed), []);
  });

  test('on disk: the other package\'s sources are checked by size, time and content, and a touched file changes nothing', () => {
    const root = monorepo();
    const cache = mkdtempSync(join(tmpdir(), 'hdl-cache-mono-disk-'));
    const options: ScanOptions = { paths: [root], config: {}, cache: new DiskStore(cache) };
    scan(options);
    writeMono(root, { 'shared/src/format.ts': SHARED_FORMAT }); // the same text, a new modification time
    const touched = scan(options);
    assert.deepEqual(touched.incremental, { analysed: 0, reused: 7 });
    writeMono(root, { 'shared/src/format.ts': SHARED_FORMAT.replace('return p.id;', 'return p.diagnosis;') });
    const changed = scan(options);
    assert.deepEqual(changed.incremental, { analysed: 3, reused: 4 });
    assertSameAsFullScan(options, changed, 'label changed, cache on disk');
    // A corrupt list of awaited imports (the graph's offset moved along) makes the entry a cold scan, not an error.
    const corrupt = '"/nowhere/x.ts":"x.ts"';
    const entries = readdirSync(cache).filter((name) => name.endsWith('.json'));
    assert.equal(entries.length, 2);
    for (const entry of entries) {
      const text = readFileSync(join(cache, entry), 'utf8');
      assert.ok(text.includes('"waiting":{}'));
      const corrupted = text.replace('"waiting":{}', `"waiting":{${corrupt}}`);
      writeFileSync(join(cache, entry), corrupted.replace(/"graphAt":"(\d{12})"/, (_all, at: string) => `"graphAt":"${String(Number(at) + corrupt.length).padStart(12, '0')}"`));
    }
    assert.deepEqual(scan(options).incremental, { analysed: 7, reused: 0 });
  });
});
