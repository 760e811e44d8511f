// The engine's API: scan paths (CLI) and return findings; the CLI and the language server are adapters over it.
import type { HealthDataLintConfig } from './config';
import type { AnalysisResult, Finding, SkippedFile } from './model';

/** See `ScanOptions.early`. */
export interface EarlyReport {
  /** Normalised absolute paths. */
  files: ReadonlySet<string>;
  report(early: { findings: Finding[]; skipped: SkippedFile[] }): void;
}

export interface ScanOptions {
  /** Files or directories to scan; every tsconfig.json / jsconfig.json under them is a project. */
  paths: string[];
  /** Explicit tsconfig files (--project); when given, only these projects are analysed. */
  projects?: string[];
  config: HealthDataLintConfig;
  /** Directory the configuration was loaded from (register and ignore globs are relative to it). */
  configDirectory?: string;
  onProgress?: (progress: { done: number; total: number; file?: string }) => void;
  /**
   * Contents that override the files on disk (the editor's unsaved buffers); undefined = read the disk.
   * Sources, configuration and the register are still read from disk unless given here.
   */
  readFile?: (file: string) => string | undefined;
  /**
   * Parse caches kept between scans, one per project (config file, or the folder for a project without one): the
   * language server re-analyses after each edit, and unchanged files are not parsed again.
   */
  parseCaches?: Map<string, ParseCache>;
  /**
   * The results cache: per project, each file's results with what they depend on, so a scan analyses only the files
   * that changed and those that depend on them. `DiskStore` for the CLI (`--cache`), `MemoryStore` or `PersistentStore` for the server.
   */
  cache?: ResultsStore;
  /**
   * Scale-out (--jobs, --shard): the projects to analyse, already found by `discoverProjects` (a worker gets its share);
   * `paths` is then only searched for schema files, and an empty `paths` looks for none.
   */
  discovered?: DiscoveredProjects;
  /**
   * The schema files to read (see `schemaFilesUnder`), already listed: the language server lists them once per layout
   * of the folder instead of walking it on every edit. Absent: the scanned paths are searched.
   */
  schemaFiles?: readonly string[];
  /**
   * Scale-out: files (normalised absolute paths) that an earlier project of the same scan analyses, analysed elsewhere;
   * a file shared by several tsconfigs is reported by the first project that claims it, whichever worker runs it.
   */
  excludeFiles?: readonly string[];
  /**
   * A first look (the editor, before a project's first full analysis): only these files (normalised absolute paths)
   * are analysed, in a Program of what they import, and only what they report is returned. Callers elsewhere in the
   * project are not seen (a later full scan refines the result); the results cache is not written, and neither the
   * register's stale entries, fields nor schema files are looked at. When the results cache (`cache`) holds results
   * for the whole project and nothing they rest on changed (the editor reopening a workspace), the focus files'
   * findings come from it, callers elsewhere included, and nothing is analysed.
   */
  focus?: readonly string[];
  /**
   * Sizes and modification times of files (normalised absolute paths) taken shortly before the scan: the language
   * server takes them while its debounce runs, and the scan trusts them instead of asking the disk again for every file
   * of the project. A file not in the map is asked.
   */
  knownStats?: ReadonlyMap<string, FileStat>;
  /**
   * With `focus` and no stored results: the project files whose text declares globals (`declaresGlobals`), found by
   * the caller (the language server reads them on its main thread while the worker parses the libraries). The first
   * look then reads only its files and what they import, not every file of the project to find the global ones. A
   * file open in the editor is judged by its open text.
   */
  globalScripts?: ReadonlySet<string>;
  /**
   * Some files' findings as soon as they are final (the editor's open files, after an edit): once every project is
   * analysed and the fields merged, before the findings of the whole result are checked against their suppression
   * comments, deduplicated and sorted, and before the caller compares and sends them. What `report` gets for these
   * files is what the result has for them.
   */
  early?: EarlyReport;
  /**
   * Called, for a whole project's analysis, when much of what the scan holds has just become garbage: once the flow
   * stages are over (their working values), and once the analysis is over (the Program, the largest thing a scan
   * holds, before the results are saved and reported). The CLI collects then if the project was large enough for it
   * to pay (`releaseScanMemory`), which keeps its peak memory from adding that garbage to what follows. The editor's
   * worker has its own policy and leaves this out.
   */
  releaseMemory?: (moment: ReleaseMoment) => void;
}

/**
 * When `releaseMemory` is asked: `'flows'` once a project's flow stages are over (their working values are garbage,
 * the Program is not), `'program'` once its whole analysis is over (the Program is garbage too).
 */
export type ReleaseMoment = 'flows' | 'program';

export type { FileStat } from './suppress';
import type { FileStat } from './suppress';

export { DiskStore, MemoryStore, PersistentStore, defaultCacheDirectory, type ResultsStore } from './incremental/store';
import type { ResultsStore } from './incremental/store';

export { ParseCache } from './program/compiler';
import type { ParseCache } from './program/compiler';
import type { DiscoveredProjects } from './program/projects';

export { scan } from './scan';
export type { AnalysisResult, Finding } from './model';
