// Analyses one tsconfig project, incrementally: files whose results still hold are taken from the results cache, the
// others are analysed in a Program rooted at them.
//
// A file's results are what its own entry points report (module code, functions no project code calls). They rest on
// its text, on the declarations of other files it reaches (imported names, functions whose summaries it used, and
// what those reach: see incremental/names.ts), and on two facts other files decide: which of its functions something
// calls, and which ones something registers as a response handler. Changed files are analysed first; then the clean
// files that reach a declaration whose interface changed (not merely its text), or whose assumptions no longer hold,
// are analysed with them, until nothing else changed.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_MAX_FILE_SIZE, DEFAULT_SEVERITIES, DEFAULT_WORK_BUDGET, type HealthDataLintConfig } from './config';
import type { DataFlow, Finding, HealthField, RuleId, Severity, SkippedFile, SourceLocation } from './model';
import type { ReleaseMoment } from './index';
import { awaitedFiles, createProgram, ParseCache, releaseScanInputs, ts, type FileReader, type ParsedProject } from './program/compiler';
import { tryStat, type DiskProbes } from './program/disk-probes';
import { TypeClassifier } from './classify/types';
import { BudgetExceeded, Interpreter, type ConcreteHit } from './flow/interpreter';
import { functionDisplayName } from './flow/chain';
import { processingIdsIn, type AnalysedFile } from './legal/stale-entries';
import { hardcodedIdentifierFindings } from './identifiers/findings';
import { linkableAnonymisationFindings } from './anonymisers';
import { projectHealthFields } from './fields/project-fields';
import { fieldsReadAt, type FieldRead } from './fields/field-reads';
import { declaredFields, type TypeScriptField } from './fields/typescript-fields';
import { readFromDisk, type FileStat } from './suppress';
import { sameObjects } from './findings';
import { readKey, type FileRecord, type ForeignSource, type FunctionId, type ProjectCache } from './incremental/records';
import { anyForeignChange, checkForeign, type ForeignCheck } from './incremental/foreign';
import { changedNames, filesReaching, nameGraph, nameOfDeclaration, ReachIndex, USED, WHOLE } from './incremental/names';
import type { ResultsStore } from './incremental/store';
import { KeptSummaries } from './incremental/kept-summaries';
import { engineFingerprint } from './incremental/engine-version';

export interface ProjectOutcome {
  hits: ConcreteHit[];
  /** Sinks reached only by anonymised data: no finding, but part of the data map. */
  anonymisedHits: ConcreteHit[];
  /** Files and their functions, for the register's reverse check. */
  analysedFiles: AnalysedFile[];
  /** Ids named by `@processing` tags in the project's files. */
  processingIds: string[];
  skipped: SkippedFile[];
  files: number;
  typesMissing: boolean;
  /** Hard-coded identifiers and linkable anonymisers (the flow rules come from the hits). */
  findings: Finding[];
  /** The analysed text at a location (labels keep a shortened text for messages; fingerprints need all of it). */
  textAt(location: SourceLocation): string | undefined;
  /** The program's health-data fields with the routes of the given flows (this program's). */
  healthFields(flows: readonly DataFlow[]): HealthField[];
  /** How the results were obtained: files analysed in this run, and files whose cached results were reused. */
  /** `summaries`: function summaries taken from an earlier pass over the project instead of computed (see KeptSummaries). */
  incremental: { analysed: number; reused: number; summaries?: number };
}

export interface ProjectInput {
  project: ParsedProject;
  config: HealthDataLintConfig;
  progress(file: string): void;
  isIgnored(file: string): boolean;
  /** Files an earlier project of the same scan analysed: a file is analysed once. */
  analysed: Set<string>;
  overrides?: (file: string) => string | undefined;
  parseCache?: ParseCache;
  store?: ResultsStore;
  /** Names the project in the store (its config file, or its folder). */
  storeKey: string;
  /** A first look: only these files are analysed (see `ScanOptions.focus`). */
  focus?: ReadonlySet<string>;
  /** Stats taken shortly before (see `ScanOptions.knownStats`). */
  knownStats?: ReadonlyMap<string, FileStat>;
  /** See `ScanOptions.globalScripts`. */
  globalScripts?: ReadonlySet<string>;
  /** The sizes and times taken during this scan, by file (filled here; shared by the scan's projects and its reports). */
  stats: Map<string, FileStat>;
  /** See `ScanOptions.releaseMemory`. */
  releaseMemory?: (moment: ReleaseMoment) => void;
  /** The disk's answers already given in this scan, shared by its projects (see `DiskProbes`). */
  probes: DiskProbes;
}

const SCRIPT = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const DECLARATION = /\.d\.[cm]?ts$/;
const NODE_MODULES = /[\\/]node_modules[\\/]/;
/** A source file outside the project (another package's, or one an earlier project of the scan analysed): see foreign.ts. */
function isOutsideSource(file: string, projectFiles: ReadonlyMap<string, string>): boolean {
  return !projectFiles.has(file) && SCRIPT.test(file) && !DECLARATION.test(file) && !NODE_MODULES.test(file);
}
/** Text that makes a file a module; a file without any declares globals, and every file may see them. */
const MODULE_SYNTAX = /(^|[\s;}])(import|export)[\s{*'"(]|\brequire\s*\(|\bmodule\.exports\b|\bexports\.[A-Za-z_$]/;
/** A module that adds to the global scope or to another module (`declare global`, `declare module 'x'`): every file may see it. */
const AUGMENTATION = /\bdeclare\s+(global\b|module\s+['"])/;

/** Whether a file with this text declares what every file may see: a script (no module syntax), or an augmentation. */
export function declaresGlobals(text: string): boolean {
  return !MODULE_SYNTAX.test(text) || AUGMENTATION.test(text);
}

/** Passes of "analyse, then re-check what clean files reach and assumed" before falling back to the whole project. */
const MAX_PASSES = 4;
/** HEALTH_DATA_LINT_CACHE_TRACE=1 prints, per project, what the cache reused and why files were analysed again. */
const CACHE_TRACE = !!process.env.HEALTH_DATA_LINT_CACHE_TRACE;

export function analyseProject(input: ProjectInput): ProjectOutcome {
  const { project, config, overrides } = input;
  const maxFileSize = config.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const severities = { ...DEFAULT_SEVERITIES, ...(config.rules ?? {}) } as Record<RuleId, Severity>;
  const readerSkips = new Map<string, SkippedFile>();
  // One stat per file and scan: the listing below, the compiler's reads, the records and the scan's reading of
  // suppressions share it (four stats of a file with findings otherwise, 0.2 s of a cold scan at 200k lines).
  const { stats } = input;
  const statOnce = (file: string): FileStat | undefined => {
    let stat = stats.get(file);
    if (!stat) {
      stat = statOf(file, input.knownStats);
      if (stat) stats.set(file, stat);
    }
    return stat;
  };
  const skip = (file: string, reason: SkippedFile['reason'], message: string) => {
    const key = path.normalize(file);
    if (!readerSkips.has(key)) readerSkips.set(key, { file, reason, message });
  };
  // Files too large or binary are never parsed: the reader hands the compiler an empty text instead.
  const reader = {
    readFile(fileName: string): string | undefined {
      if (DECLARATION.test(fileName) || NODE_MODULES.test(fileName)) return overrides?.(fileName);
      const open = overrides?.(fileName);
      if (open !== undefined) {
        if (open.length <= maxFileSize) return open;
        skip(fileName, 'too-large', `skipped: ${Math.round(open.length / 1024)} KiB is over the ${Math.round(maxFileSize / 1024)} KiB limit (maxFileSize)`);
        return '';
      }
      const stat = statOnce(path.normalize(fileName));
      if (!stat) return undefined;
      if (stat.size > maxFileSize) {
        skip(fileName, 'too-large', `skipped: ${Math.round(stat.size / 1024)} KiB is over the ${Math.round(maxFileSize / 1024)} KiB limit (maxFileSize)`);
        return '';
      }
      // Kept while its size and time stay the same: the editor's next analysis reads only what changed.
      const text = readFromDisk(fileName, stat);
      if (text === undefined) return undefined;
      if (text.slice(0, 8000).includes('\0')) {
        skip(fileName, 'binary', 'skipped: binary file');
        return '';
      }
      return text;
    },
    tooDeep: (fileName: string, message: string) => skip(fileName, 'budget', message),
    probes: input.probes,
  };

  // A first look reads the store too: if nothing changed since it was written, its results answer for the focus files.
  const stored = input.store?.load(input.storeKey);
  const { files, hashes, globals, texts } = listFiles(input, stored, reader, statOnce);
  if (input.focus && !stored) return firstLook(input, files, hashes, globals, reader, readerSkips, severities);
  const globalRoots = globalRootsOf(project, files, globals);
  const key = cacheKey(input, globalRoots, texts);
  const textOf = (file: string) => texts.get(file) ?? readFromDisk(file, stats.get(file));

  let previous = validCache(stored, key);
  // Other packages' sources the Programs read: their change reaches only the files that use what changed.
  let outside: ForeignCheck | undefined =
    previous &&
    checkForeign(previous, {
      stat: statOnce,
      read(file) {
        const text = reader.readFile(file);
        return text === undefined ? undefined : { hash: hashText(text), global: declaresGlobals(text) };
      },
      exists: (file) => input.probes.fileExists(file),
    });
  if (outside?.global) previous = undefined;
  // An entry read from disk comes without the graph of what depends on what: only a change needs it.
  if (previous?.readGraph && !input.focus && (anyChange(previous, files, hashes, stats) || anyForeignChange(outside)) && !previous.readGraph()) previous = undefined;
  if (!previous) outside = undefined;
  const outsideChanged = anyForeignChange(outside);
  const { records, refreshed } = previousRecords(files, previous, hashes, stats);
  const removed = previous !== undefined && Object.keys(previous.records).some((file) => !hashes.has(file));
  let run = changedFiles(files, hashes, previous, removed || outsideChanged);
  for (const file of outside?.resolvable ?? []) if (hashes.has(file)) run.add(file);
  // A first look with anything to analyse again: quicker than the project's passes (a pull may have changed a lot).
  // With nothing, the stored results stand (a workspace reopened), and `scan` keeps those of the focus files.
  if (input.focus && (!previous || removed || run.size > 0 || outsideChanged)) return firstLook(input, files, hashes, globals, reader, readerSkips, severities);
  if (previous && removed) {
    // A deleted file: the files that reached it, and those whose entry points it called, are analysed again.
    run = new Set([...run, ...reachChanged(files, records, previous, run, true, reachIndexOf(input.parseCache)), ...staleAssumptions(files.map((f) => records.get(f)!), run)]);
  }
  let external = previous?.external ?? [];
  // The foreign sources as they stand, those whose graphs are made again in the next pass, and the names they changed.
  let foreign = new Map(outside?.entries ?? []);
  let regraph = new Set(outside?.changed ?? []);
  const foreignChanged: string[] = [];
  let waiting = { ...previous?.waiting };
  // Kept summaries rest on foreign sources too: the keeper compares their hashes as it does the project's.
  const tracked = outside && outside.hashes.size > 0 ? new Map([...hashes, ...outside.hashes]) : hashes;
  let analysedCount = 0;
  let summariesReused = 0;

  const reported = new Set<string>();
  const progress = (file: string) => {
    reported.add(path.normalize(file));
    input.progress(file);
  };
  if (run.size > 0 || regraph.size > 0) {
    for (let pass = 1; ; pass++) {
      const whole = run.size === files.length || pass > MAX_PASSES;
      if (whole) run = new Set(files);
      const ordered = files.filter((f) => run.has(f));
      const clean = files.filter((f) => !run.has(f)).map((f) => records.get(f)!);
      // A foreign script declaring globals is seen by every file; a changed foreign source is there to be graphed again.
      const foreignRoots = [...foreign.values()].filter((f) => f.global).map((f) => f.file);
      for (const file of regraph) if (outside?.hashes.get(file)) foreignRoots.push(file);
      const rootNames = whole ? project.rootNames : [...new Set([...ordered, ...globalRoots, ...foreignRoots])];
      const started = Date.now();
      const context: AnalysisContext = {
        config,
        severities,
        hashes,
        globals,
        stats,
        readerSkips,
        progress: pass === 1 ? progress : () => undefined,
        track: input.store !== undefined,
        foreign: { known: foreign, regraph: whole ? new Set() : regraph, whole },
        tracked,
        ...(whole && input.releaseMemory && { releaseMemory: input.releaseMemory }),
        ...(input.store && input.parseCache && { keeper: keptSummariesOf(input.parseCache), key }),
      };
      const done = analysePass({ ...project, rootNames }, reader, input.parseCache, whole, ordered, clean, context, external);
      summariesReused += context.keeper?.reused ?? 0;
      for (const [file, record] of done.records) records.set(file, record);
      external = done.external;
      if (whole) {
        foreign = new Map();
        waiting = {};
      } else {
        // A changed foreign source shows its names as they are now; one deleted, every name it had changed.
        for (const file of regraph) {
          foreignChanged.push(...changedNames(file, foreign.get(file)?.names, done.foreign.get(file)?.names));
          if (!done.foreign.has(file)) foreign.delete(file);
        }
      }
      regraph = new Set();
      for (const [file, entry] of done.foreign) foreign.set(file, entry);
      for (const [file, locations] of done.waiting) {
        if (locations.length > 0) waiting[file] = locations;
        else delete waiting[file];
      }
      analysedCount = ordered.length;
      if (whole) input.releaseMemory?.('program');
      if (CACHE_TRACE) process.stderr.write(`[cache] ${input.storeKey}: pass ${pass}, ${ordered.length}/${files.length} files${whole ? ' (whole project)' : `: ${ordered.slice(0, 5).join(', ')}`} in ${Date.now() - started} ms, Program of ${done.programFiles} files\n`);
      // After a whole analysis, the editor's next edit will ask what reaches what: the index is made now, not then.
      if (whole && input.store) reachIndexOf(input.parseCache)?.update([...records.values(), ...foreign.values()]);
      if (whole || input.store === undefined) break;
      // What the files analysed now show other files may have changed, and so may which of the others' functions are called.
      const reaching = reachChanged(files, records, previous, run, removed, reachIndexOf(input.parseCache), foreignChanged, foreign.values());
      const assumptions = sameCalls(run, records, previous) ? [] : staleAssumptions(files.map((f) => records.get(f)!), run);
      const stale = [...new Set([...reaching, ...assumptions])];
      if (CACHE_TRACE && stale.length > 0) process.stderr.write(`[cache] ${reaching.length} clean files reach a changed interface, assumptions changed for ${stale.length - reaching.length}: ${stale.slice(0, 5).join(', ')}\n`);
      if (stale.length === 0) break;
      run = new Set([...run, ...stale]);
    }
  }
  if (input.store && (run.size > 0 || removed || refreshed || outsideChanged || outside?.touched)) {
    // The previous records with those of the files analysed now (the others are the same objects), or all of them.
    const kept = removed ? undefined : previous?.records;
    const saved = kept ?? {};
    for (const file of kept ? run : files) saved[file] = records.get(file)!;
    const foreignList = [...foreign.values()].sort((a, b) => a.file.localeCompare(b.file));
    input.store.save(input.storeKey, { key, external, foreign: foreignList, waiting, records: saved });
  }
  // Progress counts every file once: those the first pass analysed as they go, the others (reused, skipped) now.
  reportRest(files, reported, input.progress);
  const outcome = outcomeOf(files.map((f) => records.get(f)!), textOf, analysedCount, input.parseCache);
  if (summariesReused > 0) outcome.incremental.summaries = summariesReused;
  return outcome;
}

/**
 * The project's own files, in the order its configuration lists them, each read once. A file whose size and
 * modification time are what its record says is not read at all: its hash and kind come from the record.
 *
 * This loop and the others over every file of the project live in functions of their own, apart from
 * `analyseProject` and `analyseFiles`: those run once per analysis, and a loop over thousands of files inside them made
 * V8 optimise the whole of them at every few edits (100 to 220 ms of compiling each time, on a thread that shares the
 * machine with the edit) only to throw the code away at the next object of another shape.
 */
function listFiles(
  input: ProjectInput,
  stored: ProjectCache | undefined,
  reader: FileReader,
  statOnce: (file: string) => FileStat | undefined,
): { files: string[]; hashes: Map<string, string>; globals: Set<string>; texts: Map<string, string> } {
  const { overrides } = input;
  const texts = new Map<string, string>();
  const files: string[] = [];
  const hashes = new Map<string, string>();
  const globals = new Set<string>();
  for (const file of scriptsOf(input.project).scripts) {
    if (input.isIgnored(file) || input.analysed.has(file) || hashes.has(file)) continue;
    if (input.focus && !stored && input.globalScripts) {
      // A first look told which files declare globals reads only its files and their imports, in the Program.
      const open = overrides?.(file);
      files.push(file);
      hashes.set(file, '');
      if (open !== undefined ? declaresGlobals(open) : input.globalScripts.has(file)) globals.add(file);
      continue;
    }
    if (overrides?.(file) === undefined) {
      const stat = statOnce(file);
      const record = stored?.records[file];
      if (stat && record && record.size === stat.size && record.mtime === stat.mtimeMs) {
        files.push(file);
        hashes.set(file, record.hash);
        if (record.global) globals.add(file);
        continue;
      }
    }
    const text = reader.readFile(file);
    if (text === undefined) continue;
    texts.set(file, text);
    files.push(file);
    // A first look without stored results stores nothing: its files are read for which are global, and hashed by the
    // analysis that follows. With stored results, the hashes tell whether they still hold.
    hashes.set(file, input.focus && !stored ? '' : hashText(text));
    if (declaresGlobals(text)) globals.add(file);
  }
  for (const file of files) input.analysed.add(file);
  return { files, hashes, globals, texts };
}

/**
 * The previous records of `files`. A file touched but not changed (a checkout, a save without edits): its record
 * learns the new time, so it is not read again (`refreshed`).
 */
function previousRecords(files: readonly string[], previous: ProjectCache | undefined, hashes: ReadonlyMap<string, string>, stats: ReadonlyMap<string, FileStat>): { records: Map<string, FileRecord>; refreshed: boolean } {
  const records = new Map<string, FileRecord>();
  let refreshed = false;
  if (!previous) return { records, refreshed };
  for (const file of files) {
    const record = previous.records[file];
    if (!record) continue;
    records.set(file, record);
    const stat = stats.get(file);
    if (stat && record.hash === hashes.get(file) && (record.size !== stat.size || record.mtime !== stat.mtimeMs)) {
      record.size = stat.size;
      record.mtime = stat.mtimeMs;
      refreshed = true;
    }
  }
  return { records, refreshed };
}

/** Progress for the files no pass reported (reused, skipped). */
function reportRest(files: readonly string[], reported: ReadonlySet<string>, progress: (file: string) => void): void {
  for (const file of files) if (!reported.has(file)) progress(file);
}

/**
 * One pass: a Program of `project`'s roots, and `files` analysed in it. A function of its own so that the Program is
 * garbage once the pass is over: a local of `analyseProject` stayed reachable from its frame until it returned, and
 * kept the Program and its checker alive while the results were saved and reported (at 20k lines, the live heap after
 * a full collection there went from 185 to 136 MB).
 */
function analysePass(
  project: ParsedProject,
  reader: FileReader & { probes: DiskProbes },
  parseCache: ParseCache | undefined,
  whole: boolean,
  files: string[],
  clean: FileRecord[],
  context: AnalysisContext,
  external: ProjectCache['external'],
): { records: Map<string, FileRecord>; external: ProjectCache['external']; foreign: Map<string, ForeignSource>; waiting: Map<string, string[]>; programFiles: number } {
  const program = createProgram(project, reader, undefined, parseCache, !whole);
  if (context.keeper && whole) context.keeper.wholePass();
  else if (context.keeper) context.keeper.partialPass({ key: context.key!, program, hashes: context.tracked ?? context.hashes, analysed: new Set(files) });
  const { records, foreign, waiting } = analyseFiles(program, files, clean, context);
  // The editor keeps the Program for its next whole analysis; the checker of this one is not needed any more.
  if (whole) parseCache?.dropChecker();
  const merged = mergeExternal(external, program, context.hashes, reader.probes);
  releaseScanInputs(program);
  return { records, foreign, waiting, external: merged, programFiles: program.getSourceFiles().length };
}

/**
 * Files every file may see: the project's declaration files, its scripts (no module syntax) and its augmentations.
 * They root every partial Program, and their text is part of the cache key (a change re-analyses everything).
 */
function globalRootsOf(project: ParsedProject, files: string[], globals: ReadonlySet<string>): string[] {
  return scriptsOf(project).declarations.concat(files.filter((f) => globals.has(f)));
}

/** A project's own scripts (normalised) and declaration files, by its list of root names. */
const projectScripts = new WeakMap<readonly string[], { scripts: string[]; declarations: string[] }>();

/**
 * The project's scripts and declaration files, worked out once per list of root names: the editor keeps the list
 * while the folder's layout holds, and every edit would otherwise test its thousands of names again (and make new
 * strings of them, which every lookup by name then hashes again).
 */
export function scriptsOf(project: ParsedProject): { scripts: readonly string[]; declarations: readonly string[] } {
  let held = projectScripts.get(project.rootNames);
  if (!held) {
    const scripts = project.rootNames.map((root) => path.normalize(root)).filter((file) => SCRIPT.test(file) && !DECLARATION.test(file) && !NODE_MODULES.test(file));
    const declarations = project.rootNames.filter((file) => DECLARATION.test(file) && !NODE_MODULES.test(file));
    projectScripts.set(project.rootNames, (held = { scripts, declarations }));
  }
  return held;
}

/** The focus files alone, in a Program of what they import, with no record of other files standing in for their callers. */
function firstLook(input: ProjectInput, files: string[], hashes: Map<string, string>, globals: ReadonlySet<string>, reader: FileReader, readerSkips: Map<string, SkippedFile>, severities: Record<RuleId, Severity>): ProjectOutcome {
  const focus = files.filter((file) => input.focus!.has(file));
  for (const file of files) if (!input.focus!.has(file)) input.progress(file);
  if (focus.length === 0) return outcomeOf([], (file) => readFromDisk(file), 0);
  const globalRoots = globalRootsOf(input.project, files, globals);
  const program = createProgram({ ...input.project, rootNames: [...new Set([...focus, ...globalRoots])] }, reader, undefined, input.parseCache, true);
  const { records } = analyseFiles(program, focus, [], { config: input.config, severities, hashes, globals, stats: new Map(), readerSkips, progress: input.progress, track: false });
  releaseScanInputs(program);
  return outcomeOf([...records.values()], (file) => readFromDisk(file), focus.length);
}

// ---- what invalidates what -----------------------------------------------------------------------------------

function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Size and modification time of a file (normalised; taken shortly before when known), or undefined when it cannot be read. */
function statOf(file: string, known: ReadonlyMap<string, FileStat> | undefined): FileStat | undefined {
  return known?.get(file) ?? tryStat(file);
}

/** Package manager state next to the project: an install may resolve imports that resolved to nothing before. */
function installSignature(directory: string): string[] {
  const out: string[] = [];
  for (let dir = directory; ; dir = path.dirname(dir)) {
    for (const name of ['node_modules/.package-lock.json', 'node_modules/.yarn-state.yml', 'node_modules/.modules.yaml', 'package.json']) {
      try {
        const stat = fs.statSync(path.join(dir, name));
        out.push(`${path.join(dir, name)}:${stat.size}:${stat.mtimeMs}`);
      } catch {
        // absent: part of the signature too
      }
    }
    if (path.dirname(dir) === dir) return out;
  }
}

function cacheKey(input: ProjectInput, globalRoots: string[], texts: Map<string, string>): string {
  const hash = createHash('sha256');
  hash.update(engineFingerprint());
  hash.update(JSON.stringify(input.project.options));
  hash.update(JSON.stringify(input.config));
  const directory = input.project.configFile ? path.dirname(input.project.configFile) : input.storeKey;
  hash.update(installSignature(directory).join('\n'));
  for (const file of [...globalRoots].sort()) {
    const normalised = path.normalize(file);
    const text = texts.get(normalised) ?? readFromDisk(file, input.knownStats?.get(normalised));
    hash.update(`\0${file}\0${text ?? ''}`);
  }
  return hash.digest('hex');
}

/** Whether any file was added, removed, changed or touched since the cache was written. */
function anyChange(cache: ProjectCache, files: string[], hashes: Map<string, string>, stats: Map<string, FileStat>): boolean {
  if (Object.keys(cache.records).length !== files.length) return true;
  return files.some((file) => {
    const record = cache.records[file];
    const stat = stats.get(file);
    return !record || record.hash !== hashes.get(file) || (stat !== undefined && (record.size !== stat.size || record.mtime !== stat.mtimeMs));
  });
}

function validCache(cache: ProjectCache | undefined, key: string): ProjectCache | undefined {
  if (!cache || cache.key !== key) return undefined;
  for (const [file, size, mtime] of cache.external) {
    const stat = tryStat(file);
    if (!stat || stat.size !== size || stat.mtimeMs !== mtime) return undefined;
  }
  return cache;
}

/** Declarations outside the project the Program read (dependencies'): their change invalidates everything. */
function mergeExternal(previous: ProjectCache['external'], program: ts.Program, projectFiles: Map<string, string>, probes: DiskProbes): ProjectCache['external'] {
  const byFile = new Map(previous.map((entry) => [entry[0], entry]));
  for (const sf of program.getSourceFiles()) {
    const file = path.normalize(sf.fileName);
    if (projectFiles.has(file) || byFile.has(file) || isOutsideSource(file, projectFiles) || /[\\/]lib\.[^\\/]*\.d\.ts$/.test(file)) continue;
    // Undefined for a file the compiler made up (an empty text for a skipped file): nothing to watch.
    const stat = probes.stat(file);
    if (stat) byFile.set(file, [file, stat.size, stat.mtimeMs]);
  }
  return [...byFile.values()].sort((a, b) => a[0].localeCompare(b[0]));
}

/**
 * Changed and new files; when anything changed (here or a foreign source), files with imports that resolved to nothing as well. The files that
 * depend on them are found once they are analysed (`reachChanged`): only those reaching a changed interface.
 */
function changedFiles(files: string[], hashes: Map<string, string>, previous: ProjectCache | undefined, othersChanged: boolean): Set<string> {
  if (!previous) return new Set(files);
  const changed = new Set(files.filter((file) => previous.records[file]?.hash !== hashes.get(file)));
  if (changed.size > 0 || othersChanged) for (const file of files) if (previous.records[file]?.unresolved) changed.add(file);
  return changed;
}

/**
 * Clean files (outside `analysedNow`) that reach a name whose interface changed: one of the files analysed now (or
 * deleted, when `removed`) shows it differently than when the clean files were analysed.
 */
function reachChanged(
  files: string[],
  records: Map<string, FileRecord>,
  previous: ProjectCache | undefined,
  analysedNow: Set<string>,
  removed: boolean,
  index: ReachIndex | undefined,
  foreignChanged: readonly string[] = [],
  foreign: Iterable<ForeignSource> = [],
): string[] {
  if (!previous) return [];
  const changed: string[] = [...foreignChanged];
  for (const file of analysedNow) changed.push(...changedNames(file, previous.records[file]?.names, records.get(file)?.names));
  // Looking for deleted files goes through every record (an editor's edit deletes none, and asks at every pass).
  if (removed) {
    const present = new Set(files);
    for (const file of Object.keys(previous.records)) if (!present.has(file)) changed.push(...changedNames(file, previous.records[file]!.names, undefined));
  }
  if (changed.length === 0) return [];
  const reaching = filesReaching([...records.values(), ...foreign], changed, index);
  return files.filter((file) => reaching.has(file) && !analysedNow.has(file));
}

/** The editor keeps a parse cache per project for the life of its worker, and with it what reaches what (see `ReachIndex`). */
const reachIndexes = new WeakMap<ParseCache, ReachIndex>();

function reachIndexOf(parseCache: ParseCache | undefined): ReachIndex | undefined {
  if (!parseCache) return undefined;
  let index = reachIndexes.get(parseCache);
  if (!index) reachIndexes.set(parseCache, (index = new ReachIndex()));
  return index;
}

/** Clean files whose entry points or response handlers are no longer what they were when they were analysed. */
function staleAssumptions(records: FileRecord[], analysedNow: Set<string>): string[] {
  const called = new Set<FunctionId>();
  const registered = new Set<FunctionId>();
  for (const record of records) {
    for (const id of record.calls) called.add(id);
    for (const id of record.registrations) registered.add(id);
  }
  const stale: string[] = [];
  for (const record of records) {
    if (analysedNow.has(record.file)) continue;
    const entries = record.functions.filter((id) => !called.has(id));
    const handlers = record.functions.filter((id) => registered.has(id));
    if (!sameList(entries, record.entries) || !sameList(handlers, record.handlers)) stale.push(record.file);
  }
  return stale;
}

/**
 * Whether the files analysed now call and register what they did before: then which functions are entry points or
 * handlers is the same for every clean file too, and no record needs to be looked at (every edit would otherwise).
 */
function sameCalls(analysedNow: Set<string>, records: Map<string, FileRecord>, previous: ProjectCache | undefined): boolean {
  if (!previous) return false;
  for (const file of analysedNow) {
    const before = previous.records[file];
    const now = records.get(file);
    if (!before || !now || !sameList(before.calls, now.calls) || !sameList(before.registrations, now.registrations)) return false;
  }
  return true;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(b);
  return a.every((x) => set.has(x));
}

// ---- the analysis of some files -----------------------------------------------------------------------------

interface AnalysisContext {
  config: HealthDataLintConfig;
  severities: Record<RuleId, Severity>;
  hashes: Map<string, string>;
  /** Files every file may see (see `globalRootsOf`), and each file's size and modification time when read from disk. */
  globals: ReadonlySet<string>;
  stats: Map<string, FileStat>;
  readerSkips: Map<string, SkippedFile>;
  progress(file: string): void;
  /** Record what the results rest on (a store will keep them). */
  track: boolean;
  /** See `ScanOptions.releaseMemory`: asked once the flow stages are over (their working garbage is the largest). */
  releaseMemory?: (moment: ReleaseMoment) => void;
  /** Summaries kept from the previous passes over the project (with a store and a parse cache: the editor's worker),
   *  and the cache key they are made under. */
  keeper?: KeptSummaries;
  key?: string;
  /** The foreign sources known (see foreign.ts), those to graph again, and whether the pass is whole (all graphed anew). */
  foreign?: { known: ReadonlyMap<string, ForeignSource>; regraph: ReadonlySet<string>; whole: boolean };
  /** The project's and the foreign sources' content hashes, for the keeper. */
  tracked?: ReadonlyMap<string, string>;
}

/** One keeper per parse cache: the editor keeps a parse cache per project for the life of its worker. */
const keepers = new WeakMap<ParseCache, KeptSummaries>();

function keptSummariesOf(parseCache: ParseCache): KeptSummaries {
  let keeper = keepers.get(parseCache);
  if (!keeper) keepers.set(parseCache, (keeper = new KeptSummaries()));
  return keeper;
}

function functionId(fn: ts.Node): FunctionId {
  const sf = fn.getSourceFile();
  const { line, character } = sf.getLineAndCharacterOfPosition(fn.getStart(sf));
  return `${path.normalize(sf.fileName)}:${line + 1}:${character + 1}`;
}

/** Analyses `files` (a Program holding them and what they import), the clean files' records standing for the rest. */
function analyseFiles(program: ts.Program, files: string[], clean: FileRecord[], context: AnalysisContext): { records: Map<string, FileRecord>; foreign: Map<string, ForeignSource>; waiting: Map<string, string[]> } {
  const { config } = context;
  const checker = program.getTypeChecker();
  const types = new TypeClassifier(checker, config);
  const run = new Set(files);
  const state = new Map<string, { used: Map<string, Set<string>>; calls: Set<FunctionId>; registrations: Set<FunctionId>; record: FileRecord }>();
  for (const file of files) {
    state.set(file, {
      used: new Map(),
      calls: new Set(),
      registrations: new Set(),
      record: {
        file,
        hash: context.hashes.get(file) ?? '',
        ...(context.stats.has(file) && { size: context.stats.get(file)!.size, mtime: context.stats.get(file)!.mtimeMs }),
        global: context.globals.has(file),
        names: {},
        unresolved: false,
        functions: [],
        entries: [],
        handlers: [],
        calls: [],
        registrations: [],
        moduleHits: [],
        entryHits: [],
        anonymisedModuleHits: [],
        anonymisedEntryHits: [],
        functionNames: [],
        processingIds: [],
        typesMissing: false,
        findings: [],
        fields: [],
        reads: [],
        texts: [],
      },
    });
  }
  const skipped = new Map<string, SkippedFile>();
  const skipFile = (file: string, reason: SkippedFile['reason'], message: string) => {
    if (!skipped.has(file)) skipped.set(file, { file, reason, message });
  };
  for (const [file, entry] of context.readerSkips) if (run.has(file)) skipped.set(file, entry);

  let current: string | undefined;
  let stage: 1 | 2 = 1;
  const anonymisers = new Set<ts.FunctionLikeDeclaration>();
  const seenHits = new Set<string>();
  const record = (hit: ConcreteHit, origin: string, anonymised: boolean) => {
    const owner = state.get(path.normalize(origin));
    if (!owner) return; // module code of a clean file, reached from here: its own record has it
    const key = `${stage}|${anonymised}|${origin}|${hitKey(hit)}`;
    if (seenHits.has(key)) return;
    seenHits.add(key);
    const r = owner.record;
    if (anonymised) (stage === 1 ? r.anonymisedModuleHits : r.anonymisedEntryHits).push(hit);
    else (stage === 1 ? r.moduleHits : r.entryHits).push(hit);
  };
  // Summaries are used at every call site: the file of each source file and the id of each function are worked out once.
  const fileNames = new Map<ts.SourceFile, string | undefined>();
  const projectFile = (fn: ts.Node) => {
    const sf = fn.getSourceFile();
    if (!fileNames.has(sf)) fileNames.set(sf, sf.isDeclarationFile || NODE_MODULES.test(sf.fileName) ? undefined : path.normalize(sf.fileName));
    return fileNames.get(sf);
  };
  const topNames = new Map<ts.Node, string>();
  const topName = (fn: ts.Node) => {
    let name = topNames.get(fn);
    if (name === undefined) topNames.set(fn, (name = nameOfDeclaration(fn)));
    return name;
  };
  const ids = new Map<ts.Node, FunctionId>();
  const idOf = (fn: ts.Node) => {
    let id = ids.get(fn);
    if (id === undefined) ids.set(fn, (id = functionId(fn)));
    return id;
  };
  // What the summaries of foreign sources' functions used of other files, by the name of the function (see `used`).
  const foreignUsed = new Map<string, Map<string, Set<string>>>();
  const interpreter = new Interpreter(checker, types, {
    config,
    workBudget: config.workBudget ?? DEFAULT_WORK_BUDGET,
    onHit: (hit, origin) => record(hit, origin, false),
    onAnonymisedHit: (hit, origin) => record(hit, origin, true),
    onAnonymiser: (fn) => anonymisers.add(fn),
    // Recording summaries costs work at every call site: only for the partial passes that keep them.
    ...(context.keeper?.active && { keeper: context.keeper }),
    // What a later scan needs to trust these records; without a store nobody reads it, and it is not worked out.
    ...(context.track && {
      dependencies: {
        // Attributed to the function whose summary used it (its file may be another than the one being analysed,
        // whatever order summaries are computed in), or to the analysed file's module code and entry points.
        summaryUsed(fn, by) {
          const file = projectFile(fn);
          const owner = by ? projectFile(by) : current;
          if (!file || !owner || file === owner) return;
          // A clean file's function: its own record has this use, from its own analysis. A foreign source's: its graph.
          let used = state.get(owner)?.used;
          if (!used && isOutsideSource(owner, context.hashes)) {
            used = foreignUsed.get(owner);
            if (!used) foreignUsed.set(owner, (used = new Map()));
          }
          if (!used) return;
          const name = by ? topName(by) : USED;
          let uses = used.get(name);
          if (!uses) used.set(name, (uses = new Set()));
          uses.add(`${file}#${topName(fn)}`);
        },
        called(fn) {
          if (current) state.get(current)?.calls.add(idOf(fn));
        },
        registeredHandler(fn) {
          if (current) state.get(current)?.registrations.add(idOf(fn));
        },
      },
    }),
  });

  const sourceFiles: ts.SourceFile[] = [];
  for (const file of files) {
    const sf = program.getSourceFile(file);
    if (!sf) {
      skipFile(file, 'internal-error', 'skipped: the compiler did not load this file');
      continue;
    }
    if (skipped.has(file)) continue;
    const syntax = program.getSyntacticDiagnostics(sf);
    if (syntax.length > 0) {
      const first = syntax[0];
      const { line, character } = sf.getLineAndCharacterOfPosition(first.start ?? 0);
      skipFile(file, 'parse-error', `skipped: cannot parse (${line + 1}:${character + 1} ${ts.flattenDiagnosticMessageText(first.messageText, ' ')})`);
      continue;
    }
    sourceFiles.push(sf);
  }
  const functions = new Map<ts.SourceFile, ts.FunctionLikeDeclaration[]>(sourceFiles.map((sf) => [sf, interpreter.functionsOf(sf)]));

  // What clean files call or register among the functions analysed here.
  const byId = new Map<FunctionId, ts.FunctionLikeDeclaration>();
  for (const list of functions.values()) for (const fn of list) byId.set(idOf(fn), fn);
  countCleanCalls(clean, byId, interpreter);

  const guarded = (sf: ts.SourceFile, work: () => void) => {
    const file = path.normalize(sf.fileName);
    if (skipped.has(file)) return;
    current = file;
    try {
      work();
    } catch (error) {
      if (error instanceof BudgetExceeded) skipFile(file, 'budget', 'skipped: the analysis of this file went over its work budget (workBudget)');
      else if (error instanceof RangeError) skipFile(file, 'budget', 'skipped: too deeply nested to analyse');
      else skipFile(file, 'internal-error', `skipped: internal error (${(error as Error).message})`);
    } finally {
      current = undefined;
    }
  };
  // Stage 1: module code and every function's summary (this also counts the project's call sites).
  stage = 1;
  for (const sf of sourceFiles) {
    guarded(sf, () => {
      interpreter.resetBudget();
      interpreter.analyseModule(sf);
      for (const fn of functions.get(sf)!) {
        interpreter.summaryOf(fn);
        if (interpreter.isAnonymiser(fn)) anonymisers.add(fn);
      }
    });
    context.progress(sf.fileName);
  }
  // Stage 2: functions no project code calls are entry points (handlers, exported APIs).
  stage = 2;
  for (const sf of sourceFiles) {
    const entries: FunctionId[] = [];
    guarded(sf, () => {
      interpreter.resetBudget();
      for (const fn of functions.get(sf)!) {
        if (interpreter.callSites.get(fn)) continue;
        entries.push(idOf(fn));
        interpreter.instantiateEntry(fn);
      }
    });
    state.get(path.normalize(sf.fileName))!.record.entries = entries;
  }

  // The interpreter's working values are garbage now; what follows asks the checker for more types.
  context.releaseMemory?.('flows');
  // What the rest of the scan needs from the Program, kept in the records.
  const anonymisersByFile = new Map<string, ts.FunctionLikeDeclaration[]>();
  for (const fn of anonymisers) {
    const file = path.normalize(fn.getSourceFile().fileName);
    let own = anonymisersByFile.get(file);
    if (!own) anonymisersByFile.set(file, (own = []));
    own.push(fn);
  }
  const readsCache = new Map<string, FieldRead>();
  const overrides = { healthFields: config.healthFields, notHealthFields: config.notHealthFields };
  // Names may refer to foreign sources too: a change to one then reaches only the files using what changed.
  const isTracked = (file: string) => context.hashes.has(file) || isOutsideSource(file, context.hashes);
  for (const sf of sourceFiles) {
    const file = path.normalize(sf.fileName);
    const entry = state.get(file)!;
    const r = entry.record;
    if (skipped.has(file)) continue;
    if (context.track) {
      const graph = nameGraph({ program, checker, sourceFile: sf, isProjectFile: isTracked, summaryOf: (fn) => interpreter.knownSummary(fn), used: entry.used });
      r.names = graph.names;
      r.unresolved = graph.unresolved;
    }
    const fns = functions.get(sf)!;
    r.functions = fns.map(idOf);
    r.handlers = fns.filter((fn) => interpreter.isResponseHandler(fn)).map(idOf);
    r.calls = [...entry.calls].sort();
    r.registrations = [...entry.registrations].sort();
    r.functionNames = [...new Set(fns.map((fn) => functionDisplayName(fn)))];
    r.typesMissing = hasMissingTypes(sf, checker);
    const ownAnonymisers = anonymisersByFile.get(file) ?? [];
    r.findings = [
      ...hardcodedIdentifierFindings(sf, context.severities),
      ...linkableAnonymisationFindings(ownAnonymisers, { checker, types, outputOf: (fn) => interpreter.anonymiserOutput(fn) }, context.severities),
    ];
    r.fields = [...declaredFields(sf, checker, types, overrides)].map(([key, field]) => [key, plainField(field)]);
    const reads = new Map<string, FieldRead>();
    const texts: [string, string][] = [];
    for (const hit of [...r.moduleHits, ...r.entryHits, ...r.anonymisedModuleHits, ...r.anonymisedEntryHits]) {
      for (const label of hit.labels) {
        const where = readKey(label.source);
        if (reads.has(where)) continue;
        let read = readsCache.get(where);
        if (!read) readsCache.set(where, (read = fieldsReadAt(program, checker, label.source)));
        reads.set(where, read);
        const text = programTextAt(program, label.source);
        if (text !== undefined) texts.push([where, text]);
      }
    }
    r.reads = [...reads];
    r.texts = texts;
  }
  for (const file of files) {
    const entry = state.get(file)!;
    entry.record.processingIds = processingIdsIn(program.getSourceFile(file)?.text ?? '');
    const skip = skipped.get(file);
    if (skip) {
      // A skipped file reports nothing but its notice. Nothing is known of its names: the file as a whole rests on its
      // text and on what its analysis reached before it stopped (a budget depends on the callees' work too).
      Object.assign(entry.record, { skipped: skip, moduleHits: [], entryHits: [], anonymisedModuleHits: [], anonymisedEntryHits: [], findings: [], fields: [], reads: [], texts: [] });
      const reached = new Set([...entry.used.values()].flatMap((uses) => [...uses]));
      entry.record.names = { [WHOLE]: { own: `skipped:${entry.record.hash}`, refs: [...reached].sort() } };
    }
  }
  const foreign = new Map<string, ForeignSource>();
  const waiting = new Map<string, string[]>();
  if (context.track && context.foreign) {
    const { known, regraph, whole } = context.foreign;
    for (const { sf, file } of outsideToGraph(program, context.hashes, known, regraph, whole)) {
      const before = known.get(file);
      const fns = interpreter.functionsOf(sf);
      const summarised = new Set<FunctionId>();
      if (before && !whole) {
        // The functions summarised when the graph was made, summarised again: bodies show as they did, text or summary.
        const wanted = new Set(before.summarised);
        for (const fn of fns) {
          if (!wanted.has(idOf(fn))) continue;
          try {
            interpreter.resetBudget();
            interpreter.summaryOf(fn);
            summarised.add(idOf(fn));
          } catch {
            // over its budget or too deep: its body shows as text, so its name reads as changed
          }
        }
      } else {
        for (const fn of fns) if (interpreter.knownSummary(fn) !== undefined) summarised.add(idOf(fn));
      }
      const graph = nameGraph({ program, checker, sourceFile: sf, isProjectFile: isTracked, summaryOf: (fn) => (summarised.has(idOf(fn)) ? interpreter.knownSummary(fn) : undefined), used: foreignUsed.get(file) ?? new Map() });
      const stat = context.stats.get(file) ?? tryStat(file);
      foreign.set(file, { file, size: stat?.size ?? -1, mtime: stat?.mtimeMs ?? -1, hash: hashText(sf.text), global: declaresGlobals(sf.text), names: graph.names, summarised: [...summarised].sort() });
    }
    // Where the imports that resolved to nothing were looked for, for the files analysed or graphed now.
    for (const sf of [...sourceFiles, ...[...foreign.keys()].map((file) => program.getSourceFile(file)!)]) {
      waiting.set(path.normalize(sf.fileName), awaitedFiles(program, sf).map((location) => path.normalize(location)).sort());
    }
  }
  // Records hold plain data only (locations, names, labels: no node of the Program), so they outlive it as they are.
  return { records: new Map(files.map((file) => [file, state.get(file)!.record])), foreign, waiting };
}

/**
 * What clean files call or register among the functions analysed here (`byId`), as their records say. The ids hold the
 * file's path, so only the functions of the files analysed here are found (an id of another file, a function gone).
 * Apart from `analyseFiles` for the reason `listFiles` gives: an edit runs this over every other file's record.
 */
function countCleanCalls(clean: readonly FileRecord[], byId: ReadonlyMap<FunctionId, ts.FunctionLikeDeclaration>, interpreter: Interpreter): void {
  for (const other of clean) {
    for (const id of other.calls) {
      const fn = byId.get(id);
      if (fn) interpreter.countCall(fn);
    }
    for (const id of other.registrations) {
      const fn = byId.get(id);
      if (fn && !interpreter.isResponseHandler(fn)) interpreter.registerResponseHandler(fn);
    }
  }
}

/** The Program's foreign sources whose graphs are made in this pass: all of them in a whole pass, else the new and the changed. */
function outsideToGraph(program: ts.Program, hashes: ReadonlyMap<string, string>, known: ReadonlyMap<string, ForeignSource>, regraph: ReadonlySet<string>, whole: boolean): { sf: ts.SourceFile; file: string }[] {
  const graphed: { sf: ts.SourceFile; file: string }[] = [];
  for (const sf of program.getSourceFiles()) {
    const file = path.normalize(sf.fileName);
    if (!isOutsideSource(file, hashes)) continue;
    if (known.has(file) && !whole && !regraph.has(file)) continue;
    graphed.push({ sf, file });
  }
  return graphed;
}

/** What tells two hits from one entry point apart: the sink, the path, the sources. */
function hitKey(hit: ConcreteHit): string {
  const at = (l: SourceLocation) => `${l.file}:${l.line}:${l.column}`;
  return [
    at(hit.location),
    hit.sink.kind,
    hit.sink.label,
    hit.sink.recipient ?? '',
    hit.callPath.map((s) => at(s.location)).join('>'),
    hit.chain.map((c) => `${c.file}#${c.functionName ?? ''}`).join('>'),
    hit.labels.map((l) => `${at(l.source)}/${l.categories.join(',')}/${l.pseudonymised ? 'p' : ''}${l.anonymised ? 'a' : ''}`).join(';'),
    hit.pseudonymised ? 'P' : '',
  ].join('|');
}

function plainField(field: TypeScriptField): TypeScriptField {
  return {
    declaration: field.declaration,
    ...(field.classification && { classification: field.classification }),
    ...(field.overriddenNotHealth && { overriddenNotHealth: true }),
    ...(field.genericType && { genericType: true }),
  };
}

/** A package import with no declaration to resolve to: the dependencies are not installed. */
function hasMissingTypes(sf: ts.SourceFile, checker: ts.TypeChecker): boolean {
  for (const statement of sf.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier) && !statement.moduleSpecifier.text.startsWith('.')) {
      if (!checker.getSymbolAtLocation(statement.moduleSpecifier)) return true;
    }
  }
  return false;
}

// ---- from records to the project's outcome --------------------------------------------------------------------

/** The project's health fields as last worked out, with what they were worked out from (see `sameFieldInputs`). */
interface FieldsMemo {
  records: readonly FileRecord[];
  flows: readonly DataFlow[];
  fields: HealthField[];
}

/** Per project in the editor (its parse cache stands for it): an edit that changes no field or flow reuses them. */
const fieldsMemos = new WeakMap<ParseCache, FieldsMemo>();

/**
 * Whether fields worked out from `memo` hold for these records and flows: the same ones (records and flows of files not
 * analysed again are the same objects), or, for those rebuilt, the same declarations, reads and flows in content.
 */
function sameFieldInputs(memo: FieldsMemo, records: readonly FileRecord[], flows: readonly DataFlow[]): boolean {
  const fieldsOf = (r: FileRecord) => JSON.stringify([r.file, r.fields, r.reads]);
  return sameObjects(memo.records, records, (a, b) => fieldsOf(a) === fieldsOf(b)) && sameObjects(memo.flows, flows, (a, b) => JSON.stringify(a) === JSON.stringify(b));
}

function outcomeOf(records: FileRecord[], textOf: (file: string) => string | undefined, analysed: number, memoKey?: ParseCache): ProjectOutcome {
  // One pass over the records (the editor makes an outcome of thousands of them on every edit).
  const moduleHits: ConcreteHit[] = [];
  const entryHits: ConcreteHit[] = [];
  const anonymisedModuleHits: ConcreteHit[] = [];
  const anonymisedEntryHits: ConcreteHit[] = [];
  const analysedFiles: AnalysedFile[] = [];
  const processingIds: string[] = [];
  const skipped: SkippedFile[] = [];
  const findings: Finding[] = [];
  const skippedFiles = new Set<string>();
  let typesMissing = false;
  for (const r of records) {
    for (const hit of r.moduleHits) moduleHits.push(hit);
    for (const hit of r.entryHits) entryHits.push(hit);
    for (const hit of r.anonymisedModuleHits) anonymisedModuleHits.push(hit);
    for (const hit of r.anonymisedEntryHits) anonymisedEntryHits.push(hit);
    analysedFiles.push(r.skipped ? { file: r.file, functionNames: [], skipped: true } : { file: r.file, functionNames: r.functionNames });
    for (const id of r.processingIds) processingIds.push(id);
    if (r.skipped) {
      skipped.push(r.skipped);
      skippedFiles.add(r.file);
    }
    for (const finding of r.findings) findings.push(finding);
    typesMissing ||= r.typesMissing;
  }
  // A skipped file reports nothing, also what other files' entry points reached in it.
  const kept = (hit: ConcreteHit) => skippedFiles.size === 0 || !skippedFiles.has(path.normalize(hit.location.file));
  const hits = moduleHits.concat(entryHits).filter(kept);
  const anonymisedHits = anonymisedModuleHits.concat(anonymisedEntryHits).filter(kept);
  const linesOf = new Map<string, { text: string; starts: number[] }>();
  let analysedTexts: Map<string, string> | undefined;
  return {
    hits,
    anonymisedHits,
    analysedFiles,
    processingIds,
    skipped,
    files: records.length,
    typesMissing,
    findings,
    textAt: (location) => {
      if (!analysedTexts) {
        analysedTexts = new Map();
        for (const r of records) for (const [where, text] of r.texts) analysedTexts.set(where, text);
      }
      const analysed = analysedTexts.get(readKey(location));
      if (analysed !== undefined) return analysed;
      const file = path.normalize(location.file);
      let lines = linesOf.get(file);
      if (!lines) {
        const text = textOf(file);
        if (text === undefined) return undefined;
        linesOf.set(file, (lines = { text, starts: lineStartsOf(text) }));
      }
      return textBetween(lines.text, lines.starts, location);
    },
    healthFields: (flows) => {
      const memo = memoKey && fieldsMemos.get(memoKey);
      if (memo && sameFieldInputs(memo, records, flows)) {
        fieldsMemos.set(memoKey!, { records, flows, fields: memo.fields });
        return memo.fields;
      }
      const declared = new Map<string, TypeScriptField>();
      for (const r of records) for (const [key, field] of r.fields) declared.set(key, field);
      const reads = new Map<string, FieldRead>();
      for (const r of records) for (const [where, read] of r.reads) if (!reads.has(where)) reads.set(where, read);
      const fields = projectHealthFields({ declared, readsAt: (location) => reads.get(readKey(location)) ?? { keys: [], recordKeys: [] }, flows });
      if (memoKey) fieldsMemos.set(memoKey, { records, flows, fields });
      return fields;
    },
    incremental: { analysed, reused: records.length - analysed },
  };
}

/** The text at a location in the Program's copy of its file (undefined when the file is not in it). */
function programTextAt(program: ts.Program, location: SourceLocation): string | undefined {
  const sf = program.getSourceFile(location.file);
  return sf && textBetween(sf.text, sf.getLineStarts(), location);
}

/** Where each line of `text` starts. */
function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  return starts;
}

/**
 * The text between two 1-based line/column positions (columns count UTF-16 code units, as the compiler's do), a
 * column past the end of its line taken as that end; undefined when a line is not in the text.
 */
function textBetween(text: string, lineStarts: readonly number[], location: SourceLocation): string | undefined {
  if (location.line < 1 || location.endLine > lineStarts.length) return undefined;
  const offset = (line: number, column: number) => Math.min(lineStarts[line - 1]! + column - 1, line < lineStarts.length ? lineStarts[line]! : text.length);
  return text.slice(offset(location.line, location.column), offset(location.endLine, location.endColumn));
}
