// Finds where a `@legalBasis` tag belongs for a position: the JSDoc the engine reads on the enclosing function,
// method or declaration, or on the statement that performs the export (contract: "JSDoc on the function ... or statement").
import { ts } from '../engine/program/compiler';

export interface JsDocEdit {
  /** 0-based offsets in the text: replace [start, end) with `newText` (start === end: insertion). */
  start: number;
  end: number;
  newText: string;
}

/** The edit that adds `tagLines` (without ` * `) to the JSDoc of the declaration enclosing `offset`. */
export function addJsDocTagsEdit(fileName: string, text: string, offset: number, tagLines: readonly string[]): JsDocEdit | undefined {
  const kind = /\.[jt]sx$/.test(fileName) ? ts.ScriptKind.TSX : /\.[cm]?js$/.test(fileName) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const sourceFile = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind);
  const node = deepestNodeAt(sourceFile, offset);
  if (!node) return undefined;
  const target = documentedDeclarationOf(node);
  if (!target) return undefined;
  const indent = indentationAt(text, target.getStart(sourceFile));
  const existing = ts.getJSDocCommentsAndTags(target).filter(ts.isJSDoc).at(-1);
  const tags = tagLines.map((tag) => `${indent} * ${tag}`).join('\n');
  if (existing) {
    const closing = existing.end - 2; // the `*/`
    const before = text.slice(existing.pos, closing);
    if (before.includes('\n')) {
      // Multi-line JSDoc: the new lines go just before the line holding `*/`.
      const lineStart = text.lastIndexOf('\n', closing - 1) + 1;
      return { start: lineStart, end: lineStart, newText: `${tags}\n` };
    }
    // One-line JSDoc (`/** text */`): it becomes a block with the tags on their own lines.
    const trimmedEnd = text.slice(0, closing).trimEnd().length;
    return { start: trimmedEnd, end: existing.end, newText: `\n${tags}\n${indent} */` };
  }
  const lineStart = text.lastIndexOf('\n', target.getStart(sourceFile) - 1) + 1;
  return { start: lineStart, end: lineStart, newText: `${indent}/**\n${tags}\n${indent} */\n` };
}

function deepestNodeAt(sourceFile: ts.SourceFile, offset: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (offset < node.getStart(sourceFile) || offset > node.getEnd()) return;
    found = node;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(sourceFile, visit);
  return found;
}

/**
 * The declaration or statement whose JSDoc the engine reads for the code at `node`: the enclosing function or
 * method, the declaration holding an arrow function, else the statement that performs the export (for a
 * callback passed to a call, such as a route handler given to `router.get`, and for module-level code).
 */
function documentedDeclarationOf(node: ts.Node): ts.Node | undefined {
  let exportingStatement: ts.Node | undefined;
  // Past a callback, only functions and declarations count: the engine reads statement JSDoc up to the first function.
  let statementsCount = true;
  for (let current: ts.Node | undefined = node; current && !ts.isSourceFile(current); current = current.parent) {
    if (ts.isFunctionDeclaration(current) || ts.isMethodDeclaration(current) || ts.isConstructorDeclaration(current) || ts.isAccessor(current)) {
      return current;
    }
    if (ts.isArrowFunction(current) || ts.isFunctionExpression(current)) {
      const documented = holderOf(current) ?? exportingStatement;
      if (documented) return documented;
      statementsCount = false;
    }
    if (statementsCount && !exportingStatement && (ts.isExpressionStatement(current) || ts.isVariableStatement(current) || ts.isReturnStatement(current))) {
      exportingStatement = current;
    }
  }
  return exportingStatement;
}

/** `const f = () => ...`, `{ f: () => ... }`, `class { f = () => ... }`: the declaration that names the function. */
function holderOf(fn: ts.ArrowFunction | ts.FunctionExpression): ts.Node | undefined {
  const parent = fn.parent;
  if (ts.isVariableDeclaration(parent) && ts.isVariableDeclarationList(parent.parent) && ts.isVariableStatement(parent.parent.parent)) {
    return parent.parent.parent;
  }
  if (ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) return parent;
  return undefined;
}

function indentationAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
}
