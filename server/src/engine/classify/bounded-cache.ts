// A memo table of bounded size for the engine's pure functions (names are classified again and again, the same code
// texts are put in canonical form for many fingerprints).
//
// Two generations instead of one map cleared when full: clearing threw away every hot entry at once, and a large
// project crossed the limit again and again. Here, when the young generation is full it becomes the old one
// (the previous old one is dropped); an entry found in the old generation moves back to the young one, so what is
// still in use survives and the table never holds more than twice `limit` entries.
export class BoundedCache<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();

  constructor(private readonly limit: number) {}

  /** The cached value, or undefined when absent (use `has` to cache undefined results). */
  get(key: K): V | undefined {
    const value = this.young.get(key);
    if (value !== undefined || this.young.has(key)) return value;
    if (!this.old.has(key)) return undefined;
    const promoted = this.old.get(key) as V;
    this.set(key, promoted);
    return promoted;
  }

  has(key: K): boolean {
    return this.young.has(key) || this.old.has(key);
  }

  set(key: K, value: V): void {
    if (this.young.size >= this.limit) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
  }

  get size(): number {
    return this.young.size + this.old.size;
  }
}

/** `compute(key)`, memoised in `cache`, undefined results included. */
export function memoised<K, V>(cache: BoundedCache<K, V>, key: K, compute: (key: K) => V): V {
  const value = cache.get(key);
  if (value !== undefined || cache.has(key)) return value as V;
  const computed = compute(key);
  cache.set(key, computed);
  return computed;
}
