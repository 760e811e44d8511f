// What the server analyses as one piece (a tsconfig/jsconfig project, or a folder without one) and what comes back.
import type { AnalysisResult, Finding, SkippedFile } from '../engine/model';
import type { HeapFigures } from './heap';
import type { ConfigOverrides } from './settings';
import type { FirstLookHints } from './unit-listing';

export interface AnalysisUnit {
  /** Stable identity: the config file, or the folder for a folder without config. */
  key: string;
  /** The workspace folder the unit belongs to (settings with relative paths are resolved against it). */
  folder: string;
  /** Directory the unit covers: a saved file below it re-analyses the unit. */
  directory: string;
  /** tsconfig.json / jsconfig.json of the project; absent = every source file under `directory`. */
  configFile?: string;
}

export interface AnalysisRequest {
  id: number;
  unit: AnalysisUnit;
  /** What the editor settings change in the project's configuration file (severities, extra terms...). */
  overrides: ConfigOverrides;
  /** Unsaved contents of the open documents under the unit (path -> text): analysed instead of the disk. */
  openDocuments: Record<string, string>;
  /** A first look at these files only, before the unit's first full analysis (see `ScanOptions.focus`). */
  focus?: string[];
  /** The version of this unit's findings the server holds: the worker may answer with the difference from it. */
  knownVersion?: string;
  /**
   * How many times files were created or deleted, or the layout changed (tsconfig, configuration), since the server
   * started: while it stays the same, the worker reuses the unit's list of files and schema files instead of walking
   * the folders again on every edit. Absent: walk them every time.
   */
  layout?: number;
  /** How many changes on disk the server heard of (see `StatRequest`). */
  disk?: number;
  /**
   * Where the unit's results are kept between sessions (the editor's storage for the workspace): read at the unit's
   * first analysis, written when the worker is idle and at shutdown. Absent: in memory only.
   */
  resultsCache?: string;
  /**
   * The unit's listing and its files that declare globals, found by the server's thread for the layout `layout`
   * while the worker parsed the libraries: the worker keeps the listing instead of walking the folder, and a first
   * look without stored results reads only its files and their imports.
   */
  hints?: FirstLookHints;
}

/** What an analysis request adds to the unit (see `AnalysisRequest`). */
export type AnalysisOptions = Pick<AnalysisRequest, 'focus' | 'knownVersion' | 'layout' | 'disk' | 'hints'>;

/**
 * The findings of an analysis as a difference from an earlier version the server holds: findings are the same objects
 * from one analysis to the next when nothing they rest on changed, so an edit sends only what it changed.
 */
export interface FindingsDelta {
  base: string;
  /** New or changed findings. */
  added: Finding[];
  /** Keys (`findingKey`) of the findings of `base` that are gone or replaced. */
  removed: string[];
}

/** What tells a finding from the others of one result (the engine reports one finding per rule and position). */
export function findingKey(finding: Finding): string {
  return `${finding.ruleId}:${finding.location.file}:${finding.location.line}:${finding.location.column}`;
}

/** A problem that stopped the analysis of a unit (broken config, register or tsconfig), where it is. */
export interface BlockingProblem {
  file?: string;
  /** 1-based; absent when the problem concerns the whole file. */
  line?: number;
  column?: number;
  message: string;
}

export type AnalysisResponse =
  | {
      id: number;
      ok: true;
      /** With `delta`, `result.findings` is empty: the findings are `base`'s with the difference applied. */
      result: AnalysisResult;
      documentationBaseUrl: string;
      elapsedMs: number;
      /** The version of these findings (absent for a first look, which never serves as a base). */
      version?: string;
      delta?: FindingsDelta;
      /** With `delta`: the health-data fields are `base`'s, unchanged, and `result.fields` is absent. */
      fieldsUnchanged?: boolean;
      /**
       * Source files outside the unit's folder that its Programs read (other packages of a monorepo, through `paths`
       * or links), when they differ from the unit's last answer: a change of one on disk is the unit's to analyse too.
       */
      outsideSources?: string[];
    }
  | { id: number; ok: false; message: string; problems: BlockingProblem[] };

/** Asks the worker for its heap figures (the memory request), after a full collection when `collect`. */
export interface MemoryQuery {
  kind: 'memory';
  id: number;
  collect: boolean;
}

export interface MemoryReply {
  kind: 'memory';
  id: number;
  heap: HeapFigures;
}

/**
 * Loads what a unit's first analysis will need (its list of files, the compiler's libraries and the dependencies'
 * types it includes) while the worker would otherwise wait for the editor's handshake and the debounce. No reply.
 */
export interface PrepareRequest {
  kind: 'prepare';
  unit: AnalysisUnit;
  layout: number;
  /** See `AnalysisRequest.resultsCache`: results kept from the last session may answer first, without the libraries. */
  resultsCache?: string;
}

/** Writes the results kept in memory to the results cache (see `AnalysisRequest.resultsCache`) now; replied to when done. */
export interface FlushRequest {
  kind: 'flush';
  id: number;
}

export interface FlushReply {
  kind: 'flushed';
  id: number;
}

/**
 * Takes the size and modification time of every file of a unit while the debounce before its analysis runs: the
 * analysis trusts them instead of asking the disk for each of its thousands of files on every edit (see
 * `ScanOptions.knownStats`). `disk` counts the changes on disk the server heard of (saves, watched files, its own
 * watcher): stats taken before the last one, or too long before the analysis, are not used. No reply.
 */
export interface StatRequest {
  kind: 'stat';
  unit: AnalysisUnit;
  layout: number;
  disk: number;
}

export type WorkerRequest = AnalysisRequest | MemoryQuery | PrepareRequest | StatRequest | FlushRequest;
/**
 * The findings of the open source files an analysis was asked with, as soon as they are final (see
 * `ScanOptions.early`): the analysis of an edit then goes on with the rest of the project, and its response follows.
 * Only for an analysis whose result the server holds the previous version of (an edit, not a unit's first analysis or a
 * first look). An open register's diagnostics (stale entries) need the whole project's flows: they come with the
 * response.
 */
export interface EarlyReply {
  kind: 'early';
  id: number;
  files: string[];
  findings: Finding[];
  skipped: SkippedFile[];
  documentationBaseUrl: string;
}

export type WorkerReply = AnalysisResponse | MemoryReply | FlushReply | EarlyReply;
