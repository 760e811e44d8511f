// The fuzz corpus: the rule fixture cases, their source files, and which files depend on which (imports either
// way), so a mutation's effect can be told from a lost finding.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { parseProjectConfig } from '../../../server/src/engine/program/compiler';
import { listRuleCases, SOURCE_EXTENSIONS } from '../fixtures';

export interface CorpusCase {
  name: string;
  dir: string;
  projectConfig: string;
  /** Source files of the case (absolute paths), sorted. */
  files: string[];
}

export function loadCorpus(rulesDirectory: string): CorpusCase[] {
  return listRuleCases(rulesDirectory)
    .map((c) => ({ name: `${c.rule}/${c.name}`, dir: c.dir, projectConfig: c.projectConfig, files: sourceFilesUnder(c.dir) }))
    .filter((c) => c.files.length > 0);
}

function sourceFilesUnder(directory: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') files.push(...sourceFilesUnder(path));
    else if (entry.isFile() && [...SOURCE_EXTENSIONS].some((e) => entry.name.endsWith(e))) files.push(path);
  }
  return files.sort();
}

/**
 * Files whose findings a change to `changed` may affect: those connected to it through imports in either
 * direction (a wrapper's sink is reported inside the wrapper, a caller's through its callee), every script and
 * declaration file when the changed file is or becomes a script (their declarations are global), and `changed`.
 */
export function filesRelatedTo(testCase: CorpusCase, changed: string, changedTexts: string[]): Set<string> {
  const options = parseProjectConfig(testCase.projectConfig).options;
  const inCase = new Set(testCase.files);
  const edges = new Map<string, Set<string>>(testCase.files.map((f) => [f, new Set<string>()]));
  const link = (a: string, b: string) => {
    edges.get(a)?.add(b);
    edges.get(b)?.add(a);
  };
  const globalFiles: string[] = [];
  let changedIsGlobal = false;
  const textsOf = (file: string) => (file === changed ? [readFileSync(file, 'utf8'), ...changedTexts] : [readFileSync(file, 'utf8')]);
  for (const file of testCase.files) {
    for (const text of textsOf(file)) {
      let imports: ts.FileReference[];
      let isGlobal: boolean;
      try {
        isGlobal = file.endsWith('.d.ts') || !ts.isExternalModule(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false));
        imports = ts.preProcessFile(text, true, true).importedFiles;
      } catch (error) {
        // Too deeply nested for the compiler to parse here: then it may relate to anything.
        if (!(error instanceof RangeError)) throw error;
        isGlobal = true;
        imports = [];
      }
      if (isGlobal) {
        globalFiles.push(file);
        if (file === changed) changedIsGlobal = true;
      }
      for (const imported of imports) {
        const resolved = ts.resolveModuleName(imported.fileName, file, options, ts.sys).resolvedModule?.resolvedFileName;
        if (resolved && inCase.has(resolved)) link(file, resolved);
      }
    }
  }
  const related = new Set<string>([changed]);
  if (changedIsGlobal) for (const file of testCase.files) related.add(file);
  for (const file of globalFiles) link(changed, file);
  const pending = [changed];
  while (pending.length > 0) {
    for (const next of edges.get(pending.pop()!) ?? []) {
      if (!related.has(next)) {
        related.add(next);
        pending.push(next);
      }
    }
  }
  return related;
}

export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
