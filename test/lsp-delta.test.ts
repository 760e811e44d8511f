// The analysis worker's answers after an edit: only the findings that changed cross to the server's thread, and the
// server's copy with the difference applied is the full list a fresh analysis gives.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { analyse, prepare, takeStats } from '../server/src/lsp/analysis-worker';
import { changeScopeOf } from '../server/src/lsp/workspace-projects';
import { Session, type SessionHost } from '../server/src/lsp/session';
import { AnalysisRunner } from '../server/src/lsp/analysis-runner';
import { firstLookHints, type FirstLookHints } from '../server/src/lsp/unit-listing';
import { findingKey, type AnalysisRequest, type AnalysisResponse, type EarlyReply } from '../server/src/lsp/analysis-unit';
import { DEFAULT_SETTINGS, overridesOf } from '../server/src/lsp/settings';
import type { Finding, HealthField } from '../server/src/engine/model';

let workspace: string;
before(() => {
  workspace = mkdtempSync(join(tmpdir(), 'hdl-delta-'));
  cpSync(join(process.cwd(), 'examples', 'clinic-api'), workspace, { recursive: true });
});
after(() => rmSync(workspace, { recursive: true, force: true }));

let nextId = 1;
function run(openDocuments: Record<string, string>, knownVersion?: string, layout?: number): Extract<AnalysisResponse, { ok: true }> {
  const configFile = join(workspace, 'tsconfig.json');
  const request: AnalysisRequest = {
    id: nextId++,
    unit: { key: configFile, folder: workspace, directory: workspace, configFile },
    overrides: overridesOf(DEFAULT_SETTINGS),
    openDocuments,
    ...(knownVersion !== undefined && { knownVersion }),
    ...(layout !== undefined && { layout }),
  };
  const response = analyse(request);
  assert.ok(response.ok, response.ok ? '' : response.message);
  return response;
}

function keyed(findings: readonly Finding[]): Map<string, unknown> {
  return new Map(findings.map((finding) => [findingKey(finding), JSON.parse(JSON.stringify(finding))]));
}

test('after an edit, the worker sends the changed findings only, and the difference applied gives the full list', () => {
  const first = run({});
  assert.ok(first.version !== undefined && first.delta === undefined, 'the first answer is whole and has a version');
  assert.ok(first.result.findings.length >= 5);

  // A new leak in one route: one finding more, the others unchanged.
  const file = join(workspace, 'src', 'routes', 'observations.ts');
  const edited = `${readFileSync(file, 'utf8')}\nexport function deltaProbe(visit: { diagnosis: string }) {\n  console.log(visit.diagnosis);\n}\n`;
  const second = run({ [file]: edited }, first.version);
  assert.ok(second.delta, 'an answer to a known version is a difference');
  assert.equal(second.delta.base, first.version);
  assert.deepEqual(second.result.findings, [], 'the findings travel in the difference only');
  assert.ok(second.delta.added.length >= 1 && second.delta.added.length < first.result.findings.length, `a few findings sent: ${second.delta.added.length}`);
  assert.ok(second.delta.added.some((f) => f.ruleId === 'log-exposure' && f.location.file === file), 'the new leak is among them');

  const applied = keyed(first.result.findings);
  for (const key of second.delta.removed) applied.delete(key);
  for (const [key, finding] of keyed(second.delta.added)) applied.set(key, finding);
  const whole = run({ [file]: edited });
  assert.equal(whole.delta, undefined, 'no known version: the whole list');
  assert.deepEqual(applied, keyed(whole.result.findings), 'the difference applied to the first list is the whole list');

  // The server holds the first version, the worker has moved on: the answer is whole again.
  const stale = run({ [file]: edited }, first.version);
  assert.equal(stale.delta, undefined);
  assert.deepEqual(keyed(stale.result.findings), keyed(whole.result.findings));
});

test('the fields cross to the server only when an edit changed them', () => {
  const first = run({});
  assert.ok((first.result.fields ?? []).length > 0, 'the example has health-data fields');
  const file = join(workspace, 'src', 'routes', 'observations.ts');
  const original = readFileSync(file, 'utf8');

  const comment = run({ [file]: `${original}\n// a comment changes no field\n` }, first.version);
  assert.ok(comment.delta && comment.fieldsUnchanged, 'the same fields: not sent');
  assert.equal(comment.result.fields, undefined);

  const declared = run({ [file]: `${original}\nexport interface DeltaProbeVisit {\n  diagnosis: string;\n}\n` }, comment.version);
  assert.ok(declared.delta && !declared.fieldsUnchanged, 'a new field: the fields are sent');
  assert.ok((declared.result.fields ?? []).some((field) => field.container === 'DeltaProbeVisit'), 'with the new one');
});

test('the worker lists files and schema files once per layout: a file created on disk counts when the layout changes', () => {
  const probe = join(workspace, 'src', 'routes', 'layout-probe.ts');
  const schema = join(workspace, 'layout-probe.prisma');
  const leaksIn = (result: { findings: readonly Finding[] }) => result.findings.some((f) => f.ruleId === 'log-exposure' && f.location.file === probe);
  const schemaField = (result: { fields?: readonly HealthField[] }) => (result.fields ?? []).some((field) => field.declarations.some((d) => d.location.file === schema));
  try {
    run({}, undefined, 100);
    writeFileSync(probe, 'export function layoutProbe(visit: { diagnosis: string }) {\n  console.log(visit.diagnosis);\n}\n');
    writeFileSync(schema, 'model LayoutProbeVisit {\n  id        Int    @id\n  diagnosis String\n}\n');
    // The server says the layout changed when a file is created, deleted or renamed; until then the list is kept.
    const sameLayout = run({}, undefined, 100).result;
    assert.ok(!leaksIn(sameLayout), 'the same layout: the files listed before');
    assert.ok(!schemaField(sameLayout), 'the same layout: the schema files listed before');
    const newLayout = run({}, undefined, 101).result;
    assert.ok(leaksIn(newLayout), 'a new layout: the created file is analysed');
    assert.ok(schemaField(newLayout), 'a new layout: the created schema file is read');
    // An edit of a listed schema file needs no new layout: schema files are read on every analysis.
    writeFileSync(schema, 'model LayoutProbeVisit {\n  id Int @id\n}\n');
    assert.ok(!schemaField(run({}, undefined, 101).result), 'the edited schema declares no health field any more');
    // Without a layout (another caller than the server), the folders are listed on every analysis.
    rmSync(probe);
    assert.ok(!leaksIn(run({}).result), 'no layout: listed again');
  } finally {
    rmSync(probe, { force: true });
    rmSync(schema, { force: true });
  }
});

test('the preparation reads the options only; a listing found on the server\'s thread stands for its layout', async () => {
  const configFile = join(workspace, 'tsconfig.json');
  const unit = { key: configFile, folder: workspace, directory: workspace, configFile };
  const probe = join(workspace, 'src', 'routes', 'prepare-probe.ts');
  const leaks = (result: { findings: readonly Finding[] }) => result.findings.some((f) => f.ruleId === 'log-exposure' && f.location.file === probe);
  const analyseWith = (layout: number, hints?: FirstLookHints) => {
    const response = analyse({ id: nextId++, unit, overrides: overridesOf(DEFAULT_SETTINGS), openDocuments: {}, layout, ...(hints && { hints }) });
    assert.ok(response.ok, response.ok ? '' : response.message);
    return response.result;
  };
  try {
    prepare({ kind: 'prepare', unit, layout: 300 });
    writeFileSync(probe, 'export function prepareProbe(visit: { diagnosis: string }) {\n  console.log(visit.diagnosis);\n}\n');
    assert.ok(leaks(analyseWith(300)), 'the preparation did not list the unit: its first analysis does');
    rmSync(probe);
    const hints = await firstLookHints(unit);
    assert.ok(hints, 'the example lists');
    writeFileSync(probe, 'export function prepareProbe(visit: { diagnosis: string }) {\n  console.log(visit.diagnosis);\n}\n');
    assert.ok(!leaks(analyseWith(301, hints)), 'the analysis used the listing it was given');
    assert.ok(!leaks(analyseWith(301)), 'and so do the next ones of that layout');
    assert.ok(leaks(analyseWith(302)), 'a new layout lists again');
  } finally {
    rmSync(probe, { force: true });
  }
});

test('the hints name the files that declare globals, as the engine would judge them', async () => {
  const root = mkdtempSync(join(tmpdir(), 'hdl-hints-'));
  mkdirSync(join(root, 'src'));
  const configFile = join(root, 'tsconfig.json');
  writeFileSync(configFile, JSON.stringify({ include: ['src'] }));
  writeFileSync(join(root, 'health-data-lint.config.json'), JSON.stringify({ maxFileSize: 2000 }));
  const files = {
    'module.ts': "import { x } from './script';\nexport const y = x;\n",
    'script.ts': 'const x = 1;\n',
    'augments.ts': 'export {};\ndeclare global {\n  interface Window { chart: unknown }\n}\n',
    'large.ts': `export const big = '${'x'.repeat(3000)}';\n`,
    'binary.ts': 'export const a = 1;\0\n',
    'types.d.ts': 'declare const z: number;\n',
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, 'src', name), text);
  try {
    const hints = await firstLookHints({ key: configFile, folder: root, directory: root, configFile });
    assert.ok(hints);
    assert.deepEqual(hints.listing.discovered?.projects.map((p) => p.configFile), [configFile]);
    // A file over the size limit, or binary, is analysed as an empty text: a script. Declarations are not scripts.
    assert.deepEqual(hints.globalScripts.map((file) => file.slice(join(root, 'src').length + 1)).sort(), ['augments.ts', 'binary.ts', 'large.ts', 'script.ts']);
    writeFileSync(configFile, '{ "include": [');
    assert.equal(await firstLookHints({ key: configFile, folder: root, directory: root, configFile }), undefined, 'a broken tsconfig: none (the analysis reports it)');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

/** A project of one file with nothing to report, for tests of the server's scheduling. */
function oneFileProject(prefix: string): { root: string; file: string } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ include: ['src'] }));
  const file = join(root, 'src', 'a.ts');
  writeFileSync(file, 'export const a = 1;\n');
  return { root, file };
}

/** Waits until a session made `count` requests (`sofar`), then a little for the last one's result to be taken in. */
async function made(count: number, sofar: () => number): Promise<void> {
  for (let waited = 0; sofar() < count; waited += 20) {
    assert.ok(waited < 5000, `request ${count} never came`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
}

/** A session host that publishes nowhere and has the default settings, with the rest of `parts`. */
function quietHost(parts: Pick<SessionHost, 'analyse'> & Partial<SessionHost>): SessionHost {
  return { publish: () => undefined, sendStatus: () => undefined, log: () => undefined, settingsFor: async () => DEFAULT_SETTINGS, ...parts };
}

/** The answer of an analysis that found nothing, as the worker gives it. */
function emptyOutcome(id: number): AnalysisResponse {
  return { id, ok: true, result: { findings: [], skipped: [], projects: [], notices: [] }, documentationBaseUrl: '', elapsedMs: 0, version: `v${id}` };
}

test("the server sends the hints with a unit's first request, found for the layout it still has", async () => {
  const { root, file } = oneFileProject('hdl-hints-session-');
  /** A session over `root` with these files open: what each request carried, once `count` requests came. */
  const found = async () => ({ listing: { paths: [root] }, globalScripts: [] });
  const requestsOf = async (open: string[], count: number, meanwhile?: (session: Session) => void, find: () => Promise<FirstLookHints | undefined> = found) => {
    const requests: string[] = [];
    let asked = 0;
    const session = new Session(
      quietHost({
        analyse: async (_unit, _overrides, options) => {
          requests.push(`${options.focus ? 'first look' : 'full'}${options.hints ? ', hinted' : ''}`);
          return emptyOutcome(requests.length);
        },
        firstLookHints: () => {
          asked++;
          return find();
        },
        openFilesUnder: () => open,
      }),
    );
    try {
      session.setFolders([root]);
      meanwhile?.(session);
      await made(count, () => requests.length);
      return { requests, asked };
    } finally {
      session.dispose();
    }
  };
  try {
    assert.deepEqual(await requestsOf([file], 2), { requests: ['first look, hinted', 'full'], asked: 1 }, 'the first look takes them; the worker keeps the listing for the full analysis');
    assert.deepEqual(await requestsOf([], 1), { requests: ['full, hinted'], asked: 1 }, 'without open files, the full analysis takes them');
    // A file created before the first analysis: a new layout, for which the hints found were not.
    const created = (session: Session) => session.fileChanged(join(root, 'src', 'b.ts'), 'created');
    assert.deepEqual(await requestsOf([file], 2, created), { requests: ['first look', 'full'], asked: 1 });
    // Finding them failed: the worker lists the unit itself.
    const failing = () => Promise.reject(new Error('unreadable folder'));
    assert.deepEqual(await requestsOf([file], 2, undefined, failing), { requests: ['first look', 'full'], asked: 1 });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('stats taken during the debounce stand for the disk once, unless a change on disk was heard of since', () => {
  const configFile = join(workspace, 'tsconfig.json');
  const unit = { key: configFile, folder: workspace, directory: workspace, configFile };
  const layout = 400;
  const analyseWith = (disk: number) => {
    const response = analyse({ id: nextId++, unit, overrides: overridesOf(DEFAULT_SETTINGS), openDocuments: {}, layout, disk });
    assert.ok(response.ok, response.ok ? '' : response.message);
    return response.result;
  };
  const file = join(workspace, 'src', 'routes', 'statistics.ts');
  const original = readFileSync(file, 'utf8');
  const leak = (name: string) => `\nexport function ${name}(visit: { diagnosis: string }) {\n  console.log(visit.diagnosis);\n}\n`;
  // The finding on the line after the function's name (the file on disk has the function by then).
  const leaks = (result: { findings: readonly Finding[] }, name: string) => {
    const line = readFileSync(file, 'utf8').split('\n').findIndex((text) => text.includes(`function ${name}(`)) + 2;
    return result.findings.some((f) => f.ruleId === 'log-exposure' && f.location.file === file && f.location.line === line);
  };
  try {
    analyseWith(0);
    // The editor's edit: stats taken, then a change on disk the server hears of (a save, a watched file).
    takeStats({ kind: 'stat', unit, layout, disk: 0 });
    writeFileSync(file, original + leak('heardOf'));
    takeStats({ kind: 'stat', unit, layout, disk: 1 });
    assert.ok(leaks(analyseWith(1), 'heardOf'), 'stats taken before a change heard of are taken again');

    // A change nobody reports: the analysis sees the disk as the stats found it, and the next one asks the disk.
    takeStats({ kind: 'stat', unit, layout, disk: 1 });
    writeFileSync(file, original + leak('heardOf') + leak('unheardOf'));
    assert.ok(!leaks(analyseWith(1), 'unheardOf'), 'the stats stood for the disk');
    assert.ok(leaks(analyseWith(1), 'unheardOf'), 'once: the next analysis asks the disk');
  } finally {
    writeFileSync(file, original);
  }
});

test('the server asks for stats ahead once a unit has a result, and counts only changes on disk against them', async () => {
  const { root, file } = oneFileProject('hdl-stats-');
  const stats: number[] = [];
  const analyses: (number | undefined)[] = [];
  const session = new Session(
    quietHost({
      analyse: async (_unit, _overrides, options) => {
        analyses.push(options.disk);
        return emptyOutcome(analyses.length);
      },
      takeStats: (_unit, _layout, disk) => stats.push(disk),
    }),
  );
  const analysed = (count: number) => made(count, () => analyses.length);
  try {
    session.setFolders([root]);
    await analysed(1);
    assert.deepEqual(stats, [], 'a first analysis takes longer than stats are trusted for: none are taken');
    session.documentChanged(file);
    await analysed(2);
    session.fileChanged(file);
    await analysed(3);
    assert.deepEqual(stats, [0, 1], 'an edited buffer leaves the disk as it was; a save or a watched file does not');
    assert.deepEqual(analyses, [0, 0, 1], 'each analysis says which stats it may trust');
  } finally {
    session.dispose();
    rmSync(root, { recursive: true, force: true });
  }
});

test('a schema file with an extension of its own re-analyses its project; other data files do not', () => {
  for (const file of ['/w/prisma/schema.prisma', '/w/api/schema.graphql', '/w/db/001_init.sql']) assert.equal(changeScopeOf(file), 'source', file);
  assert.equal(changeScopeOf('/w/openapi.yaml'), 'folder');
  assert.equal(changeScopeOf('/w/fixtures/patients.csv'), 'none');
});

test("an edit's open files get their findings ahead of the answer, the same as the answer's", () => {
  const configFile = join(workspace, 'tsconfig.json');
  const unit = { key: configFile, folder: workspace, directory: workspace, configFile };
  const request = (openDocuments: Record<string, string>, knownVersion?: string): AnalysisRequest => ({
    id: nextId++,
    unit,
    overrides: overridesOf(DEFAULT_SETTINGS),
    openDocuments,
    ...(knownVersion !== undefined && { knownVersion }),
  });
  const file = join(workspace, 'src', 'routes', 'observations.ts');
  const original = readFileSync(file, 'utf8');
  const edited = `${original}\nexport function earlyProbe(visit: { diagnosis: string }) {\n  console.log(visit.diagnosis);\n}\n`;
  const sent: EarlyReply[] = [];
  const first = analyse(request({ [file]: original }), (reply) => sent.push(reply));
  assert.ok(first.ok && first.version);
  assert.equal(sent.length, 0, "a unit's first analysis has no earlier result for the server to keep: nothing ahead");
  const stale = analyse(request({ [file]: edited }, 'a version the worker never sent'), (reply) => sent.push(reply));
  assert.ok(stale.ok && stale.version);
  assert.equal(sent.length, 0, 'nor has an analysis against a version the worker did not send last');

  // The register open beside it: its diagnostics (stale entries) come with the answer, not ahead of it.
  const register = join(workspace, 'health-data-register.yaml');
  const edit = request({ [file]: original.replace('export', '// a comment\nexport') + edited.slice(original.length), [register]: readFileSync(register, 'utf8') }, stale.version);
  const answer = analyse(edit, (reply) => sent.push(reply));
  assert.ok(answer.ok);
  assert.equal(sent.length, 1, 'an edit sends its open files once');
  const [early] = sent;
  assert.equal(early!.id, edit.id);
  assert.deepEqual(early!.files, [file], 'the open source files only: the register would lose its stale entries until the answer');
  assert.ok(early!.findings.some((f) => f.ruleId === 'log-exposure' && f.location.file === file), 'the new leak is there');
  assert.ok(early!.findings.every((f) => f.location.file === file), 'only the open file');
  // What a whole answer holds for the file, in its order.
  const whole = analyse(request(edit.openDocuments));
  assert.ok(whole.ok);
  assert.deepEqual(JSON.parse(JSON.stringify(early!.findings)), JSON.parse(JSON.stringify(whole.result.findings.filter((f) => f.location.file === file))));
  assert.deepEqual(early!.skipped, []);
});

test('the server publishes the findings sent ahead at once, and the answer after them changes nothing for the file', async () => {
  const { root, file } = oneFileProject('hdl-early-session-');
  const finding = (message: string): Finding =>
    ({ ruleId: 'log-exposure', severity: 'warning', message, location: { file, line: 1, column: 1, endLine: 1, endColumn: 10 }, fingerprint: 'f', flows: [], related: [] }) as unknown as Finding;
  const published: { diagnostics: string[]; answered: boolean }[] = [];
  let answered = false;
  let finish: (() => void) | undefined;
  const session = new Session(
    quietHost({
      publish: (published_file, diagnostics) => {
        if (published_file === file) published.push({ diagnostics: diagnostics.map((d) => String(d.message)), answered });
      },
      openFilesUnder: () => [file],
      analyse: async (_unit, _overrides, options, early) => {
        if (options.focus) return { ...emptyOutcome(1), version: undefined };
        if (options.knownVersion === undefined) return emptyOutcome(2);
        early?.({ kind: 'early', id: 3, files: [file], findings: [finding('Health data is logged.')], skipped: [], documentationBaseUrl: '' });
        await new Promise<void>((resolve) => (finish = resolve));
        answered = true;
        return { id: 3, ok: true, result: { findings: [], skipped: [], projects: [], notices: [] }, documentationBaseUrl: '', elapsedMs: 0, version: 'v3', delta: { base: 'v2', added: [finding('Health data is logged.')], removed: [] } };
      },
    }),
  );
  try {
    session.setFolders([root]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    published.length = 0;
    session.documentChanged(file);
    await made(1, () => (finish ? 1 : 0));
    assert.deepEqual(published, [{ diagnostics: ['Health data is logged.'], answered: false }], 'published before the answer');
    finish!();
    await made(1, () => (answered ? 1 : 0));
    assert.ok(published.length >= 1 && published.every((p) => p.diagnostics.join() === 'Health data is logged.'), JSON.stringify(published));
  } finally {
    session.dispose();
    rmSync(root, { recursive: true, force: true });
  }
});

test("the runner hands an analysis's early findings to its caller, unless a newer request superseded it", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hdl-early-runner-'));
  // A worker that sends the early findings 100 ms into each analysis and answers 100 ms later.
  const script = join(dir, 'worker.js');
  writeFileSync(
    script,
    `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (request) => {
  if (request.kind) return;
  setTimeout(() => parentPort.postMessage({ kind: 'early', id: request.id, files: [], findings: [], skipped: [], documentationBaseUrl: '' }), 100);
  setTimeout(() => parentPort.postMessage({ id: request.id, ok: true, result: { findings: [], skipped: [], projects: [], notices: [] }, documentationBaseUrl: '', elapsedMs: 0, version: 'v' + request.id }), 200);
});`,
  );
  const runner = new AnalysisRunner({ workerScript: script, timeoutMs: 10_000, log: () => undefined });
  const unit = { key: join(dir, 'tsconfig.json'), folder: dir, directory: dir, configFile: join(dir, 'tsconfig.json') };
  const received: string[] = [];
  try {
    const first = runner.run(unit, overridesOf(DEFAULT_SETTINGS), {}, {}, () => received.push('first'));
    await new Promise((resolve) => setTimeout(resolve, 30)); // the first is running, its early findings not sent yet
    const second = runner.run(unit, overridesOf(DEFAULT_SETTINGS), {}, {}, () => received.push('second'));
    assert.deepEqual(await first, { superseded: true });
    const answer = await second;
    assert.ok(!('superseded' in answer) && answer.ok);
    assert.deepEqual(received, ['second'], "the superseded analysis's findings describe a text the editor no longer shows");
  } finally {
    runner.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});
