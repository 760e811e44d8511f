// Merges the results of projects analysed apart (--jobs workers, --shard) into what one scan of them all returns:
// the same findings, flows, fields, register staleness and notices, in the same order.
import * as path from 'node:path';
import picomatch from 'picomatch';
import type { ScanOptions } from './index';
import { DEFAULT_SEVERITIES } from './config';
import type { AnalysisResult, Finding, RuleId, Severity, SkippedFile, StaleRegisterEntry } from './model';
import { compareFindings, compareFlows, dedupeFindings } from './scan';
import { applySuppressions, readFromDisk } from './suppress';
import { mergeHealthFields } from './fields/merge';
import { schemaFieldsUnder } from './fields/schemas';
import { exportedHealthFieldFindings } from './fields/field-findings';

/** The result of one project, scanned alone with `ScanOptions.discovered` (that project) and `excludeFiles`. */
export interface ProjectResult {
  /** The project's position in discovery order. */
  project: number;
  result: AnalysisResult;
}

export interface MergedResults {
  result: AnalysisResult;
  /** The project each kept finding came from (absent for findings computed over all of them: exported-health-field). */
  findingProjects: Map<Finding, number>;
  /** The project of each `result.skipped` entry, index for index. */
  skippedProjects: number[];
  /** The project of each `result.projects` entry, index for index. */
  projectIndexes: number[];
}

/**
 * `parts` must hold at least one project. `scan` is the options of the whole scan (paths, configuration) and `root` the
 * scan's root directory (`discoverProjects(...).roots[0]`), as `scan()` uses them for what spans projects.
 */
export function mergeProjectResults(parts: readonly ProjectResult[], scan: ScanOptions, root: string): MergedResults {
  if (parts.length === 0) throw new Error('mergeProjectResults needs at least one project result');
  const ordered = [...parts].sort((a, b) => a.project - b.project);
  const config = scan.config;
  const severities = { ...DEFAULT_SEVERITIES, ...(config.rules ?? {}) } as Record<RuleId, Severity>;

  const projectOf = new Map<Finding, number>();
  const findings: Finding[] = [];
  for (const { project, result } of ordered) {
    // A project's exported-health-field findings only saw its own routes: they are computed again over every project's.
    for (const finding of result.findings) {
      if (finding.ruleId === 'exported-health-field') continue;
      findings.push(finding);
      projectOf.set(finding, project);
    }
  }

  // Schema files beside the code are read once for the whole scan (the projects were scanned without paths).
  const ignore = config.ignore && config.ignore.length > 0 ? picomatch(config.ignore, { dot: true }) : undefined;
  const isIgnoredPath = (file: string) => !!ignore && ignore(path.relative(scan.configDirectory ?? root, file).split(path.sep).join('/'));
  const schemaFields = scan.projects && scan.projects.length > 0 ? [] : schemaFieldsUnder(scan.paths, config, isIgnoredPath);
  const fields = mergeHealthFields([...ordered.flatMap(({ result }) => result.fields ?? []), ...schemaFields]);
  const readSource = scan.readFile;
  const fieldFindings = applySuppressions(
    exportedHealthFieldFindings(fields, severities['exported-health-field'], root),
    readSource ? (file) => readSource(file) ?? readFromDisk(file) : undefined,
  );
  findings.push(...fieldFindings);

  const skipped: SkippedFile[] = [];
  const skippedProjects: number[] = [];
  for (const { project, result } of ordered) {
    for (const entry of result.skipped) {
      skipped.push(entry);
      skippedProjects.push(project);
    }
  }

  // The same sink reached from two projects: the first project's finding is kept, as in one scan.
  const kept = dedupeFindings(findings).sort(compareFindings);
  const findingProjects = new Map<Finding, number>();
  for (const finding of kept) {
    const project = projectOf.get(finding);
    if (project !== undefined) findingProjects.set(finding, project);
  }
  const result: AnalysisResult = {
    findings: kept,
    skipped,
    projects: ordered.flatMap(({ result }) => result.projects),
    notices: [...new Set(ordered.flatMap(({ result }) => result.notices))],
    flows: ordered.flatMap(({ result }) => result.flows ?? []).sort(compareFlows),
    fields,
  };
  const register = ordered.find(({ result }) => result.register)?.result.register;
  if (register) {
    result.register = register;
    result.staleRegisterEntries = staleEverywhere(ordered.map(({ result }) => result.staleRegisterEntries ?? []));
  }
  const projectIndexes = ordered.flatMap(({ project, result }) => result.projects.map(() => project));
  return { result, findingProjects, skippedProjects, projectIndexes };
}

/**
 * An entry is stale when no analysed code uses it: each project's list holds the entries that project does not use,
 * so the scan's list is what every project left unused (a project that could not be analysed leaves none).
 */
export function staleEverywhere(lists: readonly (readonly StaleRegisterEntry[])[]): StaleRegisterEntry[] {
  const [first = [], ...others] = lists;
  return first.filter((entry) => others.every((list) => list.some((other) => other.id === entry.id)));
}
