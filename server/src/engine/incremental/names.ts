// Early cut-off by name: which top-level declarations of a project file other files' results can see, what each one
// shows them, and what it rests on.
//
// A file's results rest on its own text and on the declarations of other files it reaches: the ones its code names
// (imports), the ones the flow analysis reached through summaries, and, transitively, what those rest on. A changed
// file re-analysed says what each of its declarations shows the rest of the project (its "interface"): its text with
// every analysed function's body replaced by that function's summary and inferred return type. A body edited without
// changing what the function does to data (a literal, a log message) leaves the interface as it was, and no file
// that uses it is analysed again.
//
// Each file keeps, per top-level name, a hash of that interface and the names it refers to (`NameNode`). Once the
// changed files are analysed, the names whose interface changed are known (`changedNames`), and a clean file's results
// still hold unless one of its names reaches one of those (`filesReaching`).
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { moduleSpecifiers, resolvedModuleFile, ts } from '../program/compiler';

/** What one top-level name of a file shows the rest of the project, and the names it rests on. */
export interface NameNode {
  /** Hash of the interface text (position, text with analysed bodies replaced by their summaries). */
  own: string;
  /** Names it refers to: `#name` in the same file, `<file>#name` in another project file. */
  refs: string[];
}

/** Unnamed module code (expression statements, side-effect imports): seen by the file itself only. */
export const MODULE = '<module>';
/** The file's re-export statements (`export * from`, `export { a as b }`): how importers' names resolve. */
export const REEXPORTS = '<reexports>';
/** Functions of other files whose summaries the file's module code and entry points used (through values, not names). */
export const USED = '<used>';
/** The whole file: every name above. What the file's own results rest on. */
export const WHOLE = '*';

export interface NameGraphInput {
  program: ts.Program;
  checker: ts.TypeChecker;
  sourceFile: ts.SourceFile;
  /** A project file whose records the cache keeps (normalised path); others (dependencies, .d.ts) are in the key. */
  isProjectFile(file: string): boolean;
  /** The summary of a function, if the analysis made one: its body is shown by the summary. */
  summaryOf(fn: ts.Node): unknown;
  /** `<file>#name` of the summaries of other files used, by the local name whose function used them (`USED`: module code). */
  used: ReadonlyMap<string, Iterable<string>>;
}

export interface NameGraph {
  names: Record<string, NameNode>;
  /** A relative import resolves to nothing, or an import names something a project module does not export (yet): a
   *  new or changed file may be the one it means. */
  unresolved: boolean;
}

function hash(text: string): string {
  return createHash('sha1').update(text).digest('base64').slice(0, 16);
}

/** The names a top-level statement declares (none: unnamed module code). */
function declaredNames(statement: ts.Statement): string[] {
  if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) return [statement.name?.text ?? 'default'];
  if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement) || ts.isEnumDeclaration(statement)) return [statement.name.text];
  if (ts.isModuleDeclaration(statement)) return ts.isIdentifier(statement.name) ? [statement.name.text] : [];
  if (ts.isExportAssignment(statement)) return ['default'];
  if (ts.isVariableStatement(statement)) return statement.declarationList.declarations.flatMap((declaration) => bindingNames(declaration.name));
  return [];
}

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((element) => (ts.isOmittedExpression(element) ? [] : bindingNames(element.name)));
}

/** The top-level statement holding a node. */
function topLevelStatement(node: ts.Node): ts.Statement | undefined {
  let current: ts.Node = node;
  while (current.parent && !ts.isSourceFile(current.parent)) current = current.parent;
  return current.parent && ts.isSourceFile(current.parent) ? (current as ts.Statement) : undefined;
}

/** The name under which a declaration is kept in its file's graph (`*` for the module itself). */
export function nameOfDeclaration(node: ts.Node): string {
  if (ts.isSourceFile(node)) return WHOLE;
  const statement = topLevelStatement(node);
  if (!statement) return WHOLE;
  if (ts.isVariableStatement(statement)) {
    // The declaration that holds the node: `const a = ..., b = ...` keeps a and b apart.
    for (const declaration of statement.declarationList.declarations) {
      if (node.pos >= declaration.pos && node.end <= declaration.end) {
        const names = bindingNames(declaration.name);
        if (names.length > 0) return names[0]!;
      }
    }
  }
  const names = declaredNames(statement);
  if (names.length > 0) return names[0]!;
  if (ts.isExportDeclaration(statement)) return REEXPORTS;
  return MODULE;
}

/** `<file>#<name>` of what an imported name resolves to; `*` of the module when it is the module itself. */
function importTargets(input: NameGraphInput, name: ts.Identifier, moduleFile: string | undefined, namespace: boolean): { refs: string[]; unresolved: boolean } {
  const refs: string[] = [];
  if (moduleFile) refs.push(`${moduleFile}#${REEXPORTS}`);
  if (namespace) {
    if (moduleFile) refs.push(`${moduleFile}#${WHOLE}`);
    return { refs, unresolved: false };
  }
  const symbol = input.checker.getSymbolAtLocation(name);
  let target: ts.Symbol | undefined;
  try {
    target = symbol && symbol.flags & ts.SymbolFlags.Alias ? input.checker.getAliasedSymbol(symbol) : symbol;
  } catch {
    target = undefined;
  }
  const declarations = target?.declarations ?? [];
  for (const declaration of declarations) {
    const file = path.normalize(declaration.getSourceFile().fileName);
    if (input.isProjectFile(file)) refs.push(`${file}#${nameOfDeclaration(declaration)}`);
  }
  // A project module that does not export this name (yet): a later change to any file may make it resolve.
  return { refs, unresolved: declarations.length === 0 && moduleFile !== undefined };
}

/** Text to leave out of property names and declarations when collecting what a statement refers to. */
function isReference(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (!parent) return true;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if (ts.isQualifiedName(parent) && parent.right === node) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent) || ts.isPropertySignature(parent) || ts.isMethodSignature(parent) || ts.isGetAccessorDeclaration(parent) || ts.isSetAccessorDeclaration(parent) || ts.isEnumMember(parent)) && parent.name === node) return false;
  return true;
}

function summaryText(summary: unknown): string {
  try {
    return JSON.stringify(summary, (_key, value: unknown) => (value instanceof Map ? [...value] : value instanceof Set ? [...value] : value));
  } catch {
    return `unserialisable:${Math.random()}`; // never equal to anything: the users of this name are analysed again
  }
}

export function nameGraph(input: NameGraphInput): NameGraph {
  const { sourceFile: sf, checker, program } = input;
  const file = path.normalize(sf.fileName);
  // JavaScript infers class members and exports from assignments in bodies: its bodies stay text.
  const bodiesAsSummaries = !/\.(js|jsx|mjs|cjs)$/.test(file);
  let unresolved = false;

  // Imported names, each with what it resolves to.
  const imported = new Map<string, string[]>();
  const local = new Set<string>();
  for (const statement of sf.statements) for (const name of declaredNames(statement)) local.add(name);
  // Module specifiers of `require`, `import()` and `import x = require()`: the statement holding one rests on the whole module.
  const wholeModuleRefs = new Map<ts.Statement, string[]>();
  const reexportRefs: string[] = [];
  const reexportTexts: string[] = [];
  const fileOf = (specifier: ts.StringLiteralLike) => {
    const resolved = resolvedModuleFile(program, sf, specifier);
    if (resolved === undefined && specifier.text.startsWith('.')) unresolved = true;
    const normal = resolved === undefined ? undefined : path.normalize(resolved);
    return normal !== undefined && input.isProjectFile(normal) ? normal : undefined;
  };
  for (const statement of sf.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const moduleFile = fileOf(statement.moduleSpecifier);
      const clause = statement.importClause;
      const add = (name: ts.Identifier, namespace: boolean) => {
        const targets = importTargets(input, name, moduleFile, namespace);
        unresolved ||= targets.unresolved;
        imported.set(name.text, targets.refs);
      };
      if (clause?.name) add(clause.name, false);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) add(bindings.name, true);
      else if (bindings) for (const element of bindings.elements) add(element.name, false);
    } else if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference) && ts.isStringLiteral(statement.moduleReference.expression)) {
      const moduleFile = fileOf(statement.moduleReference.expression);
      imported.set(statement.name.text, moduleFile ? [`${moduleFile}#${WHOLE}`] : []);
    }
  }
  // After the imports: `export { x }` may re-export an imported name.
  for (const statement of sf.statements) {
    if (!ts.isExportDeclaration(statement)) continue;
    reexportTexts.push(statement.getText(sf));
    if (statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
      const moduleFile = fileOf(statement.moduleSpecifier);
      if (moduleFile) reexportRefs.push(`${moduleFile}#${REEXPORTS}`);
    } else if (statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) {
        const name = (element.propertyName ?? element.name).text;
        reexportRefs.push(...(imported.get(name) ?? [`#${name}`]));
      }
    }
  }
  for (const specifier of moduleSpecifiersOutsideImports(sf)) {
    const statement = topLevelStatement(specifier);
    const moduleFile = fileOf(specifier);
    if (!statement || !moduleFile) continue;
    const list = wholeModuleRefs.get(statement) ?? [];
    list.push(`${moduleFile}#${WHOLE}`);
    wholeModuleRefs.set(statement, list);
  }

  const texts = new Map<string, string[]>();
  const refs = new Map<string, Set<string>>();
  const addTo = (name: string, text: string | undefined, names: Iterable<string>) => {
    let list = texts.get(name);
    if (!list) texts.set(name, (list = []));
    if (text !== undefined) list.push(text);
    let set = refs.get(name);
    if (!set) refs.set(name, (set = new Set()));
    for (const ref of names) set.add(ref);
  };
  for (const statement of sf.statements) {
    if (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) continue;
    const names = declaredNames(statement);
    const referenced = new Set<string>(wholeModuleRefs.get(statement) ?? []);
    const fingerprints: string[] = [];
    const blanked: [number, number][] = [];
    const visit = (node: ts.Node, insideBlanked: boolean): void => {
      if (ts.isIdentifier(node) && isReference(node)) {
        if (local.has(node.text)) referenced.add(`#${node.text}`);
        else for (const ref of imported.get(node.text) ?? []) referenced.add(ref);
      }
      let blank = insideBlanked;
      const summary = bodiesAsSummaries && ts.isFunctionLike(node) ? input.summaryOf(node) : undefined;
      if (summary !== undefined) {
        const fn = node as ts.FunctionLikeDeclaration;
        const start = sf.getLineAndCharacterOfPosition(fn.getStart(sf));
        let returns = '';
        if (!fn.type) {
          try {
            const signature = checker.getSignatureFromDeclaration(fn);
            if (signature) returns = checker.typeToString(checker.getReturnTypeOfSignature(signature), fn, ts.TypeFormatFlags.NoTruncation);
          } catch {
            returns = `?${Math.random()}`;
          }
        }
        fingerprints.push(`${start.line}:${start.character}:${returns}:${hash(summaryText(summary))}`);
        if (fn.body && !insideBlanked) {
          blanked.push([fn.body.getStart(sf), fn.body.end]);
          blank = true;
        }
      }
      ts.forEachChild(node, (child) => visit(child, blank));
    };
    visit(statement, false);
    // The statement's text (its leading comments too: tags live there) with analysed bodies cut out, and where it starts.
    let text = '';
    let from = statement.pos;
    for (const [start, end] of blanked) {
      text += sf.text.slice(from, start) + '{§}';
      from = end;
    }
    text += sf.text.slice(from, statement.end);
    const start = sf.getLineAndCharacterOfPosition(statement.getStart(sf));
    const interfaceText = `${start.line}:${start.character}\n${text}\n${fingerprints.join('\n')}`;
    if (names.length === 0) addTo(MODULE, interfaceText, referenced);
    for (const name of names) addTo(name, interfaceText, referenced);
  }
  addTo(REEXPORTS, reexportTexts.join('\n'), reexportRefs);
  addTo(USED, undefined, []);
  // What each function's summary reached through values (a summary used is not always named in the text).
  for (const [name, uses] of input.used) addTo(texts.has(name) ? name : USED, undefined, uses);

  const names: Record<string, NameNode> = {};
  for (const [name, list] of texts) {
    const set = refs.get(name)!;
    set.delete(`#${name}`);
    names[name] = { own: hash(list.join('\n')), refs: [...set].sort() };
  }
  names[WHOLE] = { own: '', refs: Object.keys(names).map((name) => `#${name}`).sort() };
  return { names, unresolved };
}

/** Module specifiers of `require(...)`, `import(...)` and `import('...').T` (not of import and export statements). */
function moduleSpecifiersOutsideImports(sf: ts.SourceFile): ts.StringLiteralLike[] {
  return moduleSpecifiers(sf).filter((specifier) => {
    const parent = specifier.parent;
    return parent !== undefined && !ts.isImportDeclaration(parent) && !ts.isExportDeclaration(parent) && !ts.isExternalModuleReference(parent);
  });
}

function sameRefs(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((ref, i) => ref === b[i]);
}

/** `<file>#<name>` of the names whose interface or references differ between two versions of a file's graph. */
export function changedNames(file: string, before: Record<string, NameNode> | undefined, after: Record<string, NameNode> | undefined): string[] {
  const out: string[] = [];
  for (const name of new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])) {
    const a = before?.[name];
    const b = after?.[name];
    if (!a || !b || a.own !== b.own || !sameRefs(a.refs, b.refs)) out.push(`${file}#${name}`);
  }
  return out;
}

/** A file's references to other files' names, and whether it refers to its own, by its graph (kept as long as it is). */
const outgoingRefs = new WeakMap<Record<string, NameNode>, { others: ReadonlySet<string>; local: boolean }>();

function outgoing(names: Record<string, NameNode>): { others: ReadonlySet<string>; local: boolean } {
  let held = outgoingRefs.get(names);
  if (!held) {
    const others = new Set<string>();
    let local = false;
    for (const name in names) {
      for (const ref of names[name]!.refs) {
        if (ref.charCodeAt(0) === 35 /* # */) local = true;
        else others.add(ref);
      }
    }
    outgoingRefs.set(names, (held = { others, local }));
  }
  return held;
}

type GraphOfFile = { file: string; names: Record<string, NameNode> };

/**
 * Which files' graphs refer to each `<file>#<name>`, for `filesReaching`. The editor's worker keeps one per project
 * from an edit to the next and brings it up to date with the graphs that are new objects (the files analysed again):
 * a sweep over every file's graph at each edit took 5 to 6 ms at 200k lines, 15 to 55 ms in the first edits.
 * Records are taken to name each file once.
 */
export class ReachIndex {
  private readonly graphs = new Map<string, Record<string, NameNode>>();
  private readonly referrers = new Map<string, Set<string>>();

  /** The graphs as they are now: those of files not among them are forgotten. */
  update(records: readonly GraphOfFile[]): void {
    let count = 0;
    for (const { file, names } of records) {
      count++;
      const indexed = this.graphs.get(file);
      if (indexed === names) continue;
      if (indexed) this.forget(file, indexed);
      this.graphs.set(file, names);
      for (const ref of outgoing(names).others) {
        let files = this.referrers.get(ref);
        if (!files) this.referrers.set(ref, (files = new Set()));
        files.add(file);
      }
    }
    if (this.graphs.size === count) return;
    // A file deleted (or a duplicate, which costs this check only).
    const present = new Set<string>();
    for (const { file } of records) present.add(file);
    for (const [file, names] of this.graphs) {
      if (present.has(file)) continue;
      this.forget(file, names);
      this.graphs.delete(file);
    }
  }

  /** Files holding a name that reaches one of the `changed` names, transitively (theirs included). */
  reaching(changed: Iterable<string>): Set<string> {
    const marked = new Map<string, Set<string>>();
    const queue: string[] = [];
    const mark = (file: string, name: string): void => {
      let names = marked.get(file);
      if (!names) marked.set(file, (names = new Set()));
      if (names.has(name)) return;
      names.add(name);
      queue.push(file, name);
    };
    // Names of `file`'s graph that refer to `ref` (`#name` for the file's own names).
    const markReferring = (file: string, ref: string): void => {
      const graph = this.graphs.get(file);
      if (!graph) return;
      for (const name in graph) if (graph[name]!.refs.includes(ref)) mark(file, name);
    };
    for (const key of changed) {
      const at = key.lastIndexOf('#');
      mark(key.slice(0, at), key.slice(at + 1));
    }
    while (queue.length > 0) {
      const name = queue.pop()!;
      const file = queue.pop()!;
      markReferring(file, `#${name}`);
      const key = `${file}#${name}`;
      for (const other of this.referrers.get(key) ?? []) markReferring(other, key);
    }
    return new Set(marked.keys());
  }

  private forget(file: string, names: Record<string, NameNode>): void {
    for (const ref of outgoing(names).others) {
      const files = this.referrers.get(ref);
      files?.delete(file);
      if (files?.size === 0) this.referrers.delete(ref);
    }
  }
}

/**
 * Files holding a name that reaches one of the `changed` names, transitively (the files of the changed names
 * included), through `index` when one is kept between calls (the editor's), else through one made for this call.
 */
export function filesReaching(records: readonly GraphOfFile[], changed: readonly string[], index = new ReachIndex()): Set<string> {
  if (changed.length === 0) return new Set();
  index.update(records);
  return index.reaching(changed);
}
