// The heap of the current thread (main or analysis worker): its figures, a full collection on demand, and the
// analysis worker's policy of collecting the garbage its analyses leave behind.
//
// Why the worker collects: every analysis builds a new Program and type checker. They live for the whole
// analysis, so V8 promotes them to the old generation, where they are garbage once the next analysis replaces them.
// In the soak test V8 ran no full collection of the worker's old generation until it reached 175 MiB, 3.6 times the
// live heap: over 5,000 edits it grew ~0.43 MiB per analysis and the server's VmRSS went from 245 to 386 MiB.
// Nothing was retained (after a full collection the worker's heap stayed at ~50 MiB). With this policy the worker
// collected twice in 500 analyses, V8's own collections did the rest, and VmRSS stayed under 272 MiB:
// docs/performance.md, "Memory over a session".
import * as v8 from 'node:v8';
import { collectGarbage, oldGenerationBytes, type GrowthPolicyOptions } from '../engine/heap';

export { collectGarbage };

export interface HeapFigures {
  /** Bytes in use on this thread's heap (live objects and garbage not yet collected). */
  heapUsedBytes: number;
  /** The part in the old generation (old, code and large-object spaces): where an analysis' garbage piles up. */
  oldGenerationBytes: number;
  /** Full collections this thread ran by its own policy (not counting V8's own). */
  collections: number;
}

export function heapFigures(collections = 0): HeapFigures {
  return { heapUsedBytes: v8.getHeapStatistics().used_heap_size, oldGenerationBytes: oldGenerationBytes(), collections };
}

/**
 * When the worker collects its garbage, asked after each analysis (`GrowthCollectionPolicy.growth`): after the first
 * analysis (which leaves the most), then once the old generation grew past the heap left by the last collection by
 * 8 MiB or a quarter, whichever is more, when the worker has had no request for a second; at once past twice that
 * (analysis-worker.ts). Either way after the response is posted, so it never delays those diagnostics.
 */
export const WORKER_COLLECTION: GrowthPolicyOptions = { minGrowthBytes: 8 * 1024 * 1024, growthRatio: 0.25 };
