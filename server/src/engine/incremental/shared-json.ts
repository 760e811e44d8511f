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

/** Encodes `value` (plain data: objects, arrays, strings, numbers, booleans, null; no cycle). */
export function encodeShared(value: unknown): SharedJson {
  // First which objects occur more than once, then a copy with those replaced by references.
  const seen = new Map<object, boolean>();
  const count = (v: unknown): void => {
    if (v === null || typeof v !== 'object') return;
    const again = seen.get(v);
    if (again !== undefined) {
      if (!again) seen.set(v, true);
      return;
    }
    seen.set(v, false);
    if (Array.isArray(v)) for (const item of v) count(item);
    else for (const key in v) count((v as Record<string, unknown>)[key]);
  };
  count(value);
  const ids = new Map<object, number>();
  const shared: unknown[] = [];
  const encode = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (!seen.get(v)) return copy(v);
    let id = ids.get(v);
    if (id === undefined) {
      id = shared.length;
      ids.set(v, id);
      shared.push(undefined);
      shared[id] = copy(v);
    }
    return { [REF]: id };
  };
  const copy = (v: object): unknown => {
    if (Array.isArray(v)) return v.map(encode);
    const out: Record<string, unknown> = {};
    for (const key in v) {
      const item = (v as Record<string, unknown>)[key];
      if (item !== undefined) out[key] = encode(item);
    }
    return out;
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
