// When the CLI and the editor's worker ask for a full garbage collection (engine/heap.ts): only when one pays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { collectYoungGeneration, GrowthCollectionPolicy, scanMemoryReleaser } from '../server/src/engine/heap';

const MIB = 1024 * 1024;

/** A heap whose old generation is what the test says, and whose collections leave `live` bytes. */
function fakeHeap(live: number) {
  const heap = { used: live, live, collections: 0 };
  const measure = () => heap.used;
  const collect = () => {
    heap.collections++;
    heap.used = heap.live;
    return true;
  };
  return { heap, measure, collect };
}

test('a policy without a baseline collects at once, then only past the larger of its minimum growth and its ratio', () => {
  const { heap, measure, collect } = fakeHeap(100 * MIB);
  const policy = new GrowthCollectionPolicy({ minGrowthBytes: 8 * MIB, growthRatio: 0.25, measure, collect });
  assert.equal(policy.consider(), true, 'the first time');
  heap.used += 20 * MIB;
  assert.equal(policy.consider(), false, '20 MiB over 100 MiB left: under a quarter');
  heap.used += 10 * MIB;
  assert.equal(policy.consider(), true, '30 MiB over 100 MiB: past a quarter');
  assert.equal(policy.collections, 2);
  assert.equal(heap.used, 100 * MIB);
});

test('a policy follows what the runtime collected by itself', () => {
  const { heap, measure, collect } = fakeHeap(100 * MIB);
  const policy = new GrowthCollectionPolicy({ minGrowthBytes: 8 * MIB, growthRatio: 0.25, baselineBytes: 100 * MIB, measure, collect });
  heap.used = 40 * MIB; // V8 ran a full collection of its own; 40 MiB are live now
  heap.live = 40 * MIB;
  assert.equal(policy.consider(), false);
  heap.used = 52 * MIB;
  assert.equal(policy.consider(), true, '12 MiB over the 40 MiB V8 left: past the 8 MiB minimum and the quarter (10 MiB)');
});

test('a policy says when a collection is due and when it is overdue (twice the growth), without collecting', () => {
  const { heap, measure, collect } = fakeHeap(100 * MIB);
  const policy = new GrowthCollectionPolicy({ minGrowthBytes: 8 * MIB, growthRatio: 0.25, measure, collect });
  assert.equal(policy.growth(), 'overdue', 'before any collection');
  policy.collectNow();
  heap.used += 25 * MIB;
  assert.equal(policy.growth(), 'none', 'a quarter of the 100 MiB left, not past it');
  heap.used += 1 * MIB;
  assert.equal(policy.growth(), 'due');
  heap.used += 24 * MIB;
  assert.equal(policy.growth(), 'due', 'twice a quarter, not past it');
  heap.used += 1 * MIB;
  assert.equal(policy.growth(), 'overdue');
  assert.equal(policy.collections, 1, 'telling collects nothing');
  assert.equal(policy.consider(), true, 'due or overdue, considering collects');
  assert.equal(policy.growth(), 'none');
});

test('a runtime without a collector: the policy says so and measures from there', () => {
  let used = 100 * MIB;
  const policy = new GrowthCollectionPolicy({ minGrowthBytes: 8 * MIB, growthRatio: 0.25, measure: () => used, collect: () => false });
  assert.equal(policy.consider(), false);
  used += 20 * MIB;
  assert.equal(policy.consider(), false, 'not asked again for growth under the threshold');
  assert.equal(policy.collections, 0);
});

test('the CLI collects after a small project neither after its flow stages nor after its Program, and after a large one at both', () => {
  const { heap, measure, collect } = fakeHeap(0);
  const release = scanMemoryReleaser(new GrowthCollectionPolicy({ minGrowthBytes: 32 * MIB, growthRatio: 0.25, baselineBytes: 0, measure, collect }));
  // The first project parses the libraries: the heap grows by far more than the minimum.
  heap.used = 150 * MIB;
  heap.live = 120 * MIB;
  release('flows');
  heap.live = 60 * MIB; // its Program is garbage at its end
  release('program');
  assert.equal(heap.collections, 2);
  assert.equal(heap.used, 60 * MIB);
  // Ten small projects: a few megabytes each, garbage the runtime is left to collect.
  for (let i = 0; i < 10; i++) {
    heap.used += 2 * MIB;
    release('flows');
    release('program');
  }
  assert.equal(heap.collections, 2, 'twenty megabytes over sixty: under the 32 MiB minimum');
  // A large one: both collect, though at its end the heap did not grow (its Program became garbage).
  heap.used += 400 * MIB;
  heap.live = 300 * MIB;
  release('flows');
  heap.live = 62 * MIB;
  release('program');
  assert.equal(heap.collections, 4);
  assert.equal(heap.used, 62 * MIB);
});

test("the worker's collection between analyses is a scavenge of the young generation, not a full collection", async () => {
  const kinds: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) kinds.push((entry as unknown as { detail: { kind: number } }).detail.kind);
  });
  observer.observe({ entryTypes: ['gc'] });
  try {
    assert.equal(collectYoungGeneration(), true);
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    observer.disconnect();
  }
  assert.ok(kinds.includes(constants.NODE_PERFORMANCE_GC_MINOR), `collections seen: ${kinds.join(', ')}`);
  assert.ok(!kinds.includes(constants.NODE_PERFORMANCE_GC_MAJOR), `collections seen: ${kinds.join(', ')}`);
});
