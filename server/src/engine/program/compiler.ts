// The only module that imports the TypeScript compiler: every other stage gets `ts` and Programs from here,
// so a native (TypeScript 7) backend would replace this file alone.
// `import = require` keeps the module object as it is: with `import * as`, esbuild wraps every export of this
// CommonJS module in a getter, and `ts.x` calls through it cost 6% of a 200k-line scan (docs/performance.md).
import ts = require('typescript');
import * as path from 'node:path';
import type * as fs from 'node:fs';
import type { DirectoryEntries, DirectoryReads } from './directory-reads';
import { DiskProbes } from './disk-probes';

export { ts };

export class ProjectError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}

/** Compiler options used for files outside any tsconfig/jsconfig, and forced on every project. */
export const DEFAULT_COMPILER_OPTIONS: ts.CompilerOptions = {
  allowJs: true,
  checkJs: false,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  jsx: ts.JsxEmit.ReactJSX,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  esModuleInterop: true,
};

/** Options that must never come from the analysed workspace: no plugins, no emit, no build info. */
function sanitise(options: ts.CompilerOptions): ts.CompilerOptions {
  const copy: ts.CompilerOptions = { ...options, noEmit: true, skipLibCheck: true, allowJs: options.allowJs ?? true };
  delete copy.plugins;
  delete copy.tsBuildInfoFile;
  delete copy.incremental;
  delete copy.composite;
  delete copy.declaration;
  delete copy.emitDeclarationOnly;
  return copy;
}

export interface ParsedProject {
  configFile?: string;
  rootNames: string[];
  options: ts.CompilerOptions;
}

function formatDiagnostic(d: ts.Diagnostic): string {
  const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  if (d.file && d.start !== undefined) {
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${d.file.fileName}:${line + 1}:${character + 1}: ${text}`;
  }
  return text;
}

/**
 * Reads a tsconfig/jsconfig with its `extends` chain; a broken file is a ProjectError naming it. With `files: false`,
 * its compiler options only (no root names): its `include` globs are not walked (about 0.1 s at 5,000 files), for
 * what needs the options alone (the editor's worker parses the libraries they name while the files are listed elsewhere).
 */
export function parseProjectConfig(configFile: string, { files = true, reads }: { files?: boolean; reads?: DirectoryReads } = {}): ParsedProject {
  const read = ts.readConfigFile(configFile, ts.sys.readFile);
  if (read.error) throw new ProjectError(configFile, formatDiagnostic(read.error));
  const isJsConfig = path.basename(configFile) === 'jsconfig.json';
  const parsed = ts.parseJsonConfigFileContent(
    read.config,
    !files ? { ...ts.sys, readDirectory: () => [] } : reads ? systemOver(reads) : ts.sys,
    path.dirname(configFile),
    isJsConfig ? { allowJs: true, maxNodeModuleJsDepth: 0 } : undefined,
    configFile,
  );
  // "No inputs were found" (18003) is not fatal: an empty project just has nothing to report.
  const fatal = parsed.errors.filter((e) => e.category === ts.DiagnosticCategory.Error && e.code !== 18003);
  if (fatal.length > 0) throw new ProjectError(configFile, fatal.map(formatDiagnostic).join('; '));
  return { configFile, rootNames: parsed.fileNames, options: sanitise(parsed.options) };
}

/** TypeScript's own matcher of `include` globs (internal, stable since 2.0), over the folders given. */
type MatchFiles = (
  path: string,
  extensions: readonly string[] | undefined,
  excludes: readonly string[] | undefined,
  includes: readonly string[] | undefined,
  useCaseSensitiveFileNames: boolean,
  currentDirectory: string,
  depth: number | undefined,
  getFileSystemEntries: (path: string) => DirectoryEntries,
  realpath: (path: string) => string,
) => string[];
const matchFiles = (ts as unknown as { matchFiles?: MatchFiles }).matchFiles;

/**
 * TypeScript's system, with the folder reads of the listing under way (see `DirectoryReads`): `sys.readDirectory` is
 * `matchFiles` over the disk, this is the same over the reads already made. Without the matcher, the system as is.
 */
function systemOver(reads: DirectoryReads): ts.ParseConfigHost {
  if (!matchFiles) return ts.sys;
  const realpath = ts.sys.realpath ?? ((file: string) => file);
  return {
    ...ts.sys,
    readDirectory: (rootDir, extensions, excludes, includes, depth) =>
      matchFiles(rootDir, extensions, excludes, includes, ts.sys.useCaseSensitiveFileNames, ts.sys.getCurrentDirectory(), depth, (directory) => reads.entries(directory), realpath),
  };
}

/**
 * Files the reader does not give (libraries, dependencies, the project's declaration files) are parsed once and shared
 * between Programs (the editor makes one per edit, tests hundreds): the same object each time, so a Program that
 * reuses an older one's structure sees them unchanged. Keyed by file name and parse options, checked against the
 * file's size and time for libraries and dependencies (megabytes, read again on every edit otherwise), against its text
 * for the project's own.
 */
const sharedSourceFiles = new Map<string, { options: string; text?: string; size?: number; mtime?: number; sourceFile: ts.SourceFile }>();
const SHARED_PATTERN = /[\\/](node_modules|typescript[\\/]lib|dist)[\\/]|[\\/]lib\.[^\\/]*\.d\.ts$/;

/**
 * Typings no one annotates for this tool: TypeScript's own libraries (in `libDirectory`) and DefinitelyTyped's
 * `@types/*` packages. Their JSDoc is not parsed: the analysis reads tags only on the declarations of the project and
 * of its own packages (`@healthData`, `@anonymises`...; contract), and the checker reads none in declaration files.
 * It is a third of their parse (about 0.45 s of the 1.5 s the libraries and `@types/node` take, every cold start).
 */
function withoutJsDoc(fileName: string, libDirectory: string, languageVersion: ts.ScriptTarget | ts.CreateSourceFileOptions): ts.ScriptTarget | ts.CreateSourceFileOptions {
  const unannotated = path.dirname(fileName) === libDirectory || /[\\/]node_modules[\\/]@types[\\/]/.test(fileName);
  if (!unannotated) return languageVersion;
  return { ...(typeof languageVersion === 'object' ? languageVersion : { languageVersion }), jsDocParsingMode: ts.JSDocParsingMode.ParseNone };
}

function sharedSourceFile(fileName: string, languageVersion: ts.ScriptTarget | ts.CreateSourceFileOptions, readFile: (fileName: string) => string | undefined, probes: DiskProbes): ts.SourceFile | undefined {
  const options = typeof languageVersion === 'object' ? `${languageVersion.languageVersion}:${languageVersion.impliedNodeFormat}:${languageVersion.jsDocParsingMode}` : `${languageVersion}`;
  const cached = sharedSourceFiles.get(fileName);
  let stat: fs.Stats | undefined;
  if (SHARED_PATTERN.test(fileName)) {
    stat = probes.stat(fileName);
    if (!stat) return undefined;
    if (cached?.options === options && cached.size === stat.size && cached.mtime === stat.mtimeMs) return cached.sourceFile;
  }
  const text = readFile(fileName);
  if (text === undefined) return undefined;
  if (!stat && cached?.options === options && cached.text === text) return cached.sourceFile;
  const sourceFile = ts.createSourceFile(fileName, text, languageVersion);
  sharedSourceFiles.set(fileName, { options, sourceFile, ...(stat ? { size: stat.size, mtime: stat.mtimeMs } : { text }) });
  return sourceFile;
}

export interface FileReader {
  /** Returns the text of a file, or undefined; the server answers with open editor buffers. */
  readFile(fileName: string): string | undefined;
  /** Told when a file is too deeply nested to parse or analyse: the program gets an empty file in its place. */
  tooDeep?(fileName: string, message: string): void;
  /** The disk's answers already given in this scan (see `DiskProbes`); without, the Program's own. */
  probes?: DiskProbes;
}

/**
 * Deepest syntax tree the analysis accepts. TypeScript's parser, binder and checker recurse on nesting and
 * overflow the stack somewhere between 1,000 and 2,000 levels (fewer for brackets), which would take down the
 * whole run; real code stays far below this.
 */
export const MAX_SYNTAX_DEPTH = 500;

/**
 * Depth of the deepest node, counted without recursion (the tree may be deeper than the stack allows). Every project
 * file goes through it: the nodes and their depths wait in two arrays, and one callback serves the whole walk (a pair
 * and a closure per node made 170 MB of garbage in a cold scan at 200k lines).
 */
export function syntaxDepth(sourceFile: ts.SourceFile, limit: number = Number.POSITIVE_INFINITY): number {
  let deepest = 0;
  const nodes: ts.Node[] = [sourceFile];
  const depths: number[] = [0];
  let childDepth = 0;
  const visit = (child: ts.Node): undefined => {
    nodes.push(child);
    depths.push(childDepth);
    return undefined;
  };
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const depth = depths.pop()!;
    if (depth > deepest) deepest = depth;
    if (deepest > limit) return deepest;
    childDepth = depth + 1;
    ts.forEachChild(node, visit);
  }
  return deepest;
}

/** Parses a project file, or an empty file in its place when it nests deeper than the compiler can take. */
function parseBounded(fileName: string, text: string, languageVersion: ts.ScriptTarget | ts.CreateSourceFileOptions, reader: FileReader | undefined): ts.SourceFile {
  let sourceFile: ts.SourceFile;
  try {
    sourceFile = ts.createSourceFile(fileName, text, languageVersion);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return tooDeep(fileName, 'skipped: too deeply nested to parse (the compiler ran out of stack)', languageVersion, reader);
  }
  if (syntaxDepth(sourceFile, MAX_SYNTAX_DEPTH) > MAX_SYNTAX_DEPTH) {
    return tooDeep(fileName, `skipped: too deeply nested to analyse (more than ${MAX_SYNTAX_DEPTH} levels of syntax)`, languageVersion, reader);
  }
  return sourceFile;
}

/** Files replaced by an empty one because they are too deep, with why: a cached parse repeats the notice. */
const tooDeepReasons = new WeakMap<ts.SourceFile, string>();

function tooDeep(fileName: string, reason: string, languageVersion: ts.ScriptTarget | ts.CreateSourceFileOptions, reader: FileReader | undefined): ts.SourceFile {
  reader?.tooDeep?.(fileName, reason);
  const empty = ts.createSourceFile(fileName, '', languageVersion);
  tooDeepReasons.set(empty, reason);
  return empty;
}

/**
 * Parsed project files kept between analyses of the same project (the language server's worker keeps one per
 * project): a file whose text did not change is not parsed again, and the previous Program is handed to the
 * compiler so it reuses its structure, as a LanguageService does. Opaque to callers.
 */
export class ParseCache {
  private readonly files = new Map<string, { text: string; version: string; sourceFile: ts.SourceFile }>();
  /** The Program of the previous analysis (structure reuse). */
  previous: ts.Program | undefined;
  /**
   * The latest partial Program (an incremental pass over some files). The compiler reuses an old Program's module
   * resolutions only when the root files are the same; an editor's edits to one file ask for the same roots again
   * and again, so its pass skips resolving the imports of the file's whole closure (about 100 ms at 200k lines).
   */
  private partial: ts.Program | undefined;

  sourceFile(
    fileName: string,
    text: string,
    languageVersion: ts.ScriptTarget | ts.CreateSourceFileOptions,
    parse: () => ts.SourceFile,
    reader?: FileReader,
  ): ts.SourceFile {
    const version = JSON.stringify(languageVersion);
    const cached = this.files.get(fileName);
    if (cached && cached.text === text && cached.version === version) {
      const reason = tooDeepReasons.get(cached.sourceFile);
      if (reason) reader?.tooDeep?.(fileName, reason);
      return cached.sourceFile;
    }
    const sourceFile = parse();
    this.files.set(fileName, { text, version, sourceFile });
    return sourceFile;
  }

  /** Builds `previous` again from itself (set with it by `retain`, until `dropChecker` uses it). */
  private rebuild: (() => ts.Program) | undefined;

  /**
   * Keeps the previous Program's structure but not its type checker. A Program holds the checker it made, and with
   * it every type the analysis asked for, kept between edits and marked by every full collection for nothing (only
   * the structure is reused). It is replaced by a Program built from it: nothing is parsed or resolved again (0.56 s
   * at 200k lines, once per whole analysis), and it has no checker. The language server's worker heap at 200k
   * lines went from 637 to 524 MB.
   */
  dropChecker(): void {
    if (!this.rebuild) return;
    this.previous = this.rebuild();
    releaseScanInputs(this.previous);
    this.rebuild = undefined;
    this.partial = undefined;
  }

  /** Forgets the files the latest Program no longer has (deleted, excluded), so memory follows the project. */
  retain(program: ts.Program, rebuild?: () => ts.Program): void {
    this.rebuild = rebuild;
    const live = new Set(program.getSourceFiles().map((sf) => sf.fileName));
    for (const fileName of this.files.keys()) if (!live.has(fileName)) this.files.delete(fileName);
    this.previous = program;
    this.partial = undefined;
  }

  /** The Program to hand the compiler: the latest partial one for the same roots (the compiler reuses no other), else the latest whole one. */
  oldProgramFor(rootNames: readonly string[]): ts.Program | undefined {
    const roots = this.partial?.getRootFileNames();
    return roots && roots.length === rootNames.length && roots.every((root, i) => root === rootNames[i]) ? this.partial : this.previous;
  }

  keepPartial(program: ts.Program): void {
    this.partial = program;
  }

  get size(): number {
    return this.files.size;
  }
}

/** What a Program's host reads through for the scan that made it (see `releaseScanInputs`). */
interface ScanInputs {
  reader: FileReader | undefined;
  probes: DiskProbes | undefined;
}

const scanInputs = new WeakMap<ts.Program, ScanInputs>();

/**
 * Cuts `program`'s host from the scan that made it, once the scan no longer asks it anything. A Program the parse
 * cache keeps for the next analysis (its structure reused) kept the scan's reader alive through its host, and with it
 * every file's stats, the disk's answers and the editor's texts of that scan: at 200k lines about 5 MB an edit that
 * lived on until the next edit, so V8 moved it to the old generation, where only a full collection frees it. Asked
 * again after this (nothing of ours does), the host reads the disk.
 */
export function releaseScanInputs(program: ts.Program): void {
  const scan = scanInputs.get(program);
  if (!scan) return;
  scan.reader = undefined;
  scan.probes = undefined;
}

/** `partial`: a Program of some of the project's files (the incremental scan); the parse cache keeps the others. */
export function createProgram(project: ParsedProject, reader?: FileReader, oldProgram?: ts.Program, cache?: ParseCache, partial = false): ts.Program {
  const options = project.options;
  const host = ts.createCompilerHost(options, true);
  // What TypeScript's system answers (a stat, links followed), asked once per scan (see `DiskProbes`), or per Program.
  const scan: ScanInputs = { reader, probes: reader?.probes };
  const probes = (): DiskProbes => (scan.probes ??= new DiskProbes());
  host.fileExists = (file) => probes().fileExists(file);
  host.directoryExists = (directory) => probes().directoryExists(directory);
  // The bundled compiler looks for lib.*.d.ts beside its own file (dist/), where the build copies them.
  const libDirectory = path.dirname(ts.getDefaultLibFilePath(options));
  host.getSourceFile = (fileName, languageVersion) => {
    const { reader } = scan;
    const overridden = reader?.readFile(fileName);
    if (overridden !== undefined) {
      if (!cache) return parseBounded(fileName, overridden, languageVersion, reader);
      return cache.sourceFile(fileName, overridden, languageVersion, () => parseBounded(fileName, overridden, languageVersion, reader), reader);
    }
    return sharedSourceFile(fileName, withoutJsDoc(fileName, libDirectory, languageVersion), (f) => host.readFile(f), probes());
  };
  const originalRead = host.readFile.bind(host);
  host.readFile = (f) => scan.reader?.readFile(f) ?? originalRead(f);
  host.getDefaultLibLocation = () => libDirectory;
  const old = oldProgram ?? cache?.oldProgramFor(project.rootNames);
  // The compiler reuses an unchanged file's resolutions, those that found nothing too: a file created since where it
  // looked (another package's, outside the roots) would stay unseen. Such a file's imports are resolved again.
  if (old) {
    const awaited = awaitedLocations(old);
    // The closure holds the map only: a Program kept with this host must not keep the old one alive.
    if (awaited.size > 0) {
      host.hasInvalidatedResolutions = (filePath) => {
        const entry = awaited.get(filePath);
        if (!entry?.locations.some((location) => probes().fileExists(location))) return false;
        awaitedByFile.delete(entry.sourceFile); // resolved again in the new Program
        return true;
      };
    }
  }
  const program = ts.createProgram({ rootNames: project.rootNames, options, host, oldProgram: old });
  scanInputs.set(program, scan);
  if (partial) cache?.keepPartial(program);
  else cache?.retain(program, rebuilder(project, reader, program, cache));
  return program;
}

/**
 * Builds `program` again with a host of its own (a Program built with the host of another keeps that one alive). A
 * function apart: V8 keeps the variables a function's closures capture in one context they all share, so a closure
 * naming `reader` in `createProgram` would keep it alive through the host whatever `releaseScanInputs` cut.
 */
function rebuilder(project: ParsedProject, reader: FileReader | undefined, program: ts.Program, cache: ParseCache): () => ts.Program {
  return () => createProgram(project, reader, program, cache, true);
}

/** The package a declaration file belongs to: `declare module 'x'` name, or node_modules/<pkg>. */
export function moduleOfDeclaration(node: ts.Node): string | undefined {
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    if (ts.isModuleDeclaration(n) && ts.isStringLiteral(n.name)) return n.name.text;
  }
  const fileName = node.getSourceFile().fileName.replace(/\\/g, '/');
  // TypeScript's own lib files (beside the bundle, or in node_modules/typescript/lib) declare the globals.
  if (/\/lib\.[^/]*\.d\.ts$/.test(fileName)) return 'lib';
  // A global declaration file (`declare function gtag(...)`, @types/gtag.js) declares globals too.
  const sourceFile = node.getSourceFile();
  if (sourceFile.isDeclarationFile && !ts.isExternalModule(sourceFile) && !/\/node_modules\/@types\/node\//.test(fileName)) return 'global';
  const match = /\/node_modules\/(?:@types\/)?((?:@[^/]+\/)?[^/]+)/.exec(fileName);
  if (match) {
    const name = match[1];
    // @types/scope__pkg -> @scope/pkg
    return name.includes('__') && !name.startsWith('@') ? '@' + name.replace('__', '/') : name;
  }
  return undefined;
}

const IN_NODE_MODULES = /[\\/]node_modules[\\/]/;

/** A project source file: not a declaration file, not a dependency. */
export function isProjectSourceFile(sourceFile: ts.SourceFile): boolean {
  return !sourceFile.isDeclarationFile && !IN_NODE_MODULES.test(sourceFile.fileName);
}

/** A module resolution the Program made: what it found, or where it looked in vain. */
interface Resolution {
  resolvedModule?: { resolvedFileName: string };
  failedLookupLocations?: readonly string[];
}

/**
 * The resolution of a module specifier the Program made (`getResolvedModule`: internal, stable since TS 5.0); `false`
 * when the compiler has no such method.
 */
function resolutionOf(program: ts.Program, sourceFile: ts.SourceFile, specifier: ts.StringLiteralLike): Resolution | undefined | false {
  const internal = program as ts.Program & { getResolvedModule?(file: ts.SourceFile, name: string, mode: ts.ResolutionMode): Resolution | undefined };
  if (!internal.getResolvedModule) return false;
  return internal.getResolvedModule(sourceFile, specifier.text, program.getModeForUsageLocation(sourceFile, specifier));
}

/** The file a module specifier of `sourceFile` resolves to, as the Program resolved it (undefined: unresolved). */
export function resolvedModuleFile(program: ts.Program, sourceFile: ts.SourceFile, specifier: ts.StringLiteralLike): string | undefined {
  const resolution = resolutionOf(program, sourceFile, specifier);
  if (resolution !== false) return resolution?.resolvedModule?.resolvedFileName;
  return ts.resolveModuleName(specifier.text, sourceFile.fileName, program.getCompilerOptions(), ts.sys).resolvedModule?.resolvedFileName;
}

/** Where the compiler looked for a module it did not find (none when it found it, or when the Program does not say). */
function failedLookups(program: ts.Program, sourceFile: ts.SourceFile, specifier: ts.StringLiteralLike): readonly string[] {
  const resolution = resolutionOf(program, sourceFile, specifier);
  return resolution && !resolution.resolvedModule ? (resolution.failedLookupLocations ?? []) : [];
}

/** Where a missing module's file may appear: a source or declaration file outside `node_modules` (an install is seen otherwise). */
const AWAITED = /\.(d\.[cm]?ts|[cm]?[jt]sx?)$/;
/** By parsed file: its resolutions stay those of the Program that made them until the file changes or they are invalidated. */
const awaitedByFile = new WeakMap<ts.SourceFile, readonly string[]>();
/** Each failed resolution's filtered list, by the compiler's list (one per module name and folder, shared by files). */
const awaitedByLookups = new WeakMap<readonly string[], readonly string[]>();

/**
 * The files whose creation would resolve an import of `sourceFile` that resolved to nothing: relative and mapped
 * imports' candidates (`x.ts`, `x/index.ts`, ...), not what a package install would add.
 */
export function awaitedFiles(program: ts.Program, sourceFile: ts.SourceFile): readonly string[] {
  let awaited = awaitedByFile.get(sourceFile);
  if (!awaited) {
    const locations = new Set<string>();
    for (const specifier of moduleSpecifiers(sourceFile)) {
      const failed = failedLookups(program, sourceFile, specifier);
      if (failed.length === 0) continue;
      let kept = awaitedByLookups.get(failed);
      if (!kept) awaitedByLookups.set(failed, (kept = failed.filter((location) => AWAITED.test(location) && !IN_NODE_MODULES.test(location))));
      for (const location of kept) locations.add(location);
    }
    awaitedByFile.set(sourceFile, (awaited = [...locations]));
  }
  return awaited;
}

const awaitedByProgram = new WeakMap<ts.Program, Map<string, { sourceFile: ts.SourceFile; locations: readonly string[] }>>();

/** By file (the compiler's `path`, internal but stable: what `hasInvalidatedResolutions` is given), its awaited files. */
function awaitedLocations(program: ts.Program): Map<string, { sourceFile: ts.SourceFile; locations: readonly string[] }> {
  let awaited = awaitedByProgram.get(program);
  if (!awaited) {
    awaited = new Map();
    for (const sourceFile of program.getSourceFiles()) {
      if (sourceFile.isDeclarationFile) continue;
      const locations = awaitedFiles(program, sourceFile);
      if (locations.length > 0) awaited.set((sourceFile as ts.SourceFile & { path: string }).path, { sourceFile, locations });
    }
    awaitedByProgram.set(program, awaited);
  }
  return awaited;
}

/** Every module specifier of a file: imports, re-exports, `require` and `import()` calls (the compiler's own list). */
export function moduleSpecifiers(sourceFile: ts.SourceFile): readonly ts.StringLiteralLike[] {
  return (sourceFile as ts.SourceFile & { imports?: readonly ts.StringLiteralLike[] }).imports ?? [];
}
