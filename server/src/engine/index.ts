// The engine's API: scan paths (CLI) and return findings; the CLI and the language server are adapters over it.
import type { HealthDataLintConfig } from './config';
import type { AnalysisResult } from './model';

export interface ScanOptions {
  /** Files or directories to scan; every tsconfig.json / jsconfig.json under them is a project. */
  paths: string[];
  /** Explicit tsconfig files (--project); when given, only these projects are analysed. */
  projects?: string[];
  config: HealthDataLintConfig;
  /** Directory the configuration was loaded from (register and ignore globs are relative to it). */
  configDirectory?: string;
  onProgress?: (progress: { done: number; total: number; file?: string }) => void;
}

export { scan } from './scan';
export type { AnalysisResult, Finding } from './model';
