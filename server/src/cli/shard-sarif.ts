// The SARIF of one `--shard`: the usual log, marked as shard i of n, with the project behind each result and
// notification, so that `health-data-lint merge` can rebuild exactly what one unsharded scan writes.
import type * as Sarif from 'sarif';
import type { MergedResults } from '../engine/merge-results';
import type { AnalysisResult, Finding } from '../engine/model';
import type { ProjectShare, ShardSpec } from '../engine/program/project-split';
import { buildSarifLog, sortFindings, type SarifOptions } from '../engine/report';
import { PROJECT_PROPERTY, SHARD_PROPERTY, type ShardProperty } from './sarif-shard';

export function formatShardSarif(
  result: AnalysisResult,
  options: SarifOptions,
  shard: ShardSpec,
  selected: readonly ProjectShare[],
  merged: MergedResults | undefined,
): string {
  const log = buildSarifLog(result, options);
  const run = log.runs[0];
  const property: ShardProperty = { index: shard.index, count: shard.count, projects: selected.map((share) => share.name) };
  run.properties = { ...run.properties, [SHARD_PROPERTY]: property };
  if (merged) annotateProjects(run, result, merged);
  return `${JSON.stringify(log, null, 2)}\n`;
}

/**
 * Results follow `sortFindings` and notifications start with the skipped files then the projects without types (as
 * buildSarifLog writes them); each is checked before it is annotated, and nothing is annotated if the shapes differ.
 */
function annotateProjects(run: Sarif.Run, result: AnalysisResult, merged: MergedResults): void {
  const findingKey = (f: Finding) => `${f.ruleId}\n${f.location.file}\n${f.location.line}:${f.location.column}`;
  const projectOfFinding = new Map<string, number>();
  for (const [finding, project] of merged.findingProjects) projectOfFinding.set(findingKey(finding), project);
  const sorted = sortFindings(result.findings);
  const results = run.results ?? [];
  const matches = sorted.every((finding, i) => results[i]?.ruleId === finding.ruleId && results[i]?.locations?.[0]?.physicalLocation?.region?.startLine === finding.location.line);
  if (matches) {
    sorted.forEach((finding, i) => {
      const project = projectOfFinding.get(findingKey(finding));
      if (project !== undefined) results[i].properties = { ...results[i].properties, [PROJECT_PROPERTY]: project };
    });
  }

  const notifications = run.invocations?.[0]?.toolExecutionNotifications ?? [];
  const typesMissing = result.projects.flatMap((project, i) => (project.typesMissing ? [merged.projectIndexes[i]] : []));
  const expected = [
    ...result.skipped.map((_, i) => ({ id: 'analysis-skipped', project: merged.skippedProjects[i] })),
    ...typesMissing.map((project) => ({ id: 'types-missing', project })),
  ];
  if (merged.skippedProjects.length !== result.skipped.length || !expected.every(({ id }, i) => notifications[i]?.descriptor?.id === id)) return;
  expected.forEach(({ project }, i) => {
    if (project !== undefined) notifications[i].properties = { ...notifications[i].properties, [PROJECT_PROPERTY]: project };
  });
}
