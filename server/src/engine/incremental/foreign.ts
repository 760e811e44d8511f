// Source files outside a project that its Program reads: in a monorepo, the other packages' sources a package imports
// (through `paths` or a relative path), and files an earlier project of the same scan analysed. They used to count as
// the dependencies' declarations do: any change to one invalidated every record of the project, so a change to a
// shared package's file cost every package a whole analysis (85 % of a cold scan in the bench's 50-package layout).
// Now each one keeps a graph of its names, made in the project's Program (names.ts), and a change to it reaches only
// the project's files that use a name whose interface changed.
import type { FileStat } from '../suppress';
import type { ForeignSource, ProjectCache } from './records';

export interface ForeignCheck {
  /** The entries as they stand: unchanged ones (their size and time refreshed), changed ones with their old graph. */
  entries: Map<string, ForeignSource>;
  /** Files changed or deleted since the entry was written: their graphs are made again (a deleted file's names all changed). */
  changed: Set<string>;
  /** Each tracked file's content hash now ('' for a deleted one): what kept summaries are checked against. */
  hashes: Map<string, string>;
  /** A changed file declares globals, or did: every record is invalidated. */
  global: boolean;
  /** A file's size or time changed but not its text: the entry is written again with the new ones. */
  touched: boolean;
  /** Files with an import that resolved to nothing where one of the places looked at now exists. */
  resolvable: Set<string>;
}

export interface ForeignReads {
  stat(file: string): FileStat | undefined;
  /** The text the Program would read (undefined: gone), its hash, and whether it declares globals. */
  read(file: string): { hash: string; global: boolean } | undefined;
  exists(file: string): boolean;
}

/** What changed among the foreign sources and awaited imports of a cache entry. */
export function checkForeign(cache: ProjectCache, reads: ForeignReads): ForeignCheck {
  const check: ForeignCheck = { entries: new Map(), changed: new Set(), hashes: new Map(), global: false, touched: false, resolvable: new Set() };
  for (const entry of cache.foreign) {
    const stat = reads.stat(entry.file);
    if (stat && stat.size === entry.size && stat.mtimeMs === entry.mtime) {
      check.entries.set(entry.file, entry);
      check.hashes.set(entry.file, entry.hash);
      continue;
    }
    const now = stat ? reads.read(entry.file) : undefined;
    if (now && stat && now.hash === entry.hash) {
      check.entries.set(entry.file, { ...entry, size: stat.size, mtime: stat.mtimeMs });
      check.hashes.set(entry.file, entry.hash);
      check.touched = true;
      continue;
    }
    check.entries.set(entry.file, entry);
    check.hashes.set(entry.file, now?.hash ?? '');
    check.changed.add(entry.file);
    if (entry.global || now?.global) check.global = true;
  }
  for (const [importer, locations] of Object.entries(cache.waiting)) {
    if (locations.some((location) => reads.exists(location))) check.resolvable.add(importer);
  }
  for (const importer of check.resolvable) if (check.entries.has(importer)) check.changed.add(importer);
  return check;
}

/** Whether a tracked foreign file's state differs from what the entry says (something to write). */
export function anyForeignChange(check: ForeignCheck | undefined): boolean {
  return check !== undefined && (check.changed.size > 0 || check.resolvable.size > 0);
}
