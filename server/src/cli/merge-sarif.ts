// `health-data-lint merge`: SARIF logs (the shards of a CI matrix, or any SARIF 2.1.0) combined into one log with one
// run per tool. For the shards of one scan it rebuilds, byte for byte, the SARIF the unsharded scan writes.
import { fileURLToPath } from 'node:url';
import type * as Sarif from 'sarif';
import { TOOL_NAME } from '../engine/report/tool';
import { ArtifactTable, artifactKey, resolveArtifactLocation } from './sarif-artifacts';
import { SarifMergeError } from './sarif-check';
import { PROJECT_PROPERTY, SHARD_PROPERTY, shardOf, type ShardProperty } from './sarif-shard';

export interface SarifInput {
  /** The file as the user named it (for messages). */
  name: string;
  log: Sarif.Log;
}

export interface MergeOutcome {
  log: Sarif.Log;
  /** Things worth saying on stderr that do not stop the merge. */
  warnings: string[];
}

export function mergeSarifLogs(inputs: readonly SarifInput[]): MergeOutcome {
  if (inputs.length === 0) throw new SarifMergeError('merge needs at least one SARIF file');
  const warnings: string[] = [];
  const groups = new Map<string, SourceRun[]>();
  for (const input of inputs) {
    for (const run of input.log.runs) {
      const name = run.tool.driver.name;
      let group = groups.get(name);
      if (!group) groups.set(name, (group = []));
      group.push({ input: input.name, run, shard: shardOf(run) });
    }
  }
  const runs = [...groups.values()].map((group) => mergeRuns(group, warnings));
  const first = inputs[0].log;
  return { log: { ...first, runs }, warnings };
}

interface SourceRun {
  input: string;
  run: Sarif.Run;
  shard?: ShardProperty;
}

/** One result with where it came from: its artifact indexes point into its own run's table until re-indexed. */
interface Collected {
  result: Sarif.Result;
  source: SourceRun;
  project: number;
}

function mergeRuns(unordered: SourceRun[], warnings: string[]): Sarif.Run {
  // Shards in shard order whatever the order of the files on the command line; other runs keep theirs, after them.
  const group = [...unordered].sort((a, b) => (a.shard?.index ?? Number.MAX_SAFE_INTEGER) - (b.shard?.index ?? Number.MAX_SAFE_INTEGER));
  const toolName = group[0].run.tool.driver.name;
  checkShards(toolName, group);
  const versions = [...new Set(group.map(({ run }) => run.tool.driver.version ?? run.tool.driver.semanticVersion ?? ''))];
  if (versions.length > 1) {
    throw new SarifMergeError(`${toolName} runs of different versions (${versions.join(', ')}) cannot be merged: their rules and fingerprints differ`);
  }
  const isOurs = toolName === TOOL_NAME;

  const rules = mergeRules(group);
  const baseIds: Record<string, Sarif.ArtifactLocation> = {};
  for (const { run } of group) for (const [id, location] of Object.entries(run.originalUriBaseIds ?? {})) if (!(id in baseIds)) baseIds[id] = location;

  // Results: one per rule and place (and fingerprint, for other tools); a baseline entry is absent only if every run says so.
  const located = new Map<string, Collected>();
  const absent = new Map<string, { collected: Collected; runs: Set<Sarif.Run> }>();
  const unlocated: Collected[] = [];
  for (const source of group) {
    for (const original of source.run.results ?? []) {
      const result = withRule(clone(original), source.run, rules);
      const project = takeProject(result.properties, result);
      const collected: Collected = { result, source, project };
      if (result.baselineState === 'absent') {
        const key = `${result.ruleId}\n${JSON.stringify(sortedObject(result.partialFingerprints ?? {}))}\n${result.message.text ?? ''}`;
        const entry = absent.get(key) ?? { collected, runs: new Set<Sarif.Run>() };
        entry.runs.add(source.run);
        absent.set(key, entry);
        continue;
      }
      const place = primaryPlace(result, source.run);
      if (place === undefined) {
        unlocated.push(collected);
        continue;
      }
      const key = isOurs
        ? `${result.ruleId}\n${place.key}\n${place.startLine}:${place.startColumn}`
        : `${result.ruleId}\n${place.key}\n${JSON.stringify(place.region)}\n${JSON.stringify(sortedObject(result.partialFingerprints ?? {}))}`;
      const kept = located.get(key);
      // The same sink from two projects: the one a single scan keeps, the project first in discovery order.
      if (!kept || project < kept.project) located.set(key, collected);
    }
  }
  const sortKeys = new Map<Collected, { path: string; line: number; column: number }>();
  for (const collected of located.values()) {
    const place = primaryPlace(collected.result, collected.source.run)!;
    sortKeys.set(collected, { path: absolutePath(place.uri, place.uriBaseId, baseIds), line: place.startLine, column: place.startColumn });
  }
  const results = [...located.values()].sort((a, b) => {
    const x = sortKeys.get(a)!;
    const y = sortKeys.get(b)!;
    return (
      x.path.localeCompare(y.path) ||
      x.line - y.line ||
      x.column - y.column ||
      (a.result.ruleId ?? '').localeCompare(b.result.ruleId ?? '') ||
      (a.result.message.text ?? '').localeCompare(b.result.message.text ?? '')
    );
  });
  results.push(...unlocated);
  for (const { collected, runs } of absent.values()) if (runs.size === group.length) results.push(collected);

  const invocations = mergeInvocations(group, isOurs);
  // Artifacts are numbered in the order the SARIF writer meets them: results (their paths first), then notifications.
  const artifacts = new ArtifactTable();
  const mergedResults = results.map(({ result, source }) => {
    for (const key of ['codeFlows', 'relatedLocations', 'locations', 'suppressions'] as const) artifacts.visit(result[key], source.run);
    artifacts.visit(result, source.run);
    return result;
  });
  for (const { notification, source } of invocations.notifications) artifacts.visit(notification, source.run);
  // Our runs list only the files they point at; another tool's may list every file it read.
  if (!isOurs) for (const { run } of group) for (const [index, artifact] of (run.artifacts ?? []).entries()) artifacts.keep(artifact, index);

  const first = group[0].run;
  const merged: Sarif.Run = { ...first, tool: { ...first.tool, driver: { ...first.tool.driver, ...(rules.list.length > 0 && { rules: rules.list }) } } };
  const automationIds = [...new Set(group.map(({ run }) => run.automationDetails?.id).filter((id) => id !== undefined))];
  if (automationIds.length > 1) warnings.push(`${toolName}: the runs have different automationDetails ids (${automationIds.join(', ')}); the merged run keeps ${automationIds[0]}`);
  if (Object.keys(baseIds).length > 0) merged.originalUriBaseIds = baseIds;
  if (first.invocations !== undefined || invocations.invocation !== undefined) merged.invocations = invocations.invocation ? [invocations.invocation] : [];
  merged.results = mergedResults;
  if (first.artifacts !== undefined || artifacts.list.length > 0) merged.artifacts = artifacts.list;
  // The merged run is the whole scan: it is no shard any more.
  if (merged.properties) {
    const { [SHARD_PROPERTY]: _shard, ...properties } = merged.properties;
    if (Object.keys(properties).length > 0) merged.properties = properties;
    else delete merged.properties;
  }
  return merged;
}

function checkShards(toolName: string, group: readonly SourceRun[]): void {
  const shards = group.filter((source): source is SourceRun & { shard: ShardProperty } => source.shard !== undefined);
  if (shards.length === 0) return;
  const counts = [...new Set(shards.map(({ shard }) => shard.count))];
  if (counts.length > 1) {
    throw new SarifMergeError(`${toolName}: the shards come from different splits (${shards.map(({ input, shard }) => `${input} is ${shard.index}/${shard.count}`).join(', ')})`);
  }
  const count = counts[0];
  const seen = new Map<number, string>();
  for (const { input, shard } of shards) {
    const earlier = seen.get(shard.index);
    if (earlier !== undefined) throw new SarifMergeError(`${toolName}: shard ${shard.index}/${count} is given twice (${earlier}, ${input})`);
    seen.set(shard.index, input);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((index) => !seen.has(index));
  if (missing.length > 0) {
    throw new SarifMergeError(
      `${toolName}: shard${missing.length > 1 ? 's' : ''} ${missing.map((index) => `${index}/${count}`).join(', ')} missing: ` +
        'merge the SARIF of every shard (a partial merge would hide the findings of the missing ones)',
    );
  }
}

/** The first run's rules, then rules only later runs know; result.ruleIndex follows. */
function mergeRules(group: readonly SourceRun[]): { list: Sarif.ReportingDescriptor[]; indexOf: Map<string, number> } {
  const list: Sarif.ReportingDescriptor[] = [];
  const indexOf = new Map<string, number>();
  for (const { run } of group) {
    for (const rule of run.tool.driver.rules ?? []) {
      if (indexOf.has(rule.id)) continue;
      indexOf.set(rule.id, list.length);
      list.push(rule);
    }
  }
  return { list, indexOf };
}

function withRule(result: Sarif.Result, run: Sarif.Run, rules: ReturnType<typeof mergeRules>): Sarif.Result {
  const ruleId = result.ruleId ?? result.rule?.id ?? (result.ruleIndex !== undefined ? run.tool.driver.rules?.[result.ruleIndex]?.id : undefined);
  if (ruleId !== undefined && result.ruleIndex !== undefined) {
    const index = rules.indexOf.get(ruleId);
    if (index !== undefined) result.ruleIndex = index;
  }
  return result;
}

interface Place {
  key: string;
  uri: string;
  uriBaseId?: string;
  startLine: number;
  startColumn: number;
  region: Sarif.Region | undefined;
}

function primaryPlace(result: Sarif.Result, run: Sarif.Run): Place | undefined {
  const physical = result.locations?.[0]?.physicalLocation;
  if (!physical?.artifactLocation) return undefined;
  const resolved = resolveArtifactLocation(physical.artifactLocation, run);
  if (!resolved) return undefined;
  return {
    key: artifactKey(resolved),
    uri: resolved.uri!,
    ...(resolved.uriBaseId !== undefined && { uriBaseId: resolved.uriBaseId }),
    startLine: physical.region?.startLine ?? 0,
    startColumn: physical.region?.startColumn ?? 0,
    region: physical.region,
  };
}

/** The file a URI names, as the SARIF writer sorted it (absolute paths), or the URI itself when it is no file. */
function absolutePath(uri: string, uriBaseId: string | undefined, baseIds: Record<string, Sarif.ArtifactLocation>): string {
  try {
    const base = uriBaseId !== undefined ? baseIds[uriBaseId]?.uri : undefined;
    const url = base !== undefined ? new URL(uri, base) : new URL(uri);
    return url.protocol === 'file:' ? fileURLToPath(url) : url.href;
  } catch {
    return uri;
  }
}

interface MergedInvocations {
  invocation?: Sarif.Invocation;
  /** The merged notifications with their run (their artifact indexes are that run's until re-indexed). */
  notifications: { notification: Sarif.Notification; source: SourceRun }[];
}

/**
 * One invocation: successful if every run's was. Our notifications in the order one scan writes them (files not
 * analysed and projects without types by project, notices once each, then register entries stale in every shard).
 */
function mergeInvocations(group: readonly SourceRun[], isOurs: boolean): MergedInvocations {
  const invocations = group.flatMap((source) => (source.run.invocations ?? []).map((invocation) => ({ invocation, source })));
  if (invocations.length === 0) return { notifications: [] };
  const all = invocations.flatMap(({ invocation, source }) =>
    (invocation.toolExecutionNotifications ?? []).map((original) => {
      const notification = clone(original);
      return { notification, source, project: takeProject(notification.properties, notification) };
    }),
  );
  let notifications: typeof all;
  if (isOurs) {
    const kind = (n: Sarif.Notification) => n.descriptor?.id;
    const byProject = (id: string) => all.filter(({ notification }) => kind(notification) === id).sort((a, b) => a.project - b.project);
    const notices = uniqueBy(all.filter(({ notification }) => kind(notification) === undefined), ({ notification }) => notification.message.text ?? '');
    const staleKey = (n: Sarif.Notification) => String(n.properties?.processingId ?? n.message.text);
    const stale = uniqueBy(all.filter(({ notification }) => kind(notification) === 'stale-register-entry'), ({ notification }) => staleKey(notification)).filter(
      ({ notification }) =>
        group.every(({ run }) => (run.invocations ?? []).some((i) => (i.toolExecutionNotifications ?? []).some((n) => kind(n) === 'stale-register-entry' && staleKey(n) === staleKey(notification)))),
    );
    const known = new Set<string | undefined>(['analysis-skipped', 'types-missing', undefined, 'stale-register-entry']);
    const others = uniqueBy(all.filter(({ notification }) => !known.has(kind(notification))), ({ notification }) => JSON.stringify(notification));
    notifications = [...byProject('analysis-skipped'), ...byProject('types-missing'), ...notices, ...stale, ...others];
  } else {
    notifications = uniqueBy(all, ({ notification }) => JSON.stringify(notification));
  }
  const configuration = uniqueBy(
    invocations.flatMap(({ invocation }) => invocation.toolConfigurationNotifications ?? []),
    (notification) => JSON.stringify(notification),
  );
  const invocation: Sarif.Invocation = { ...invocations[0].invocation };
  invocation.executionSuccessful = invocations.every(({ invocation }) => invocation.executionSuccessful);
  delete invocation.toolExecutionNotifications;
  delete invocation.toolConfigurationNotifications;
  if (configuration.length > 0) invocation.toolConfigurationNotifications = configuration;
  if (notifications.length > 0) invocation.toolExecutionNotifications = notifications.map(({ notification }) => notification);
  return { invocation, notifications };
}

/** Removes our project annotation from a property bag (dropping the bag if it held nothing else); returns its value. */
function takeProject(properties: Sarif.PropertyBag | undefined, owner?: { properties?: Sarif.PropertyBag }): number {
  const value = properties?.[PROJECT_PROPERTY];
  if (properties && PROJECT_PROPERTY in properties) {
    delete properties[PROJECT_PROPERTY];
    if (owner && Object.keys(properties).length === 0) delete owner.properties;
  }
  return typeof value === 'number' ? value : Number.MAX_SAFE_INTEGER;
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function sortedObject(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function clone<T>(value: T): T {
  return structuredClone(value);
}
