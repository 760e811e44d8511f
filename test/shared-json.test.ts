// The results cache's JSON encoding (server/src/engine/incremental/shared-json.ts): objects met more than once are
// written once and come back shared, everything else comes back as it was.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeShared, encodeShared } from '../server/src/engine/incremental/shared-json';

const roundTrip = (value: unknown): unknown => decodeShared(JSON.parse(JSON.stringify(encodeShared(value))));

describe('shared JSON', () => {
  test('an object held in several places is written once and read back as one object', () => {
    const label = { categories: ['diagnosis'], source: { file: '/p/a.ts', line: 3 }, steps: [{ kind: 'return' }] };
    const value = { labels: [label] };
    const hit = { candidates: [{ value }], value, labels: [label], sinkText: 'console.log(x)' };
    const records = { '/p/a.ts': { hits: [hit, hit] }, '/p/b.ts': { hits: [{ ...hit, sinkText: 'res.json(x)' }] } };
    const encoded = JSON.stringify(encodeShared(records));
    assert.equal(encoded.split('"diagnosis"').length - 1, 1, 'the label is written once');
    assert.ok(encoded.length < JSON.stringify(records).length / 2);
    const back = roundTrip(records) as typeof records;
    assert.deepEqual(back, records);
    const [a1, a2] = back['/p/a.ts'].hits;
    const [b] = back['/p/b.ts'].hits;
    assert.equal(a1, a2);
    assert.equal(a1!.value, a1!.candidates[0]!.value);
    assert.equal(a1!.labels[0], a1!.value.labels[0]);
    assert.equal(b!.labels[0], a1!.labels[0], 'shared across records too');
  });

  test('plain data comes back as it was: nulls, empty containers, numbers, strings that look like markers', () => {
    const value = { a: null, b: [], c: {}, d: [0, -1.5, true, false, ''], e: { '#refs': 1, text: '{"#ref":0}' }, f: [[1], [1]] };
    assert.deepEqual(roundTrip(value), value);
    assert.equal(roundTrip(null), null);
    assert.equal(roundTrip('text'), 'text');
    const withUndefined = { kept: 1, dropped: undefined };
    assert.deepEqual(roundTrip(withUndefined), { kept: 1 }, 'as JSON.stringify: an undefined property is left out');
  });

  test('a reference to no shared object is an error (a corrupt entry), not a wrong value', () => {
    assert.throws(() => decodeShared({ value: { x: { '#ref': 3 } }, shared: [] }), /dangling reference 3/);
    assert.throws(() => decodeShared({ value: [{ '#ref': 'a' }], shared: [{}] }), /dangling reference a/);
  });
});
