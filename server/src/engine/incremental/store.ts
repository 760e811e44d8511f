// Where project caches live between scans: in memory (the language server's worker), on disk (the CLI's `--cache`),
// or both (the language server with a results cache directory: `PersistentStore`).
// A cache is only an accelerator: a missing, unreadable or corrupt entry is a cold scan, never an error.
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { engineFingerprint } from './engine-version';
import { GRAPH_KEYS, type FileRecord, type ProjectCache, type RecordGraph } from './records';
import { decodeShared, encodeShared } from './shared-json';

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
const FORMAT = 6;

/**
 * How an entry file starts: its format and the engine that wrote it, before the (large) rest. An entry of another
 * build is rejected from these bytes alone: after an update, reading and parsing tens of megabytes to find that the
 * key differs delayed the editor's first diagnostic by about two seconds at 200k lines.
 */
function header(): string {
  return `{"format":${FORMAT},"engine":${JSON.stringify(engineFingerprint())},`;
}

/** After the header, where the graph section starts (a byte offset, of fixed width so it can be written last). */
const GRAPH_AT = /^"graphAt":"(\d{12})",/;
const GRAPH_AT_LENGTH = '"graphAt":"000000000000",'.length;

/**
 * An entry is two lines of JSON. The first holds the results (what a scan with nothing changed reports); the second the
 * dependency graph of each record (`GRAPH_KEYS`), read only when something changed. At 200k lines the graph is 8 of
 * 18 MB, and a scan with nothing changed, which reads the first line only, takes about a third less time to load it.
 * Both lines carry the same random stamp: a graph is only ever joined to the results it was written with.
 */
interface ResultsSection {
  projectKey: string;
  stamp: string;
  cache: unknown;
  shared: unknown[];
}
interface GraphSection {
  stamp: string;
  graph: unknown;
  shared: unknown[];
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
    return this.graphOffset(this.fileFor(projectKey)) !== undefined;
  }

  load(projectKey: string): ProjectCache | undefined {
    const file = this.fileFor(projectKey);
    const graphAt = this.graphOffset(file);
    if (graphAt === undefined) return undefined;
    try {
      // Its format and engine are those of the header, checked above.
      const parsed = JSON.parse(readRange(file, 0, graphAt - 1)) as Partial<ResultsSection>;
      if (parsed.projectKey !== projectKey || typeof parsed.stamp !== 'string' || !Array.isArray(parsed.shared)) return undefined;
      const cache = decodeShared({ value: parsed.cache, shared: parsed.shared });
      if (!isProjectCache(cache)) return undefined;
      const stamp = parsed.stamp;
      // Once joined, the records are whole and the entry is like any other; a graph that cannot be joined stays so.
      let joined: boolean | undefined;
      cache.readGraph = () => {
        joined ??= readGraphInto(cache, file, graphAt, stamp);
        if (joined) delete cache.readGraph;
        return joined;
      };
      return cache;
    } catch {
      return undefined; // corrupt (an interrupted write, a hand edit) or unreadable: the scan runs cold and rewrites it
    }
  }

  save(projectKey: string, cache: ProjectCache): void {
    const file = this.fileFor(projectKey);
    const temporary = `${file}.${process.pid}.tmp`;
    try {
      if (cache.readGraph && !cache.readGraph()) throw new Error('the entry it was read from changed on disk'); // never write results without their graph
      fs.mkdirSync(this.directory, { recursive: true });
      const results: Record<string, Omit<FileRecord, (typeof GRAPH_KEYS)[number]>> = {};
      const graph: Record<string, RecordGraph> = {};
      for (const [name, record] of Object.entries(cache.records)) {
        if (!isGraph(record)) throw new Error(`the record of ${name} has no dependency graph`);
        const { names, unresolved, functions, entries, handlers, calls, registrations, ...rest } = record;
        results[name] = rest;
        graph[name] = { names, unresolved, functions, entries, handlers, calls, registrations };
      }
      const stamp = randomBytes(8).toString('hex');
      // Objects the results share (labels, hits) are written once (see shared-json.ts).
      const encodedResults = encodeShared({ key: cache.key, external: cache.external, foreign: cache.foreign, waiting: cache.waiting, records: results });
      const encodedGraph = encodeShared(graph);
      const first = `"projectKey":${JSON.stringify(projectKey)},"stamp":"${stamp}","cache":${JSON.stringify(encodedResults.value)},"shared":${JSON.stringify(encodedResults.shared)}}`;
      const graphAt = Buffer.byteLength(header()) + GRAPH_AT_LENGTH + Buffer.byteLength(first) + 1;
      const second = JSON.stringify({ stamp, graph: encodedGraph.value, shared: encodedGraph.shared } satisfies GraphSection);
      fs.writeFileSync(temporary, `${header()}"graphAt":"${String(graphAt).padStart(12, '0')}",${first}\n${second}`);
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

  /** Where the graph section of an entry of this engine starts, or undefined (no entry, another build, corrupt). */
  private graphOffset(file: string): number | undefined {
    const expected = Buffer.from(header());
    let descriptor: number | undefined;
    try {
      descriptor = fs.openSync(file, 'r');
      const start = Buffer.alloc(expected.length + GRAPH_AT_LENGTH);
      if (fs.readSync(descriptor, start, 0, start.length, 0) !== start.length || !start.subarray(0, expected.length).equals(expected)) return undefined;
      const match = GRAPH_AT.exec(start.subarray(expected.length).toString('latin1'));
      return match ? Number(match[1]) : undefined;
    } catch {
      return undefined;
    } finally {
      if (descriptor !== undefined) fs.closeSync(descriptor);
    }
  }
}

/** The text of bytes [start, end) of a file, or of its rest without `end` (throws when the file is shorter). */
function readRange(file: string, start: number, end?: number): string {
  const descriptor = fs.openSync(file, 'r');
  try {
    const length = (end ?? fs.fstatSync(descriptor).size) - start;
    if (length < 0) throw new Error('truncated entry');
    const buffer = Buffer.allocUnsafe(length);
    for (let done = 0; done < length; ) {
      const read = fs.readSync(descriptor, buffer, done, length - done, start + done);
      if (read === 0) throw new Error('truncated entry');
      done += read;
    }
    return buffer.toString('utf8');
  } finally {
    fs.closeSync(descriptor);
  }
}

/** Joins the graph section of `file` to the records read from its first line; false if it is not theirs or corrupt. */
function readGraphInto(cache: ProjectCache, file: string, graphAt: number, stamp: string): boolean {
  try {
    const parsed = JSON.parse(readRange(file, graphAt)) as Partial<GraphSection>;
    if (parsed.stamp !== stamp || !Array.isArray(parsed.shared)) return false;
    const graph = decodeShared({ value: parsed.graph, shared: parsed.shared }) as Record<string, RecordGraph> | null;
    if (!graph || typeof graph !== 'object') return false;
    for (const [name, record] of Object.entries(cache.records)) {
      const part = graph[name];
      if (!isGraph(part)) return false;
      Object.assign(record, part);
    }
    return true;
  } catch {
    return false;
  }
}

function isGraph(value: unknown): value is RecordGraph {
  if (!value || typeof value !== 'object') return false;
  const graph = value as Partial<RecordGraph>;
  return (
    !!graph.names &&
    typeof graph.names === 'object' &&
    typeof graph.unresolved === 'boolean' &&
    [graph.functions, graph.entries, graph.handlers, graph.calls, graph.registrations].every(Array.isArray)
  );
}

function isProjectCache(value: unknown): value is ProjectCache {
  if (!value || typeof value !== 'object') return false;
  const cache = value as Partial<ProjectCache>;
  if (typeof cache.key !== 'string' || !Array.isArray(cache.external) || !Array.isArray(cache.foreign) || !cache.waiting || typeof cache.waiting !== 'object' || !cache.records || typeof cache.records !== 'object') return false;
  if (!cache.foreign.every((f) => f && typeof f.file === 'string' && typeof f.hash === 'string' && f.names && typeof f.names === 'object' && Array.isArray(f.summarised))) return false;
  if (!Object.values(cache.waiting).every(Array.isArray)) return false;
  return Object.values(cache.records).every(
    (r) => r && typeof r.file === 'string' && typeof r.hash === 'string' && Array.isArray(r.moduleHits) && Array.isArray(r.entryHits) && Array.isArray(r.findings) && Array.isArray(r.reads) && Array.isArray(r.texts) && Array.isArray(r.fields),
  );
}

/** The default cache directory: `node_modules/.cache/health-data-lint` of the package holding the scanned root. */
export function defaultCacheDirectory(root: string): string {
  for (let dir = path.resolve(root); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) || fs.existsSync(path.join(dir, 'node_modules'))) return path.join(dir, 'node_modules', '.cache', 'health-data-lint');
    if (path.dirname(dir) === dir) return path.join(path.resolve(root), 'node_modules', '.cache', 'health-data-lint');
  }
}
