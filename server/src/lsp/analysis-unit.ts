// What the server analyses as one piece (a tsconfig/jsconfig project, or a folder without one) and what comes back.
import type { AnalysisResult } from '../engine/model';
import type { HeapFigures } from './heap';
import type { ConfigOverrides } from './settings';

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
  | { id: number; ok: true; result: AnalysisResult; documentationBaseUrl: string; elapsedMs: number }
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

export type WorkerRequest = AnalysisRequest | MemoryQuery;
export type WorkerReply = AnalysisResponse | MemoryReply;
