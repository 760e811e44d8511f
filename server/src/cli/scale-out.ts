// --jobs and --shard: one scan split into its tsconfig projects, run on worker threads or limited to one shard, and
// merged back into the result one scan of the same projects gives (so the report does not depend on --jobs).
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { DiskStore, type ScanOptions } from '../engine';
import { mergeProjectResults, type MergedResults, type ProjectResult } from '../engine/merge-results';
import type { AnalysisResult } from '../engine/model';
import { selectShard, splitIntoProjects, type ProjectShare, type ShardSpec } from '../engine/program/project-split';
import { discoverProjects, type DiscoveredProjects } from '../engine/program/projects';
import { findRepositoryRoot } from '../engine/report';
import { runScanTasks, type TaskOutcome } from './scan-pool';
import { scanOptionsOf, type ScanTask, type ScanTaskOptions } from './scan-worker';

export interface ScaleOutOptions {
  /** Worker threads: a number, or 'auto' for one per CPU; never more than there are projects. */
  jobs: number | 'auto';
  shard?: ShardSpec;
  /** The worker's script (the CLI bundle); without one the projects run one after the other on this thread. */
  workerScript?: string;
  log?: (text: string) => void;
}

/** What the last scan did, for the summary on stderr. */
export interface ScaleOutReport {
  /** Every project found (all shards). */
  projects: ProjectShare[];
  /** The projects this run analysed (this shard's, or all). */
  selected: ProjectShare[];
  /** Worker threads used (0: this thread). */
  workers: number;
  /** Project by project results merged, with where each finding came from (for the shard's SARIF). */
  merged?: MergedResults;
}

export type ScanFunction = (options: ScanOptions) => AnalysisResult | Promise<AnalysisResult>;

export function resolveJobs(jobs: number | 'auto'): number {
  return jobs === 'auto' || jobs === 0 ? Math.max(1, availableParallelism()) : jobs;
}

/**
 * A scan function that splits the work; `scan` analyses in this thread (a project alone, or everything when neither
 * --jobs nor --shard has anything to split). `report` describes the last call.
 */
export function createScaledScan(scale: ScaleOutOptions, scan: ScanFunction): { scan: ScanFunction; report: () => ScaleOutReport | undefined } {
  let report: ScaleOutReport | undefined;
  const jobs = resolveJobs(scale.jobs);
  const scaledScan = async (options: ScanOptions): Promise<AnalysisResult> => {
    report = undefined;
    if (jobs <= 1 && !scale.shard) return scan(options);
    const discovered = options.discovered ?? discoverProjects(options.paths, options.projects, options.config.ignore);
    const root = discovered.roots[0] ?? process.cwd();
    const projects = splitIntoProjects(discovered, findRepositoryRoot(root));
    const selected = scale.shard ? selectShard(projects, scale.shard) : projects;
    const workers = scale.workerScript && selected.length > 1 ? Math.min(jobs, selected.length) : 0;
    report = { projects, selected, workers };
    // Nothing to split: one scan, as without the options (the discovery is handed over, not done twice).
    if (!scale.shard && (selected.length <= 1 || workers <= 1)) return scan({ ...options, discovered });
    // A shard without a project is an empty result, with the register's entries as every other scan sees them.
    if (selected.length === 0) return scan({ ...options, discovered: { projects: [], roots: discovered.roots } });

    const total = selected.reduce((sum, share) => sum + share.project.rootNames.length, 0);
    let done = 0;
    const onFile = (file: string | undefined) => options.onProgress?.({ done: ++done, total, ...(file !== undefined && { file }) });
    const taskOf = (share: ProjectShare): ScanTask => ({ id: share.index, options: taskOptions(options, share, discovered) });
    const parts: ProjectResult[] = [];
    if (workers > 1) {
      // Largest first, so that a big project does not start last and keep one worker busy alone at the end.
      const ordered = [...selected].sort((a, b) => b.files.length - a.files.length || a.index - b.index);
      const outcomes = await runScanTasks(ordered.map(taskOf), { jobs: workers, workerScript: scale.workerScript!, onFile, log: scale.log });
      for (const share of selected) parts.push({ project: share.index, result: resultOf(outcomes.get(share.index), share, root) });
    } else {
      for (const share of selected) {
        let outcome: TaskOutcome;
        try {
          outcome = { ok: true, result: await scan({ ...scanOptionsOf(taskOf(share).options), onProgress: ({ file }) => onFile(file) }) };
        } catch (error) {
          outcome = { ok: false, message: error instanceof Error ? error.message : String(error) };
        }
        parts.push({ project: share.index, result: resultOf(outcome, share, root) });
      }
    }
    report.merged = mergeProjectResults(parts, options, root);
    return report.merged.result;
  };
  return { scan: scaledScan, report: () => report };
}

/** One project alone: no paths (the schema files are read once, by the merge), the files earlier projects claim left out. */
function taskOptions(options: ScanOptions, share: ProjectShare, discovered: DiscoveredProjects): ScanTaskOptions {
  return {
    paths: [],
    config: options.config,
    ...(options.configDirectory !== undefined && { configDirectory: options.configDirectory }),
    discovered: { projects: [share.project], roots: discovered.roots },
    excludeFiles: share.excludeFiles,
    ...(options.cache instanceof DiskStore && { cacheDirectory: options.cache.directory }),
  };
}

/** A project that failed is reported, not dropped silently: a notice, and its files as not analysed. */
function resultOf(outcome: TaskOutcome | undefined, share: ProjectShare, root: string): AnalysisResult {
  if (outcome?.ok) return outcome.result;
  const reason = outcome?.message ?? 'no result came back';
  const configFile = share.project.configFile;
  return {
    findings: [],
    skipped: share.files.map((file) => ({ file, reason: 'internal-error', message: `skipped: the analysis of its project ${share.name} failed (${reason})` })),
    projects: [{ ...(configFile !== undefined && { configFile }), root: configFile ? path.dirname(configFile) : root, files: 0, typesMissing: false }],
    notices: [`The project ${share.name} could not be analysed (${reason}): its ${share.files.length} files are not in this report; the other projects' findings are.`],
    flows: [],
    fields: [],
    // Unknown use of the register: no entry is called stale on its account.
    staleRegisterEntries: [],
  };
}
