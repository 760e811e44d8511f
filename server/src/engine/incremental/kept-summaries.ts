// Function summaries kept from one analysis of some files to the next (an editor's edits), with their dependencies.
//
// Each analysis has a new Program and a new checker, but the files that did not change keep their parsed trees
// (`ParseCache`), and a summary holds values, not types or symbols: the summary of a service function an edited
// controller calls is the same as long as nothing it was made from changed. It was made from the function's file, the
// files that file imports (their types, transitively), and the summaries of the functions it called (their files and
// what those import). So a kept summary is dropped when one of its support files, or a file one of them imports
// transitively, changes; and it is not used while one of its support files is analysed again (its facts are being
// recomputed). A whole analysis, another cache key (configuration, compiler options, engine) or a file added or removed
// starts afresh.
import * as path from 'node:path';
import { moduleSpecifiers, resolvedModuleFile, ts } from '../program/compiler';
import type { KeptSummary, SummaryKeeper } from '../flow/interpreter';

/** Past this many summaries, the keeper starts afresh (an editing session that touched every file). */
const MAX_KEPT = 50_000;

export interface PartialPass {
  /** The project's cache key (see `cacheKey` in project-analysis.ts). */
  key: string;
  program: ts.Program;
  /** Every project file's content hash. */
  hashes: ReadonlyMap<string, string>;
  /** The files this pass analyses: their functions' summaries are computed again. */
  analysed: ReadonlySet<string>;
}

export class KeptSummaries implements SummaryKeeper {
  private key: string | undefined;
  private readonly kept = new Map<ts.FunctionLikeDeclaration, KeptSummary>();
  /** Support file to the kept summaries resting on it. */
  private readonly dependents = new Map<string, Set<ts.FunctionLikeDeclaration>>();
  private hashes: ReadonlyMap<string, string> = new Map();
  /** Each project file's imports (project files), from the parsed tree they were resolved in, and the reverse. */
  private readonly imports = new Map<string, { sourceFile: ts.SourceFile; files: string[] }>();
  private readonly importers = new Map<string, Set<string>>();
  private analysed: ReadonlySet<string> = new Set();
  private isActive = false;
  /** Summaries used instead of computed since the last `partialPass`. */
  reused = 0;

  /** Whether summaries are kept and reused in the current pass (a partial one): a whole pass need not record them. */
  get active(): boolean {
    return this.isActive;
  }

  /** A whole analysis: summaries are all computed again, and nothing is kept (the next partial pass starts afresh). */
  wholePass(): void {
    this.clear();
    this.isActive = false;
    this.reused = 0;
  }

  /** Before a pass over some files: drops what the changes since the last pass invalidate. */
  partialPass(pass: PartialPass): void {
    // The hashes of one analysis are one map (its passes share it), made anew by the next analysis.
    let sameFiles = this.key === pass.key && pass.hashes.size === this.hashes.size;
    const changed: string[] = [];
    if (sameFiles && pass.hashes !== this.hashes) {
      for (const [file, hash] of pass.hashes) {
        const before = this.hashes.get(file);
        if (before === undefined) sameFiles = false;
        else if (before !== hash) changed.push(file);
      }
    }
    if (!sameFiles || this.kept.size > MAX_KEPT) this.clear();
    this.key = pass.key;
    this.hashes = pass.hashes;
    this.index(pass.program);
    if (sameFiles && changed.length > 0) this.drop(this.importersOf(changed));
    this.analysed = pass.analysed;
    this.isActive = true;
    this.reused = 0;
  }

  reuse(fn: ts.FunctionLikeDeclaration, responseHandler: boolean): KeptSummary | undefined {
    if (!this.isActive) return undefined;
    const kept = this.kept.get(fn);
    if (!kept || kept.responseHandler !== responseHandler) return undefined;
    for (const file of kept.support) if (this.analysed.has(file)) return undefined;
    this.reused++;
    return kept;
  }

  keep(fn: ts.FunctionLikeDeclaration, kept: KeptSummary): void {
    if (!this.isActive) return;
    const support = new Set([...kept.support].map((file) => path.normalize(file)));
    this.kept.set(fn, { ...kept, support });
    for (const file of support) {
      let set = this.dependents.get(file);
      if (!set) this.dependents.set(file, (set = new Set()));
      set.add(fn);
    }
  }

  get size(): number {
    return this.kept.size;
  }

  private clear(): void {
    this.kept.clear();
    this.dependents.clear();
    this.imports.clear();
    this.importers.clear();
  }

  /** The imports of the Program's project files parsed since they were last indexed. */
  private index(program: ts.Program): void {
    for (const sourceFile of program.getSourceFiles()) {
      const file = path.normalize(sourceFile.fileName);
      if (!this.hashes.has(file) || this.imports.get(file)?.sourceFile === sourceFile) continue;
      for (const old of this.imports.get(file)?.files ?? []) this.importers.get(old)?.delete(file);
      const files: string[] = [];
      for (const specifier of moduleSpecifiers(sourceFile)) {
        const resolved = resolvedModuleFile(program, sourceFile, specifier);
        const target = resolved && path.normalize(resolved);
        if (!target || !this.hashes.has(target)) continue;
        files.push(target);
        let set = this.importers.get(target);
        if (!set) this.importers.set(target, (set = new Set()));
        set.add(file);
      }
      this.imports.set(file, { sourceFile, files });
    }
  }

  /** The files, and every project file importing one of them, transitively. */
  private importersOf(files: readonly string[]): Set<string> {
    const reached = new Set(files);
    const queue = [...files];
    for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
      for (const importer of this.importers.get(next) ?? []) {
        if (reached.has(importer)) continue;
        reached.add(importer);
        queue.push(importer);
      }
    }
    return reached;
  }

  private drop(files: ReadonlySet<string>): void {
    for (const file of files) {
      for (const fn of this.dependents.get(file) ?? []) this.kept.delete(fn);
      this.dependents.delete(file);
    }
  }
}
