// Runs `health-data-lint inventory`: scans like the default command and writes the field inventory instead of findings.
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { writeOutput } from './output';
import type { ScanOptions } from '../engine';
import { ConfigError, loadConfig } from '../engine/load-config';
import type { AnalysisResult } from '../engine/model';
import { formatInventoryCsv, formatInventoryJson, formatInventoryMarkdown } from '../engine/report/inventory';
import type { CliOptions, InventoryFormat } from './arguments';
import { createProgressReporter, type ProgressStream } from './progress';

export interface InventoryIo {
  stdout: ProgressStream;
  stderr: ProgressStream;
  cwd: string;
}

/** Exit code 0 with the inventory written, 2 for a usage or configuration problem (the same rules as a scan). */
export async function runInventory(
  options: CliOptions,
  format: InventoryFormat,
  io: InventoryIo,
  scan: (options: ScanOptions) => AnalysisResult | Promise<AnalysisResult>,
): Promise<number> {
  const fail = (message: string) => {
    io.stderr.write(`health-data-lint: ${message}\n`);
    return 2;
  };
  const paths = options.paths.map((path) => resolve(io.cwd, path));
  const projects = options.projects.map((project) => resolve(io.cwd, project));
  for (const [index, path] of paths.entries()) if (!existsSync(path)) return fail(`path not found: ${options.paths[index]}`);
  for (const [index, project] of projects.entries()) if (!existsSync(project)) return fail(`--project: file not found: ${options.projects[index]}`);
  const first = projects[0] ?? paths[0];
  const scanRoot = statSync(first).isDirectory() ? first : dirname(first);
  let loaded;
  try {
    loaded = loadConfig(options.config !== undefined ? io.cwd : scanRoot, options.config);
  } catch (error) {
    if (error instanceof ConfigError) return fail(error.message);
    throw error;
  }
  const progress = createProgressReporter(io.stderr, io.cwd, options.progress);
  let result: AnalysisResult;
  try {
    result = await scan({ paths, ...(projects.length > 0 && { projects }), config: loaded.config, configDirectory: loaded.directory, onProgress: (update) => progress.update(update) });
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  } finally {
    progress.finish();
  }
  if (result.projects.reduce((sum, project) => sum + project.files, 0) === 0 && (result.fields ?? []).length === 0) {
    return fail(`no TypeScript or JavaScript file or schema to analyse in ${options.paths.join(', ')}`);
  }
  const formatted =
    format === 'json'
      ? formatInventoryJson(result, { root: scanRoot })
      : format === 'csv'
        ? formatInventoryCsv(result, { root: scanRoot })
        : formatInventoryMarkdown(result, { root: scanRoot });
  const writeError = writeOutput(formatted, options.outputFile, io);
  if (writeError !== undefined) return fail(writeError);
  if (options.outputFile !== undefined) io.stderr.write(`${(result.fields ?? []).length} health-data field(s): inventory written to ${options.outputFile}\n`);
  for (const skipped of result.skipped) io.stderr.write(`not analysed: ${skipped.file} (${skipped.reason}): ${skipped.message}\n`);
  return 0;
}
