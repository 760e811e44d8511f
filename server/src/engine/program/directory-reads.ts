// The directory reads of one listing, shared by everything that walks the same folder: the search for its projects
// and loose sources, TypeScript's expansion of each tsconfig's `include`, and the search for schema files. Each read
// the disk once where they had read it three times (1,096 folders at 200k lines: 0.23 s of a warm scan's listing).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileSystemAdapter } from 'tinyglobby';
import { tryStat } from './disk-probes';

/** A folder's files and subfolders as TypeScript's system lists them (symbolic links followed, each list sorted). */
export interface DirectoryEntries {
  files: string[];
  directories: string[];
}

/**
 * Remembers each folder read during one listing, for the listing only: a later listing reads the disk again (the
 * language server lists once per change of the folders' layout). A folder that cannot be read is not remembered.
 */
export class DirectoryReads {
  private readonly read = new Map<string, fs.Dirent[]>();

  /** `node:fs` for tinyglobby (its `fs` option): folder reads answered from the ones already made. */
  readonly adapter: FileSystemAdapter = {
    readdirSync: ((directory: fs.PathLike, options?: unknown) => {
      // tinyglobby (fdir) always asks for entries with their types; anything else goes to the disk as asked.
      if (typeof directory !== 'string' || !isWithFileTypes(options)) return fs.readdirSync(directory, options as undefined);
      return this.dirents(directory);
    }) as typeof fs.readdirSync,
  };

  /** The folder's entries with their types, read once. Throws as `fs.readdirSync` does. */
  dirents(directory: string): fs.Dirent[] {
    const key = path.resolve(directory);
    let entries = this.read.get(key);
    if (!entries) {
      entries = fs.readdirSync(key, { withFileTypes: true });
      this.read.set(key, entries);
    }
    return entries;
  }

  /**
   * The folder's entries as TypeScript's `sys` lists them for `include` globs (`getAccessibleFileSystemEntries`): a
   * symbolic link counts as what it points to, a broken one not at all, and nothing when the folder cannot be read.
   */
  entries(directory: string): DirectoryEntries {
    const files: string[] = [];
    const directories: string[] = [];
    let dirents: fs.Dirent[];
    try {
      dirents = this.dirents(directory || '.');
    } catch {
      return { files, directories };
    }
    for (const dirent of dirents) {
      let kind: { isFile(): boolean; isDirectory(): boolean } | undefined = dirent;
      if (dirent.isSymbolicLink()) kind = tryStat(path.join(directory, dirent.name));
      if (!kind) continue;
      if (kind.isFile()) files.push(dirent.name);
      else if (kind.isDirectory()) directories.push(dirent.name);
    }
    files.sort();
    directories.sort();
    return { files, directories };
  }
}

function isWithFileTypes(options: unknown): boolean {
  return typeof options === 'object' && options !== null && (options as { withFileTypes?: boolean }).withFileTypes === true;
}
