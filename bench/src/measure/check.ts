// Compares what a tool reported with the generator's planted flows: a bench run counts only when they are
// exactly equal (same rule, file and line), so speed is never bought with missed findings.
import { relative, sep } from 'node:path';
import type { PlantedFlow } from '../generator/source-writer';

export interface ReportedFinding {
  ruleId: string;
  /** Absolute path. */
  file: string;
  /** 1-based. */
  line: number;
}

export interface FlowCheck {
  exact: boolean;
  expected: number;
  reported: number;
  missing: PlantedFlow[];
  extra: (ReportedFinding & { file: string })[];
  /** Missed flows counted by the template that planted them: names the engine gap. */
  missingByPattern: Record<string, number>;
}

export function checkFindings(project: string, planted: readonly PlantedFlow[], reported: readonly ReportedFinding[]): FlowCheck {
  const keyOf = (ruleId: string, file: string, line: number) => `${ruleId}\0${file}\0${line}`;
  const reportedRelative = reported.map((f) => ({ ...f, file: relative(project, f.file).split(sep).join('/') }));
  const reportedKeys = new Set(reportedRelative.map((f) => keyOf(f.ruleId, f.file, f.line)));
  const plantedKeys = new Set(planted.map((p) => keyOf(p.ruleId, p.file, p.line)));
  const missing = planted.filter((p) => !reportedKeys.has(keyOf(p.ruleId, p.file, p.line)));
  const extra = reportedRelative.filter((f) => !plantedKeys.has(keyOf(f.ruleId, f.file, f.line)));
  const missingByPattern: Record<string, number> = {};
  for (const m of missing) missingByPattern[`${m.ruleId}/${m.pattern}`] = (missingByPattern[`${m.ruleId}/${m.pattern}`] ?? 0) + 1;
  return {
    exact: missing.length === 0 && extra.length === 0 && reported.length === planted.length,
    expected: planted.length,
    reported: reported.length,
    missing,
    extra,
    missingByPattern,
  };
}

export function describeCheck(what: string, check: FlowCheck): string {
  if (check.exact) return `${what}: exactly the ${check.expected} planted flows`;
  const lines = [`${what}: ${check.reported} findings for ${check.expected} planted flows (${check.missing.length} missing, ${check.extra.length} extra)`];
  for (const [pattern, count] of Object.entries(check.missingByPattern)) lines.push(`  missed ${count} × ${pattern}`);
  for (const m of check.missing.slice(0, 10)) lines.push(`  missing ${m.ruleId} at ${m.file}:${m.line} (${m.pattern})`);
  for (const e of check.extra.slice(0, 10)) lines.push(`  extra ${e.ruleId} at ${e.file}:${e.line}`);
  return lines.join('\n');
}
