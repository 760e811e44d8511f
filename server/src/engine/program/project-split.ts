// Splits a scan into its tsconfig projects for --jobs and --shard: whole projects only (a cross-file flow never leaves
// its program), each with the files an earlier project already claims, and shards balanced the same way on every machine.
import * as path from 'node:path';
import type { ParsedProject } from './compiler';
import type { DiscoveredProjects } from './projects';

/** One project of a scan, ready to be analysed on its own (in a worker, or in another CI job). */
export interface ProjectShare {
  /** Position in discovery order: results are merged in this order, whatever ran them. */
  index: number;
  project: ParsedProject;
  /**
   * The config file relative to the repository root (posix), or `<folder>/*` for the files outside every config:
   * the same on every checkout, so every CI machine computes the same shards.
   */
  name: string;
  /**
   * Its source files that an earlier project also lists: one scan analyses a shared file in the first project that
   * claims it and skips it in the others (`ScanOptions.excludeFiles` keeps that when the projects run apart).
   */
  excludeFiles: string[];
  /** The source files it analyses (the others); their number is its weight when shards are balanced. */
  files: string[];
}

/** `--shard 2/4`: the 2nd of 4 shards (1-based, as CI matrices count). */
export interface ShardSpec {
  index: number;
  count: number;
}

export function splitIntoProjects(discovered: DiscoveredProjects, repositoryRoot: string): ProjectShare[] {
  const claimed = new Set<string>();
  return discovered.projects.map((project, index) => {
    const files = [...new Set(project.rootNames.filter(isAnalysedSource).map((file) => path.normalize(file)))];
    const excludeFiles = files.filter((file) => claimed.has(file));
    const own = files.filter((file) => !claimed.has(file));
    for (const file of own) claimed.add(file);
    return { index, project, name: projectName(project, discovered, repositoryRoot), excludeFiles, files: own };
  });
}

/**
 * The projects of one shard, in discovery order. Greedy by size (largest first onto the lightest shard) over projects
 * ordered by name, so the split depends only on the repository's content; ties go to the lower shard number.
 */
export function selectShard(shares: readonly ProjectShare[], shard: ShardSpec): ProjectShare[] {
  const load = new Array<number>(shard.count).fill(0);
  const owner = new Map<ProjectShare, number>();
  const bySize = [...shares].sort((a, b) => b.files.length - a.files.length || compareText(a.name, b.name) || a.index - b.index);
  for (const share of bySize) {
    let lightest = 0;
    for (let candidate = 1; candidate < shard.count; candidate++) if (load[candidate] < load[lightest]) lightest = candidate;
    owner.set(share, lightest);
    load[lightest] += share.files.length;
  }
  return shares.filter((share) => owner.get(share) === shard.index - 1);
}

/** Files the analysis reads as a project's own sources (what `isProjectSourceFile` keeps): not declarations, not dependencies. */
function isAnalysedSource(file: string): boolean {
  return !/\.d\.[cm]?ts$/.test(file) && !/[\\/]node_modules[\\/]/.test(file);
}

function projectName(project: ParsedProject, discovered: DiscoveredProjects, repositoryRoot: string): string {
  const relative = (file: string) => path.relative(repositoryRoot, file).split(path.sep).join('/') || '.';
  if (project.configFile) return relative(project.configFile);
  return `${relative(discovered.roots[0] ?? repositoryRoot)}/*`;
}

/** Code-unit order, not the locale's: the split must not depend on the machine's language settings. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
