// What a `--shard` run adds to its SARIF for `health-data-lint merge`: which shard of how many, and which project
// produced each result and notification (property names and their reading).
import type * as Sarif from 'sarif';

/** run.properties of a `--shard` run: which shard, and of how many (the merge checks that none is missing). */
export const SHARD_PROPERTY = 'healthDataLint.shard';
/**
 * properties of a shard's results and notifications: the position of the project that produced them in discovery
 * order. When two projects report the same sink (a file shared by tsconfigs), one scan keeps the first project's.
 */
export const PROJECT_PROPERTY = 'healthDataLint.project';

export interface ShardProperty {
  index: number;
  count: number;
  projects: string[];
}

export function shardOf(run: Sarif.Run): ShardProperty | undefined {
  const value = run.properties?.[SHARD_PROPERTY];
  return isShardProperty(value) ? value : undefined;
}

export function isShardProperty(value: unknown): value is ShardProperty {
  return (
    isObject(value) &&
    Number.isInteger(value.index) &&
    Number.isInteger(value.count) &&
    (value.index as number) >= 1 &&
    (value.index as number) <= (value.count as number) &&
    Array.isArray(value.projects)
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
