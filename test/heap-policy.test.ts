// When the CLI and the editor's worker ask for a full garbage collection (engine/heap.ts): only when one pays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { collectYoungGeneration, GrowthCollectionPolicy, SCAN_COLLECTION } from '../server/src/engine/heap';

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

test('the CLI collects once a large project is over, and after small ones only when their garbage adds up', () => {
  const { heap, measure, collect } = fakeHeap(0);
  const policy = new GrowthCollectionPolicy({ ...SCAN_COLLECTION, measure, collect });
  // The first project parses the libraries; at its end its Program is garbage, not yet collected.
  heap.used = 150 * MIB;
  heap.live = 60 * MIB;
  assert.equal(policy.consider(), true);
  assert.equal(heap.used, 60 * MIB);
  // Ten small projects: a few megabytes each, garbage the runtime is left to collect until it adds up.
  for (let i = 0; i < 10; i++) {
    heap.used += 2 * MIB;
    policy.consider();
  }
  assert.equal(heap.collections, 1, 'twenty megabytes over sixty: under the 32 MiB minimum');
  heap.used += 14 * MIB;
  heap.live = 64 * MIB;
  assert.equal(policy.consider(), true, 'thirty-four megabytes since the last collection');
  // A large one: its whole Program is garbage at its end.
  heap.used += 400 * MIB;
  heap.live = 66 * MIB;
  assert.equal(policy.consider(), true);
  assert.equal(heap.collections, 3);
  assert.equal(heap.used, 66 * MIB);
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
