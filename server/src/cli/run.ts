// Runs the command line: loads the configuration, scans, writes the report and the stderr summary, returns the exit code.
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { writeOutput } from './output';
import { DEFAULT_DOCUMENTATION_BASE_URL } from '../engine/config';
import { DiskStore, defaultCacheDirectory, scan as engineScan } from '../engine';
import type { ScanOptions } from '../engine';
import { releaseScanMemory } from '../engine/heap';
import { ConfigError, loadConfig } from '../engine/load-config';
import type { AnalysisResult } from '../engine/model';
import {
  baselineSummary,
  countFindings,
  displayFilePath,
  findRepositoryRoot,
  formatJson,
  formatHtml,
  formatMarkdown,
  formatRegisterDraft,
  formatSarif,
  formatStylish,
  TOOL_VERSION,
} from '../engine/report';
import { parseArguments, UsageError } from './arguments';
import type { CliOptions } from './arguments';
import { HELP_TEXT } from './help';
import { runInventory } from './inventory';
import { runMerge } from './merge-command';
import { createScaledScan, type ScaleOutReport } from './scale-out';
import { formatShardSarif } from './shard-sarif';
import { createProgressReporter, type ProgressStream } from './progress';
import { applyReview, prepareReview, ReviewError, type ReviewPlan } from './review';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export interface CliIo {
  stdout: ProgressStream;
  stderr: ProgressStream;
  cwd: string;
  env: Record<string, string | undefined>;
  /** The script --jobs workers run (the CLI bundle); without it the projects are analysed one after the other here. */
  workerScript?: string;
}

/** The engine entry point; tests may pass another one. */
export type ScanFunction = (options: ScanOptions) => AnalysisResult | Promise<AnalysisResult>;

/** Parses argv and runs it: the whole CLI behind `main.ts`. */
export async function runCli(argv: readonly string[], io: CliIo, scan: ScanFunction = engineScan): Promise<number> {
  let command;
  try {
    command = parseArguments(argv);
  } catch (error) {
    if (error instanceof UsageError) return fail(io, error.message);
    throw error;
  }
  if (command.kind === 'help') {
    io.stdout.write(HELP_TEXT);
    return EXIT_OK;
  }
  if (command.kind === 'version') {
    io.stdout.write(`${TOOL_VERSION}\n`);
    return EXIT_OK;
  }
  if (command.kind === 'merge') return runMerge(command.files, command.outputFile, io);
  if (command.kind === 'inventory') {
    return runInventory(command.options, command.format, io, scaleOut(command.options, io, scan).scan);
  }
  return run(command.options, io, scan);
}

/** --jobs and --shard over the given scan function (the same function when neither splits anything). */
function scaleOut(options: CliOptions, io: CliIo, scan: ScanFunction): { scan: ScanFunction; report: () => ScaleOutReport | undefined } {
  const jobs = options.jobs ?? 1;
  if (jobs === 1 && options.shard === undefined) return { scan, report: () => undefined };
  return createScaledScan(
    { jobs, ...(options.shard && { shard: options.shard }), ...(io.workerScript !== undefined && { workerScript: io.workerScript }), log: (text) => io.stderr.write(text) },
    scan,
  );
}

export async function run(options: CliOptions, io: CliIo, baseScan: ScanFunction = engineScan): Promise<number> {
  const { scan, report: scaleReport } = scaleOut(options, io, baseScan);
  const paths = options.paths.map((path) => resolve(io.cwd, path));
  const projects = options.projects.map((project) => resolve(io.cwd, project));
  for (const [index, path] of paths.entries()) {
    if (!existsSync(path)) return fail(io, `path not found: ${options.paths[index]}`);
  }
  for (const [index, project] of projects.entries()) {
    if (!existsSync(project)) return fail(io, `--project: file not found: ${options.projects[index]}`);
  }

  const scanRoot = startDirectory(projects[0] ?? paths[0]);
  let loaded;
  try {
    loaded = loadConfig(options.config !== undefined ? io.cwd : scanRoot, options.config);
  } catch (error) {
    if (error instanceof ConfigError) return fail(io, error.message);
    throw error;
  }
  const config = { ...loaded.config, rules: { ...loaded.config.rules, ...options.rules } };
  let review: ReviewPlan;
  try {
    review = prepareReview(options, io.cwd, scanRoot, io.env);
  } catch (error) {
    if (error instanceof ReviewError) return fail(io, error.message);
    throw error;
  }

  const progress = createProgressReporter(io.stderr, io.cwd, options.progress);
  const cache = options.cache ? new DiskStore(options.cacheLocation !== undefined ? resolve(io.cwd, options.cacheLocation) : defaultCacheDirectory(scanRoot)) : undefined;
  let result: AnalysisResult;
  try {
    result = await scan({
      paths,
      ...(projects.length > 0 && { projects }),
      config,
      configDirectory: loaded.directory,
      onProgress: (update) => progress.update(update),
      ...(cache && { cache }),
      releaseMemory: releaseScanMemory,
    });
  } catch (error) {
    // The engine throws for what makes a project unusable (a broken tsconfig, ...); its message names the file.
    return fail(io, error instanceof Error ? error.message : String(error));
  } finally {
    progress.finish();
  }
  for (const warning of cache?.warnings ?? []) io.stderr.write(`health-data-lint: ${warning}\n`);

  const scaled = scaleReport();
  // A shard may hold no project (more shards than projects): an empty report, as long as the scan as a whole has files.
  const filesInScan = scaled?.projects.reduce((sum, share) => sum + share.files.length, 0);
  const analysedFiles = result.projects.reduce((sum, project) => sum + project.files, 0);
  if ((options.shard ? filesInScan === 0 : analysedFiles === 0) && result.findings.length === 0) {
    return fail(io, `no TypeScript or JavaScript file to analyse in ${options.paths.join(', ')}`);
  }
  let reviewMessages: string[];
  try {
    ({ result, messages: reviewMessages } = applyReview(result, review));
  } catch (error) {
    if (error instanceof ReviewError) return fail(io, error.message);
    throw error;
  }
  const reported = options.quiet ? { ...result, findings: result.findings.filter((f) => f.severity === 'error') } : result;
  const documentationBaseUrl = config.documentationBaseUrl ?? DEFAULT_DOCUMENTATION_BASE_URL;
  const registerFile = resolve(loaded.directory, config.register ?? 'health-data-register.yaml');
  const report =
    options.format === 'sarif' && options.shard && scaled
      ? formatShardSarif(reported, { repoRoot: findRepositoryRoot(scanRoot), documentationBaseUrl }, options.shard, scaled.selected, scaled.merged)
      : formatReport(reported, options, io, { documentationBaseUrl, scanRoot, registerFile, jurisdictions: config.jurisdictions });

  const writeError = writeOutput(report, options.outputFile, io);
  if (writeError !== undefined) return fail(io, writeError);

  const counts = countFindings(reported.findings);
  writeSummary(reported, options, io, counts, [...scaleOutMessages(options, scaled), ...reviewMessages]);
  if (counts.errors > 0) return EXIT_FINDINGS;
  if (options.maxWarnings !== undefined && counts.warnings > options.maxWarnings) {
    io.stderr.write(`health-data-lint: too many warnings (${counts.warnings}, --max-warnings is ${options.maxWarnings})\n`);
    return EXIT_FINDINGS;
  }
  return EXIT_OK;
}

interface ReportContext {
  documentationBaseUrl: string;
  scanRoot: string;
  /** Where the register is or would be (the draft's appliesTo are relative to it). */
  registerFile: string;
  jurisdictions?: string[];
}

function formatReport(result: AnalysisResult, options: CliOptions, io: CliIo, context: ReportContext): string {
  const { documentationBaseUrl, scanRoot } = context;
  switch (options.format) {
    case 'html':
      return formatHtml(result, { root: scanRoot, documentationBaseUrl, ...generatedAt(io.env) });
    case 'register':
      return formatRegisterDraft(result, { root: scanRoot, registerFile: context.registerFile, ...(context.jurisdictions && { jurisdictions: context.jurisdictions }) });
    case 'json':
      return formatJson(result, { documentationBaseUrl });
    case 'sarif':
      return formatSarif(result, { repoRoot: findRepositoryRoot(scanRoot), documentationBaseUrl });
    case 'markdown':
      return formatMarkdown(result, io.cwd, { documentationBaseUrl });
    case 'stylish':
      return formatStylish(result, io.cwd, { color: wantsColor(options, io) });
  }
}

/** The stderr summary: what was not analysed and why, and whether types were missing. */
function writeSummary(
  result: AnalysisResult,
  options: CliOptions,
  io: CliIo,
  counts: ReturnType<typeof countFindings>,
  reviewMessages: string[],
): void {
  const lines: string[] = [...reviewMessages];
  if (result.skipped.length > 0) {
    lines.push(`${result.skipped.length === 1 ? '1 file was' : `${result.skipped.length} files were`} not analysed:`);
    for (const skipped of result.skipped) {
      lines.push(`  ${displayFilePath(io.cwd, skipped.file)} (${skipped.reason}): ${skipped.message}`);
    }
  }
  const withoutTypes = result.projects.filter((project) => project.typesMissing);
  if (withoutTypes.length > 0) {
    lines.push(
      'Types were missing (dependencies not installed?) for ' +
        withoutTypes.map((project) => displayFilePath(io.cwd, project.configFile ?? project.root)).join(', ') +
        ': sinks and types were matched by import specifiers and names. Install the dependencies for a more precise analysis.',
    );
  }
  lines.push(...result.notices);
  // The stylish report on stdout already ends with this line; elsewhere (a file, JSON, SARIF) the log needs it.
  if (result.baseline && (options.format !== 'stylish' || options.outputFile !== undefined)) lines.push(baselineSummary(result.baseline));
  const stale = result.staleRegisterEntries ?? [];
  if (options.shard) {
    // A shard sees only its projects: an entry it does not use may be another shard's; the merge decides.
    if (stale.length > 0) lines.push(`${stale.length} register entr${stale.length === 1 ? 'y is' : 'ies are'} not used by this shard's projects (health-data-lint merge reports those no shard uses).`);
  } else {
    for (const entry of stale) lines.push(`warning: ${entry.message}`);
  }
  if (options.outputFile !== undefined) {
    lines.push(
      `${counts.errors} error(s), ${counts.warnings} warning(s), ${counts.information} information, ` +
        `${counts.suppressed} suppressed: report written to ${options.outputFile}`,
    );
  }
  if (lines.length > 0) io.stderr.write(`${lines.join('\n')}\n`);
}

/** What --shard analysed, and why --jobs could not spread the work when it could not. */
function scaleOutMessages(options: CliOptions, scaled: ScaleOutReport | undefined): string[] {
  if (!scaled) return [];
  const messages: string[] = [];
  const projects = (count: number) => `${count} tsconfig project${count === 1 ? '' : 's'}`;
  if (options.shard) {
    const files = scaled.selected.reduce((sum, share) => sum + share.files.length, 0);
    const names = scaled.selected.map((share) => share.name);
    messages.push(
      `Shard ${options.shard.index}/${options.shard.count}: ${projects(scaled.selected.length)} of ${scaled.projects.length} (${files} file${files === 1 ? '' : 's'})` +
        (names.length > 0 ? `: ${names.slice(0, 5).join(', ')}${names.length > 5 ? `, and ${names.length - 5} more` : ''}.` : '; nothing to analyse in this shard.'),
    );
  }
  if ((options.jobs ?? 1) !== 1 && scaled.workers <= 1 && scaled.selected.length <= 1) {
    messages.push(`--jobs: ${projects(scaled.selected.length)} to analyse, so one thread did it (--jobs runs whole tsconfig projects in parallel).`);
  }
  return messages;
}

/** The report date only when the build asks for one (SOURCE_DATE_EPOCH, reproducible builds): the default output is byte-stable. */
function generatedAt(env: CliIo['env']): { generatedAt?: string } {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || !/^\d+$/.test(epoch)) return {};
  return { generatedAt: `${new Date(Number(epoch) * 1000).toISOString().replace('.000Z', 'Z')}` };
}

function wantsColor(options: CliOptions, io: CliIo): boolean {
  if (options.outputFile !== undefined) return false;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined) return io.env.FORCE_COLOR !== '0';
  return io.stdout.isTTY === true;
}

/** The directory a scan starts from: the path itself, or the folder of a file. */
function startDirectory(path: string): string {
  return statSync(path).isDirectory() ? path : dirname(path);
}

function fail(io: CliIo, message: string): number {
  io.stderr.write(`health-data-lint: ${message}\n`);
  return EXIT_USAGE;
}
