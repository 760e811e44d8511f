// A full garbage collection on demand, and the policies that decide when one pays: the language server's worker
// collects what its analyses leave behind, and the CLI a project's Program once its analysis is over (see
// `ScanOptions.releaseMemory`).
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import type { ReleaseMoment } from './index';

let collector: ((options?: { type: 'major' | 'minor' }) => void) | null | undefined;

/**
 * A full garbage collection of this thread's heap, or false when the runtime offers none. Node has no API for it:
 * `gc` is only exposed with `--expose-gc`, which an editor does not pass, so the flag is set at run time and the
 * function taken from a fresh context (what Jest's leak detector does). V8 flags are process-wide, but this one only
 * adds a `gc` global to contexts created later; the server creates none.
 */
export function collectGarbage(): boolean {
  const collect = garbageCollector();
  if (!collect) return false;
  collect();
  return true;
}

/**
 * A collection of this thread's young generation only (a scavenge: it copies what is live there, so it costs in
 * proportion to that, not to the heap), or false when the runtime offers none. See `collectGarbage`.
 */
export function collectYoungGeneration(): boolean {
  const collect = garbageCollector();
  if (!collect) return false;
  collect({ type: 'minor' });
  return true;
}

function garbageCollector(): typeof collector {
  if (collector === undefined) {
    const exposed = (globalThis as { gc?: typeof collector }).gc;
    try {
      if (!exposed) v8.setFlagsFromString('--expose-gc');
      collector = exposed ?? (vm.runInNewContext('gc') as typeof collector);
    } catch {
      collector = null;
    }
  }
  return collector;
}

const YOUNG_SPACES = new Set(['new_space', 'new_large_object_space']);

/** Bytes in use in this thread's old generation (old, code and large-object spaces): where garbage piles up. */
export function oldGenerationBytes(): number {
  let bytes = 0;
  for (const space of v8.getHeapSpaceStatistics()) if (!YOUNG_SPACES.has(space.space_name)) bytes += space.space_used_size;
  return bytes;
}

export interface GrowthPolicyOptions {
  /** Growth of the old generation, past what the last collection left, below which nothing is collected... */
  minGrowthBytes: number;
  /** ... and the fraction of what it left, if that is more (a full collection costs time in proportion to it). */
  growthRatio: number;
  /** What the last collection left, before any: undefined makes the first `consider` collect. */
  baselineBytes?: number;
  measure?: () => number;
  collect?: () => boolean;
}

/**
 * Collects this thread's garbage only when the old generation grew enough since the last collection to pay for one:
 * a full collection marks everything live (the libraries' parsed declarations, the results so far), so asking for one
 * after a project that left little garbage costs time and saves no memory.
 */
export class GrowthCollectionPolicy {
  private baselineBytes: number | undefined;
  private done = 0;
  private readonly measure: () => number;
  private readonly collect: () => boolean;

  constructor(private readonly options: GrowthPolicyOptions) {
    this.baselineBytes = options.baselineBytes;
    this.measure = options.measure ?? oldGenerationBytes;
    this.collect = options.collect ?? collectGarbage;
  }

  /** Full collections this policy ran (not counting V8's own). */
  get collections(): number {
    return this.done;
  }

  /** Collects now, whatever the growth; whether the runtime could. */
  collectNow(): boolean {
    if (!this.collect()) return false;
    this.done++;
    this.baselineBytes = this.measure();
    return true;
  }

  /** Collects now if the old generation grew enough; whether it did. */
  consider(): boolean {
    if (this.growth() === 'none') return false;
    if (this.collectNow()) return true;
    // No collection to be had: the heap as it is becomes the reference.
    this.baselineBytes = this.measure();
    return false;
  }

  /**
   * How much the old generation grew since the last collection: not enough to pay for one, enough (`due`), or twice
   * that (`overdue`). Before any collection, `overdue`.
   */
  growth(): 'none' | 'due' | 'overdue' {
    const used = this.measure();
    // V8 collected by itself since: what it left is the new reference.
    if (this.baselineBytes !== undefined && used < this.baselineBytes) this.baselineBytes = used;
    if (this.baselineBytes === undefined) return 'overdue';
    const threshold = Math.max(this.options.minGrowthBytes, this.baselineBytes * this.options.growthRatio);
    const grown = used - this.baselineBytes;
    return grown <= threshold ? 'none' : grown <= 2 * threshold ? 'due' : 'overdue';
  }
}

const MIB = 1024 * 1024;

/**
 * The CLI's `releaseMemory` over `policy`. After a project's flow stages: a collection when the policy finds the old
 * generation grew enough. After the whole project: a collection when the first one collected, for its Program is
 * garbage now, and growth cannot show that.
 */
export function scanMemoryReleaser(policy: GrowthCollectionPolicy): (moment: ReleaseMoment) => void {
  let collectedAfterFlows = false;
  return (moment) => {
    if (moment === 'flows') collectedAfterFlows = policy.consider();
    else if (collectedAfterFlows) policy.collectNow();
  };
}

let scanReleaser: ((moment: ReleaseMoment) => void) | undefined;

/**
 * The CLI's `releaseMemory`, per thread (its own and each --jobs worker's): a collection after a project's flow stages
 * when the old generation grew by 32 MiB, or a quarter of what the last collection left, and after the project when
 * that one collected (`scanMemoryReleaser`). At 200k lines in one project both collect (hundreds of megabytes each).
 * A repository of 282 small tsconfig projects collected 564 times, one at each call, and took 117 s for a peak of
 * 489 MB; it collects 34 times now, and takes 33 s for 491 MB.
 */
export function releaseScanMemory(moment: ReleaseMoment): void {
  scanReleaser ??= scanMemoryReleaser(new GrowthCollectionPolicy({ minGrowthBytes: 32 * MIB, growthRatio: 0.25, baselineBytes: 0 }));
  scanReleaser(moment);
}
