// The worker thread that runs the (synchronous) engine, so the server keeps answering while a project is analysed.
import { parentPort } from 'node:worker_threads';
import { DEFAULT_DOCUMENTATION_BASE_URL, type HealthDataLintConfig } from '../engine/config';
import { DiskStore, MemoryStore, ParseCache, PersistentStore, scan, type FileStat } from '../engine';
import { storeKeyOf } from '../engine/scan';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, configProblems, loadConfig } from '../engine/load-config';
import type { ConfigOverrides } from './settings';

/** Settings keys as people see them in settings.json. */
const SETTINGS_PREFIX = 'healthDataLint';
import { RegisterError } from '../engine/legal/register';
import { createProgram, isProjectSourceFile, parseProjectConfig, ProjectError, type ts } from '../engine/program/compiler';
import { listUnit, unitPaths, type UnitListing } from './unit-listing';
import { isSourceFile } from '../engine/program/projects';
import {
  findingKey,
  type AnalysisUnit,
  type AnalysisRequest,
  type AnalysisResponse,
  type BlockingProblem,
  type EarlyReply,
  type FindingsDelta,
  type PrepareRequest,
  type StatRequest,
  type WorkerReply,
  type WorkerRequest,
} from './analysis-unit';
import type { Finding, HealthField } from '../engine/model';
import { collectGarbage, heapFigures, WORKER_COLLECTION } from './heap';
import { collectYoungGeneration, GrowthCollectionPolicy } from '../engine/heap';

/** Editor defaults: the field view (`exported-health-field`) is off in the CLI but shown in the editor (contract). */
const EDITOR_RULE_DEFAULTS: HealthDataLintConfig['rules'] = { 'exported-health-field': 'information' };

export function runAnalysisWorker(): void {
  const port = parentPort;
  if (!port) throw new Error('runAnalysisWorker must run in a worker thread');
  const collection = new GrowthCollectionPolicy(WORKER_COLLECTION);
  /** The old generation grew enough for a full collection, which waits for a quiet moment (see below). */
  let collectionDue = false;
  let youngCollection: NodeJS.Timeout | undefined;
  // Work that waits for a quiet moment (writing the results cache, a full collection): every request puts it off, and
  // it is asked for again after the request if it is still wanted.
  const quiet = new Map<string, NodeJS.Timeout>();
  const whenQuietFor = (ms: number, work: string, task: () => void): void => {
    quiet.set(work, setTimeout(() => {
      quiet.delete(work);
      task();
    }, ms));
  };
  const handle = (request: WorkerRequest): void => {
    if ('kind' in request && request.kind === 'prepare') return prepare(request);
    if ('kind' in request && request.kind === 'stat') return takeStats(request);
    if ('kind' in request && request.kind === 'flush') {
      flushResultsCaches();
      port.postMessage({ kind: 'flushed', id: request.id } satisfies WorkerReply);
      return;
    }
    if ('kind' in request) {
      if (request.collect) collectGarbage();
      port.postMessage({ kind: 'memory', id: request.id, heap: heapFigures(collection.collections) } satisfies WorkerReply);
      return;
    }
    clearTimeout(youngCollection);
    port.postMessage(analyse(request, (early) => port.postMessage(early satisfies WorkerReply)) satisfies WorkerReply);
    // After posting: the diagnostics go out first, then the garbage of this analysis may be collected.
    const growth = collection.growth();
    const collected = growth === 'overdue' && collection.collectNow();
    collectionDue = growth === 'due';
    if (!collected) youngCollection = setTimeout(collectYoungGeneration, YOUNG_COLLECTION_DELAY_MS);
    // The libraries a first analysis answered from the results cache did not need (see `prepare`), for the edits to come.
    const deferred = deferredPrepare;
    deferredPrepare = undefined;
    if (deferred) prepare(deferred);
  };
  port.on('message', (request: WorkerRequest) => {
    for (const timer of quiet.values()) clearTimeout(timer);
    quiet.clear();
    handle(request);
    if (collectionDue) {
      whenQuietFor(FULL_COLLECTION_WHEN_QUIET_FOR_MS, 'collection', () => {
        collectionDue = false;
        collection.consider();
      });
    }
    if ([...unitCaches.values()].some(({ results }) => results instanceof PersistentStore && results.dirty)) {
      whenQuietFor(Math.max(FLUSH_WHEN_IDLE_FOR_MS, lastFlush + FLUSH_AT_MOST_EVERY_MS - Date.now()), 'flush', flushResultsCaches);
    }
  });
}

/**
 * An analysis leaves its garbage (its Program, checker and working values: tens of megabytes at 200k lines) in the
 * young generation, and the next one would stop for V8 to scavenge it, in the middle of an edit and with that edit's
 * own Program and checker live, to be copied. Scavenged between analyses instead, once the server's thread has had
 * the time to publish the diagnostics (both threads share two cores on a small machine), it copies what the results
 * keep, and an edit's analysis starts with an empty young generation, which holds all it allocates at 200k lines (see
 * `ANALYSIS_WORKER_OPTIONS`). An analysis asked for sooner cancels it: V8 collects by itself as it needs. (A
 * keystroke's stats do not: the scavenge is over long before the debounce that follows them.)
 * Measured: docs/performance.md, fifteenth series.
 */
const YOUNG_COLLECTION_DELAY_MS = 50;

/**
 * A full collection of the worker's heap takes about half a second at 200k lines (it marks the whole project's parsed
 * files and results). Run right after an analysis, it outlasted the next edit's debounce while the user typed, and
 * that edit waited (in 100 edits in a row, every seventh or so). Once the old generation grew enough for one
 * (`GrowthCollectionPolicy`), it waits for the worker to be idle this long, a pause in typing; past twice that growth,
 * or for the first analysis, it runs right after the analysis as before, so memory stays bounded while edits never
 * pause. Any request (a keystroke's stats) puts it off again.
 */
const FULL_COLLECTION_WHEN_QUIET_FOR_MS = 1_000;

/**
 * The results cache is written once the worker has had no request for this long, and not more often than the second
 * figure (see `PersistentStore`): a large project's entry is tens of megabytes, not to be written at every pause in
 * typing. The shutdown writes whatever is left.
 */
const FLUSH_WHEN_IDLE_FOR_MS = 5_000;
const FLUSH_AT_MOST_EVERY_MS = 60_000;
let lastFlush = -Infinity;

function flushResultsCaches(): void {
  lastFlush = Date.now();
  for (const { results } of unitCaches.values()) {
    if (!(results instanceof PersistentStore)) continue;
    const reported = results.disk.warnings.length;
    results.flush();
    // A cache that cannot be written (read-only or full storage) costs the next session its head start: said once.
    for (const warning of results.disk.warnings.slice(reported)) console.error(warning);
  }
}

/** A preparation put off until the unit's first analysis has answered from the results cache (see `prepare`). */
let deferredPrepare: PrepareRequest | undefined;

/**
 * Builds a Program of one empty file with the unit's compiler options: the compiler parses the libraries and the
 * automatic types (`@types/node`...), which later Programs share (see `createProgram`). A unit with a tsconfig is not
 * listed first: the options are all it takes, and the server's thread lists it meanwhile (`AnalysisRequest.hints`).
 * Problems are left to the analysis, which reports them.
 */
export function prepare(request: PrepareRequest): void {
  const { unit } = request;
  try {
    // A folder without a tsconfig has no options to read but the defaults its listing gives.
    const listing = unit.configFile === undefined ? listingOf(unit, request.layout, loadConfig(unit.directory).config) : undefined;
    const project = unit.configFile !== undefined ? parseProjectConfig(path.resolve(unit.configFile), { files: false }) : listing?.discovered?.projects[0];
    if (!project) return;
    // Results of the last session on disk: the first analysis may answer from them alone, and the libraries would
    // only delay it. They are loaded after it.
    const store = cachesOf(unit.key, request.resultsCache).results;
    if (store instanceof PersistentStore && store.hasUnread(storeKeyOf(project, listing?.discovered?.roots[0] ?? unit.directory))) {
      deferredPrepare = request;
      return;
    }
    // Without a root file the compiler loads no library; this one exists only in the reader.
    const placeholder = path.join(unit.directory, '__health-data-lint-prepare__.ts');
    createProgram({ ...project, rootNames: [placeholder] }, { readFile: (file) => (file === placeholder ? '' : undefined) }, undefined, undefined, true);
  } catch {
    // A broken configuration or tsconfig: the analysis that follows reports it where it is.
  }
}

/** `early`: where the open files' findings go as soon as they are final, for an edit (see `EarlyReply`). */
export function analyse(request: AnalysisRequest, early?: (reply: EarlyReply) => void): AnalysisResponse {
  const started = Date.now();
  const { unit } = request;
  const knownStats = statsFor(request, started);
  try {
    const loaded = loadConfig(unit.directory);
    const config = withEditorSettings(loaded.config, request.overrides, unit.folder);
    const openDocuments = new Map(Object.entries(request.openDocuments));
    const caches = cachesOf(unit.key, request.resultsCache);
    const documentationBaseUrl = config.documentationBaseUrl ?? DEFAULT_DOCUMENTATION_BASE_URL;
    // What the server holds, if it is what this worker sent last: the answer may be a difference from it.
    const sent = sentFindings.get(unit.key);
    const previous = sent !== undefined && sent.version === request.knownVersion ? sent : undefined;
    // An edit: the server waits for the open files' diagnostics above all. Those of an open register or configuration
    // (stale entries) are made once the whole project's flows are known: they come with the answer.
    const openSources = [...openDocuments.keys()].filter(isSourceFile).map((file) => path.normalize(file));
    const edit = !request.focus && early && openSources.length > 0 && previous !== undefined;
    const earlyFiles = edit ? new Set(openSources) : undefined;
    const result = scan({
      ...listingOf(unit, request.layout, config, request.hints?.listing),
      config,
      configDirectory: loaded.directory,
      // A map: a lookup by a computed name in a plain object hashes the name every time, and every file is looked up.
      readFile: (file) => openDocuments.get(file),
      parseCaches: caches.parseCaches,
      cache: caches.results,
      ...(request.focus && { focus: request.focus }),
      ...(knownStats && { knownStats }),
      ...(request.focus && request.hints && { globalScripts: new Set(request.hints.globalScripts) }),
      ...(earlyFiles && {
        early: {
          files: earlyFiles,
          report: ({ findings, skipped }) => early!({ kind: 'early', id: request.id, files: [...earlyFiles], findings, skipped, documentationBaseUrl }),
        },
      }),
    });
    // The data map (`flows`) is for reports; the editor shows findings and fields, and every copy to the server's
    // thread costs time (a quarter of the message at 200k lines).
    const { flows: _flows, ...shown } = result;
    if (request.focus) return { id: request.id, ok: true, result: shown, documentationBaseUrl, elapsedMs: Date.now() - started };
    const findings = new Map(result.findings.map((finding) => [findingKey(finding), finding]));
    const version = `${WORKER_EPOCH}:${nextVersion++}`;
    sentFindings.set(unit.key, { version, findings, fields: result.fields, documentationBaseUrl });
    const answer = { id: request.id, ok: true as const, documentationBaseUrl, elapsedMs: Date.now() - started, version, ...outsideSourcesChanged(unit, caches.parseCaches) };
    if (previous && previous.documentationBaseUrl === documentationBaseUrl) {
      const added = result.findings.filter((finding) => previous.findings.get(findingKey(finding)) !== finding);
      const removed = [...previous.findings].filter(([key, finding]) => findings.get(key) !== finding).map(([key]) => key);
      const delta: FindingsDelta = { base: previous.version, added, removed };
      // The engine keeps the fields while nothing they rest on changed (the same list): they are not copied again.
      if (result.fields !== undefined && result.fields === previous.fields) {
        const { fields: _fields, ...rest } = shown;
        return { ...answer, result: { ...rest, findings: [] }, delta, fieldsUnchanged: true };
      }
      return { ...answer, result: { ...shown, findings: [] }, delta };
    }
    return { ...answer, result: shown };
  } catch (error) {
    return { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error), problems: blockingProblemsOf(error) };
  }
}

/** The outside sources last sent for each unit, joined, and the Programs they were read from (see `AnalysisResponse.outsideSources`). */
const sentOutsideSources = new Map<string, { programs: (ts.Program | undefined)[]; joined: string }>();

/**
 * The unit's outside sources, if they differ from those last sent: the project files of its kept Programs that lie
 * outside its folder (declaration files and dependencies are watched by the results cache's own check). An edit keeps
 * the Programs of the last whole analysis: then nothing is looked at again (5,000 files at 200k lines).
 */
function outsideSourcesChanged(unit: AnalysisUnit, parseCaches: Map<string, ParseCache>): { outsideSources: string[] } | Record<string, never> {
  const programs = [...parseCaches.values()].map((cache) => cache.previous);
  const sent = sentOutsideSources.get(unit.key);
  if (sent && sent.programs.length === programs.length && sent.programs.every((program, i) => program === programs[i])) return {};
  const inside = unit.directory.endsWith(path.sep) ? unit.directory : unit.directory + path.sep;
  const outside = new Set<string>();
  for (const program of programs) {
    for (const sf of program?.getSourceFiles() ?? []) {
      const file = path.normalize(sf.fileName);
      if (isProjectSourceFile(sf) && !file.startsWith(inside)) outside.add(file);
    }
  }
  const list = [...outside].sort();
  const joined = list.join('\n');
  sentOutsideSources.set(unit.key, { programs, joined });
  return sent?.joined === joined ? {} : { outsideSources: list };
}

/** Stats of each unit's files taken ahead of its analysis (see `StatRequest`), with when they were taken. */
const snapshots = new Map<string, { disk: number; at: number; stats: Map<string, FileStat> }>();
/** Stats this recent are not taken again (a burst of keystrokes asks for them at each one). */
const STATS_REUSED_FOR_MS = 1000;
/** Stats older than this when the analysis starts are not trusted: it asks the disk. */
const STATS_TRUSTED_FOR_MS = 2000;

/** Takes the size and modification time of every file of the unit's projects (see `StatRequest`). */
export function takeStats(request: StatRequest): void {
  const { unit } = request;
  const held = snapshots.get(unit.key);
  const at = Date.now();
  if (held && held.disk === request.disk && at - held.at < STATS_REUSED_FOR_MS) return;
  try {
    const stats = new Map<string, FileStat>();
    for (const project of listingOf(unit, request.layout, loadConfig(unit.directory).config).discovered?.projects ?? []) {
      for (const root of project.rootNames) {
        const file = path.normalize(root);
        if (stats.has(file)) continue;
        const stat = fs.statSync(file, { throwIfNoEntry: false });
        // Two numbers, not the whole fs.Stats (a dozen fields): 5,000 of these are taken at every keystroke at 200k lines.
        if (stat) stats.set(file, { size: stat.size, mtimeMs: stat.mtimeMs });
      }
    }
    snapshots.set(unit.key, { disk: request.disk, at, stats });
  } catch {
    // A broken configuration or tsconfig: the analysis that follows reports it where it is.
  }
}

/**
 * The stats taken for this analysis, if they are recent and no change on disk was heard of since. A full analysis uses
 * them once; a first look leaves them to the full analysis that follows it.
 */
function statsFor(request: AnalysisRequest, now: number): Map<string, FileStat> | undefined {
  const snapshot = snapshots.get(request.unit.key);
  if (!snapshot) return undefined;
  if (!request.focus) snapshots.delete(request.unit.key);
  return snapshot.disk === request.disk && now - snapshot.at <= STATS_TRUSTED_FOR_MS ? snapshot.stats : undefined;
}

/** Errors cross the thread boundary as plain data: keep where each problem is so the editor can point at it. */
function blockingProblemsOf(error: unknown): BlockingProblem[] {
  if (error instanceof RegisterError) {
    return error.problems.map((p) => ({ file: p.file, line: p.line, column: p.column, message: p.path ? `${p.path}: ${p.message}` : p.message }));
  }
  if (error instanceof ConfigError) return [{ file: error.file, message: error.message }];
  if (error instanceof ProjectError) return [{ file: error.file, message: error.message }];
  return [{ message: `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` }];
}

/**
 * The configuration file's content with the editor settings applied: lists (terms, sinks, anonymisers) are
 * extended, single values (jurisdictions, register, maxFileSize, severities) replaced. Settings are checked
 * against the configuration schema first, so a mistyped sink is reported by its settings key, never ignored.
 */
export function withEditorSettings(base: HealthDataLintConfig, overrides: ConfigOverrides, folder: string): HealthDataLintConfig {
  const extension: Record<string, unknown> = {};
  if (overrides.terms.length > 0) extension.terms = overrides.terms;
  if (overrides.sinks.length > 0) extension.sinks = overrides.sinks;
  if (overrides.anonymisers.length > 0) extension.anonymisers = overrides.anonymisers;
  if (overrides.jurisdictions.length > 0) extension.jurisdictions = overrides.jurisdictions;
  if (overrides.maxFileSize !== undefined) extension.maxFileSize = overrides.maxFileSize;
  // Nothing set is nothing to check: compiling the schema's validator takes 0.08 s of a cold start's first look.
  const problems = Object.keys(extension).length > 0 ? configProblems(extension, SETTINGS_PREFIX, 'the settings') : [];
  if (problems.length > 0) throw new ConfigError(`settings: ${problems.join('; ')}`);
  const valid = extension as Pick<HealthDataLintConfig, 'terms' | 'sinks' | 'anonymisers' | 'jurisdictions' | 'maxFileSize'>;
  return {
    ...base,
    rules: { ...EDITOR_RULE_DEFAULTS, ...base.rules, ...overrides.rules },
    ...(valid.terms && { terms: [...(base.terms ?? []), ...valid.terms] }),
    ...(valid.sinks && { sinks: [...(base.sinks ?? []), ...valid.sinks] }),
    ...(valid.anonymisers && { anonymisers: [...(base.anonymisers ?? []), ...valid.anonymisers] }),
    ...(valid.jurisdictions && { jurisdictions: valid.jurisdictions }),
    ...(valid.maxFileSize !== undefined && { maxFileSize: valid.maxFileSize }),
    // An absolute path: the engine resolves `register` against the configuration's directory, the setting is the folder's.
    ...(overrides.register !== '' && { register: path.resolve(folder, overrides.register) }),
  };
}

/** The findings last sent for each unit, by key, with their version: the next answer may be a difference from them. */
const sentFindings = new Map<string, { version: string; findings: Map<string, Finding>; fields: HealthField[] | undefined; documentationBaseUrl: string }>();
/** Versions are unique across workers: a replaced worker never answers with a difference from its predecessor's result. */
const WORKER_EPOCH = `${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}`;
let nextVersion = 1;

/**
 * Each unit's projects and schema files as last listed, with the layout (see `AnalysisRequest.layout`) they were
 * listed in: walking a 5,000-file folder again took about 150 ms of every edit at 200k lines. A change of the
 * configuration (its `ignore`) changes the layout too.
 */
const listings = new Map<string, { layout: number; listing: UnitListing }>();

/**
 * What `scan` is given to analyse `unit`: listed again only when the layout changed (or is not known), unless the
 * server's thread listed it for this layout (`given`, see `AnalysisRequest.hints`).
 */
function listingOf(unit: AnalysisUnit, layout: number | undefined, config: HealthDataLintConfig, given?: UnitListing): UnitListing {
  if (layout === undefined) return unitPaths(unit);
  const held = listings.get(unit.key);
  if (held?.layout === layout) return held.listing;
  const listing = given ?? listUnit(unit, config.ignore);
  listings.set(unit.key, { layout, listing });
  return listing;
}

/**
 * Parse caches and file results per analysis unit, for the life of the worker: an edit re-parses only the edited
 * file, the compiler reuses the previous Program's structure, and only the edited file and the files that depend on
 * it are analysed again. Dropped with the worker (a crash or a timeout); the results survive it, and the session,
 * in the results cache when there is one (`resultsCache`).
 */
const unitCaches = new Map<string, { parseCaches: Map<string, ParseCache>; results: MemoryStore | PersistentStore }>();

function cachesOf(unitKey: string, resultsCache: string | undefined): { parseCaches: Map<string, ParseCache>; results: MemoryStore | PersistentStore } {
  let caches = unitCaches.get(unitKey);
  if (!caches) {
    const results = resultsCache ? new PersistentStore(new DiskStore(resultsCache)) : new MemoryStore();
    unitCaches.set(unitKey, (caches = { parseCaches: new Map(), results }));
  }
  return caches;
}
