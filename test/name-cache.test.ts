// The name classifier's memo tables: bounded, hot entries kept, and a name cached on its own words never answers
// for a context that would change it (whatever order the contexts come in).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BoundedCache, memoised } from '../server/src/engine/classify/bounded-cache';
import { classifyName, classifyTypeName, type NameContext } from '../server/src/engine/classify/names';
import { tokenize } from '../server/src/engine/classify/tokens';

describe('BoundedCache', () => {
  it('never holds more than twice its limit, and keeps an entry that is still read', () => {
    const cache = new BoundedCache<string, number>(100);
    cache.set('hot', 1);
    for (let i = 0; i < 1_000; i++) {
      cache.set(`cold ${i}`, i);
      if (i % 50 === 0) assert.equal(cache.get('hot'), 1, `the hot entry after ${i} insertions`);
      assert.ok(cache.size <= 200, `size ${cache.size} after ${i} insertions`);
    }
    assert.equal(cache.get('hot'), 1);
    assert.equal(cache.get('cold 0'), undefined, 'an entry nobody read is dropped');
    assert.equal(cache.get('cold 999'), 999);
  });

  it('memoises undefined results too', () => {
    const cache = new BoundedCache<string, string | undefined>(10);
    let calls = 0;
    const compute = () => {
      calls++;
      return undefined;
    };
    memoised(cache, 'x', compute);
    memoised(cache, 'x', compute);
    assert.equal(calls, 1);
  });
});

describe('classifyName cache', () => {
  const verdict = (name: string, context?: NameContext) => (classifyName(name, context) ? 'health' : 'not');

  it('gives each context its own answer for a weak term, in either order', () => {
    // `condition` counts inside a clinical record or next to clinical fields, not in a rules engine.
    const contexts: [NameContext | undefined, string][] = [
      [undefined, 'not'],
      [{ container: 'Patient' }, 'health'],
      [{ container: 'Rule' }, 'not'],
      [{ siblings: ['condition', 'onsetDate', 'patientId'] }, 'health'],
      [{ siblings: ['condition', 'priority', 'ruleId'] }, 'not'],
    ];
    for (const order of [contexts, [...contexts].reverse()]) {
      for (const [context, expected] of order) assert.equal(verdict('condition', context), expected, JSON.stringify(context));
    }
  });

  it('answers a strong term the same in every context', () => {
    for (const context of [undefined, { container: 'Patient' }, { container: 'Rule', path: 'src/rules/engine.ts' }]) {
      assert.equal(verdict('allergies', context), 'health', JSON.stringify(context));
    }
  });

  it('tells sibling lists apart, whichever was seen first', () => {
    const siblings = ['condition', 'onsetDate', 'patientId'];
    assert.equal(verdict('condition', { siblings }), 'health');
    const edited = ['condition', 'priority', 'ruleId'];
    assert.equal(verdict('condition', { siblings: edited }), 'not');
    assert.equal(verdict('condition', { siblings }), 'health');
  });
});

describe('tokenize cache', () => {
  it('is not altered by a caller: classifying the interface `ILabResult` leaves its tokens whole', () => {
    assert.ok(classifyTypeName('ILabResult'), 'an interface named after a health record');
    assert.deepEqual(tokenize('ILabResult'), ['i', 'lab', 'result']);
    assert.ok(classifyTypeName('ILabResult'), 'the same answer the second time');
  });
});
