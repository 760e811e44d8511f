// Where project caches live between scans: in memory (the language server's worker), on disk (the CLI's `--cache`),
// or both (the language server with a results cache directory: `PersistentStore`).
// A cache is only an accelerator: a missing, unreadable or corrupt entry is a cold scan, never an error.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { engineFingerprint } from './engine-version';
import type { ProjectCache } from './records';

export interface ResultsStore {
  load(projectKey: string): ProjectCache | undefined;
  save(projectKey: string, cache: ProjectCache): void;
}

export class MemoryStore implements ResultsStore {
  private readonly caches = new Map<string, ProjectCache>();

  load(projectKey: string): ProjectCache | undefined {
    return this.caches.get(projectKey);
  }

  save(projectKey: string, cache: ProjectCache): void {
    this.caches.set(projectKey, cache);
  }
}

/**
 * The editor's store: in memory, each project's entry read from disk the first time it is asked for, and written back
 * only when `flush` is called (the worker does when it has been idle a while, and at shutdown): writing a 200k-line
 * project's entry takes about half a second, too long for every edit. Reopening a workspace then starts from the
 * results of the last session instead of an empty cache.
 */
export class PersistentStore implements ResultsStore {
  private readonly memory = new Map<string, ProjectCache>();
  private readonly read = new Set<string>();
  private readonly unsaved = new Set<string>();

  constructor(readonly disk: DiskStore) {}

  load(projectKey: string): ProjectCache | undefined {
    if (!this.read.has(projectKey)) {
      this.read.add(projectKey);
      const cache = this.disk.load(projectKey);
      if (cache) this.memory.set(projectKey, cache);
    }
    return this.memory.get(projectKey);
  }

  save(projectKey: string, cache: ProjectCache): void {
    this.read.add(projectKey);
    this.memory.set(projectKey, cache);
    this.unsaved.add(projectKey);
  }

  /** Whether the disk holds an entry for the project that was not read yet (its first analysis may be answered by it). */
  hasUnread(projectKey: string): boolean {
    return !this.read.has(projectKey) && this.disk.has(projectKey);
  }

  /** Whether `flush` has something to write. */
  get dirty(): boolean {
    return this.unsaved.size > 0;
  }

  /** Writes the entries saved since the last flush. */
  flush(): void {
    for (const projectKey of this.unsaved) this.disk.save(projectKey, this.memory.get(projectKey)!);
    this.unsaved.clear();
  }
}

/** Bumped when the file format changes; the engine fingerprint in each cache's key covers the analysis itself. */
const FORMAT = 4;

/**
 * How an entry file starts: its format and the engine that wrote it, before the (large) rest. An entry of another
 * build is rejected from these bytes alone: after an update, reading and parsing tens of megabytes to find that the
 * key differs delayed the editor's first diagnostic by about two seconds at 200k lines.
 */
function header(): string {
  return `{"format":${FORMAT},"engine":${JSON.stringify(engineFingerprint())},`;
}

export class DiskStore implements ResultsStore {
  /** Problems writing the cache (read-only checkout, full disk): reported once, the scan goes on. */
  readonly warnings: string[] = [];

  constructor(readonly directory: string) {}

  private fileFor(projectKey: string): string {
    return path.join(this.directory, `${createHash('sha256').update(projectKey).digest('hex').slice(0, 24)}.json`);
  }

  /** Whether an entry of this engine exists for the project (it may still be stale or corrupt). */
  has(projectKey: string): boolean {
    return this.startsWithHeader(this.fileFor(projectKey));
  }

  load(projectKey: string): ProjectCache | undefined {
    const file = this.fileFor(projectKey);
    if (!this.startsWithHeader(file)) return undefined;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    try {
      // Its format and engine are those of the header, checked above.
      const parsed = JSON.parse(text) as { projectKey?: unknown; cache?: ProjectCache };
      if (parsed.projectKey !== projectKey || !isProjectCache(parsed.cache)) return undefined;
      return parsed.cache;
    } catch {
      return undefined; // corrupt (an interrupted write, a hand edit): the scan runs cold and rewrites it
    }
  }

  save(projectKey: string, cache: ProjectCache): void {
    const file = this.fileFor(projectKey);
    const temporary = `${file}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(this.directory, { recursive: true });
      // `header()` first: the property order of this object literal is the file's.
      fs.writeFileSync(temporary, JSON.stringify({ format: FORMAT, engine: engineFingerprint(), projectKey, cache }));
      fs.renameSync(temporary, file); // atomic: a concurrent scan reads the old cache or the new one, never half of one
    } catch (error) {
      try {
        fs.rmSync(temporary, { force: true });
      } catch {
        // nothing more to clean
      }
      const message = `could not write the results cache in ${this.directory} (${(error as Error).message}); the next scan will be cold`;
      if (!this.warnings.includes(message)) this.warnings.push(message);
    }
  }

  private startsWithHeader(file: string): boolean {
    const expected = Buffer.from(header());
    let descriptor: number | undefined;
    try {
      descriptor = fs.openSync(file, 'r');
      const start = Buffer.alloc(expected.length);
      return fs.readSync(descriptor, start, 0, expected.length, 0) === expected.length && start.equals(expected);
    } catch {
      return false;
    } finally {
      if (descriptor !== undefined) fs.closeSync(descriptor);
    }
  }
}

function isProjectCache(value: unknown): value is ProjectCache {
  if (!value || typeof value !== 'object') return false;
  const cache = value as Partial<ProjectCache>;
  if (typeof cache.key !== 'string' || !Array.isArray(cache.external) || !cache.records || typeof cache.records !== 'object') return false;
  return Object.values(cache.records).every(
    (r) => r && typeof r.file === 'string' && typeof r.hash === 'string' && Array.isArray(r.moduleHits) && Array.isArray(r.entryHits) && Array.isArray(r.findings) && Array.isArray(r.reads) && Array.isArray(r.fields) && !!r.names && typeof r.names === 'object',
  );
}

/** The default cache directory: `node_modules/.cache/health-data-lint` of the package holding the scanned root. */
export function defaultCacheDirectory(root: string): string {
  for (let dir = path.resolve(root); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) || fs.existsSync(path.join(dir, 'node_modules'))) return path.join(dir, 'node_modules', '.cache', 'health-data-lint');
    if (path.dirname(dir) === dir) return path.join(path.resolve(root), 'node_modules', '.cache', 'health-data-lint');
  }
}
