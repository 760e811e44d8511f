// JSON that keeps shared objects shared. A project's results hold the same objects many times over: a health label
// travels into every hit its value reaches, and each hit holds it as a candidate's value, as its own value and as its
// labels. Plain JSON writes each occurrence out in full (at 200k lines, 11 of the 25 MB of a cache entry were hits
// written three times over), and reading it back makes as many copies. Here an object met more than once is written
// once, in a table, and `{"#ref": n}` stands for it everywhere; reading rebuilds the same sharing.
//
// No object of the results has a key `#ref` (keys are field names, file paths and identifiers, and no identifier
// starts with `#` at the top level of a module), so the marker cannot be mistaken for data.

const REF = '#ref';

export interface SharedJson {
  /** The value, with `{"#ref": n}` for each object that occurs more than once. */
  value: unknown;
  /** The shared objects, each encoded the same way (one may refer to another). */
  shared: unknown[];
}

/**
 * Encodes `value` (plain data: objects, arrays, strings, numbers, booleans, null; no cycle). Only objects are shared
 * (an array held twice is written twice; what it holds is shared). Nothing is copied but the objects and arrays on the
 * way to a shared one: the rest of the result is `value`'s own (to be written, not changed).
 */
export function encodeShared(value: unknown): SharedJson {
  // First which objects occur more than once, then `value` with those replaced by references.
  const seen = new Set<object>();
  const again = new Set<object>();
  const count = (v: unknown): void => {
    if (v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (const item of v) if (item !== null && typeof item === 'object') count(item);
      return;
    }
    if (seen.has(v)) {
      again.add(v);
      return;
    }
    seen.add(v);
    for (const key in v) {
      const item = (v as Record<string, unknown>)[key];
      if (item !== null && typeof item === 'object') count(item);
    }
  };
  count(value);
  const ids = new Map<object, number>();
  const shared: unknown[] = [];
  const encode = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (!again.has(v)) return rewrite(v);
    let id = ids.get(v);
    if (id === undefined) {
      id = shared.length;
      ids.set(v, id);
      shared.push(undefined);
      shared[id] = rewrite(v);
    }
    return { [REF]: id };
  };
  const rewrite = (v: object): unknown => {
    if (Array.isArray(v)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const item: unknown = v[i];
        const encoded = encode(item);
        if (out) out.push(encoded);
        else if (encoded !== item) (out = v.slice(0, i)).push(encoded);
      }
      return out ?? v;
    }
    const record = v as Record<string, unknown>;
    let out: Record<string, unknown> | undefined;
    for (const key in record) {
      const item = record[key];
      const encoded = encode(item);
      if (out) out[key] = encoded;
      else if (encoded !== item) {
        out = {};
        for (const earlier in record) {
          if (earlier === key) break;
          out[earlier] = record[earlier];
        }
        out[key] = encoded;
      }
    }
    return out ?? v;
  };
  return { value: encode(value), shared };
}

/**
 * Decodes what `encodeShared` made, once parsed, in place. Throws on a reference to no table entry (a corrupt file:
 * the caller treats it as no cache).
 */
export function decodeShared(encoded: SharedJson): unknown {
  const { shared } = encoded;
  const done = new Uint8Array(shared.length);
  const resolve = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    const id = (v as Record<string, unknown>)[REF];
    if (id === undefined) {
      fill(v);
      return v;
    }
    if (typeof id !== 'number' || !(id >= 0 && id < shared.length)) throw new Error(`dangling reference ${String(id)}`);
    const target = shared[id];
    if (!done[id]) {
      done[id] = 1;
      fill(target as object);
    }
    return target;
  };
  const fill = (v: object): void => {
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const item: unknown = v[i];
        if (item !== null && typeof item === 'object') v[i] = resolve(item);
      }
      return;
    }
    const record = v as Record<string, unknown>;
    for (const key in record) {
      const item = record[key];
      if (item !== null && typeof item === 'object') record[key] = resolve(item);
    }
  };
  return resolve(encoded.value);
}
