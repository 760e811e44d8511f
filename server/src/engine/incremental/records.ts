// What one analysis found in one file, in a form that outlives the Program: the unit of the results cache.
// A file's results depend on its own text and on the files it depends on (imports, and the files of every function
// summary its analysis used); a record keeps both so a later scan can tell whether the results still hold.
import type { ConcreteHit } from '../flow/interpreter';
import type { Finding, SkippedFile } from '../model';
import type { FieldRead } from '../fields/field-reads';
import type { TypeScriptField } from '../fields/typescript-fields';
import type { NameNode } from './names';

/**
 * Functions are named `<file>:<line>:<column>`: stable while the text before them is. A record is reused while the
 * file's text is the same, or while the declarations of other files it reaches show the same interface, position
 * included (see names.ts), so the ids it holds still name the same functions.
 */
export type FunctionId = string;

export interface FileRecord {
  file: string;
  /** sha256 of the analysed text. */
  hash: string;
  /** Size and modification time of the file when it was read from disk (not for an editor's buffer): while both are
   *  the same, the file is not read again. */
  size?: number;
  mtime?: number;
  /** Every file may see it: a script (no module syntax) or an augmentation (`declare global`, `declare module 'x'`). */
  global: boolean;
  /** The file's top-level names: what each shows other files, and what it rests on (see names.ts). */
  names: Record<string, NameNode>;
  /** The file has imports that resolve to nothing in the project: a new or changed file may be the one they mean. */
  unresolved: boolean;
  /** Every function of the file (the candidates for entry points). */
  functions: FunctionId[];
  /** The functions this analysis took as entry points (no call site anywhere when it ran). */
  entries: FunctionId[];
  /** The file's functions that were registered by reference as response handlers when it ran. */
  handlers: FunctionId[];
  /** Project functions in other files called while analysing this file, and those registered as handlers. */
  calls: FunctionId[];
  registrations: FunctionId[];
  /** Hits reported by this file's module code (stage 1) and by its entry points (stage 2). */
  moduleHits: ConcreteHit[];
  entryHits: ConcreteHit[];
  anonymisedModuleHits: ConcreteHit[];
  anonymisedEntryHits: ConcreteHit[];
  functionNames: string[];
  processingIds: string[];
  skipped?: SkippedFile;
  typesMissing: boolean;
  /** Hard-coded identifiers in the file, and linkable-anonymisation findings of the anonymisers it declares. */
  findings: Finding[];
  /** Field declarations of the file, keyed by `declarationKey`. */
  fields: [string, TypeScriptField][];
  /** The fields read at each source location of this file's hits (`file:line:column:endLine:endColumn`). */
  reads: [string, FieldRead][];
  /** The analysed text at each of those locations (`readKey`): what fingerprints are made of, without reading the
   *  files again when the record is reused. A location missing here is read from the file. */
  texts: [string, string][];
}

export function readKey(location: { file: string; line: number; column: number; endLine: number; endColumn: number }): string {
  return `${location.file}:${location.line}:${location.column}:${location.endLine}:${location.endColumn}`;
}

/** The cached state of one tsconfig project. */
export interface ProjectCache {
  /** Everything that invalidates every record at once: engine, options, configuration, global declarations. */
  key: string;
  /** Files outside the project the Program read (dependencies' declarations), with their size and mtime. */
  external: [string, number, number][];
  /** Source files outside the project its Programs read (another package's, in a monorepo): tracked by name, like
   *  the project's own files, so that their change reaches only the files that use what changed. */
  foreign: ForeignSource[];
  /** Files (the project's or foreign) with an import that resolved to nothing, and where the compiler looked for it
   *  outside `node_modules` (an install changes the key): a file created at one of them may be the one it means. */
  waiting: Record<string, string[]>;
  records: Record<string, FileRecord>;
  /**
   * Set on an entry read from disk without its dependency graph (`GRAPH_KEYS` of each record: what only an analysis
   * of changed files needs). Reads it into the records, once; false when it cannot (the entry was replaced or is
   * corrupt), and then the entry must not be used. Until it returns true, only the other fields may be read.
   */
  readGraph?: () => boolean;
}

/** A source file of another project (or of none) that a project's Program read: what it shows the project's files. */
export interface ForeignSource {
  file: string;
  size: number;
  mtime: number;
  /** sha256 of the text the Program read. */
  hash: string;
  /** It declares globals (a script, an augmentation): its change invalidates every record, as a project file's would. */
  global: boolean;
  /** Its graph of names (see names.ts), its functions' bodies shown by their summaries for those in `summarised`. */
  names: Record<string, NameNode>;
  /** The functions whose summaries the project's analysis made when the graph was: a later graph shows the same ones. */
  summarised: FunctionId[];
}

/** The fields of a record that tell what depends on what: read only when something changed (see `ProjectCache.readGraph`). */
export const GRAPH_KEYS = ['names', 'unresolved', 'functions', 'entries', 'handlers', 'calls', 'registrations'] as const satisfies readonly (keyof FileRecord)[];
export type RecordGraph = Pick<FileRecord, (typeof GRAPH_KEYS)[number]>;
