// The call chain of a sink (the enclosing functions and their classes) with the legal-basis JSDoc tags they carry.
import { ts } from '../program/compiler';
import type { CallChainEntry, SourceLocation } from '../model';

export function functionDisplayName(fn: ts.Node): string {
  if (ts.isSourceFile(fn)) return '(module)';
  const f = fn as ts.FunctionLikeDeclaration;
  if (f.name && (ts.isIdentifier(f.name) || ts.isStringLiteral(f.name) || ts.isPrivateIdentifier(f.name))) {
    const owner = f.parent && ts.isClassLike(f.parent) && f.parent.name ? `${f.parent.name.text}.` : '';
    return owner + f.name.text;
  }
  if (ts.isConstructorDeclaration(f) && ts.isClassLike(f.parent) && f.parent.name) return `${f.parent.name.text}.constructor`;
  const parent = f.parent;
  if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && ts.isIdentifier(parent.name)) return parent.name.text;
  return '(anonymous)';
}

interface RawTag {
  name: string;
  text: string;
  location: SourceLocation;
}

function tagText(tag: ts.JSDocTag): string {
  return (typeof tag.comment === 'string' ? tag.comment : ts.getTextOfJSDocComment(tag.comment)) ?? '';
}

function tagsOf(node: ts.Node): RawTag[] {
  const sf = node.getSourceFile();
  return ts.getJSDocTags(node).map((t) => {
    const start = sf.getLineAndCharacterOfPosition(t.getStart(sf));
    const end = sf.getLineAndCharacterOfPosition(t.getEnd());
    return { name: t.tagName.text, text: tagText(t), location: { file: sf.fileName, line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 } };
  });
}

/** The JSDoc tag names on a function (and the variable statement holding an arrow function). */
export function jsdocTagNames(fn: ts.Node): Set<string> {
  return new Set(declarationTags(fn).map((t) => t.name));
}

/** Tags on a function, or on the declaration that holds it (`/** @legalBasis ... *\/ export const handler = () => ...`). */
export function declarationTags(fn: ts.Node): RawTag[] {
  const tags = tagsOf(fn);
  let holder: ts.Node | undefined = fn.parent;
  while (holder && (ts.isParenthesizedExpression(holder) || ts.isAsExpression(holder) || ts.isCallExpression(holder))) holder = holder.parent;
  // A handler registered inline: `/** @legalBasis ... */ router.get('/x', async (req, res) => ...)` (or `export default`).
  if (holder && (ts.isExpressionStatement(holder) || ts.isExportAssignment(holder))) tags.push(...tagsOf(holder));
  else if (holder && (ts.isVariableDeclaration(holder) || ts.isPropertyAssignment(holder) || ts.isPropertyDeclaration(holder))) {
    tags.push(...tagsOf(holder));
    if (ts.isVariableDeclaration(holder) && holder.parent?.parent && ts.isVariableStatement(holder.parent.parent)) tags.push(...tagsOf(holder.parent.parent));
  }
  return tags;
}

/** Enclosing functions of a node, innermost first, with their bases (class-level tags count for methods). */
export function chainOf(node: ts.Node): CallChainEntry[] {
  const chain: CallChainEntry[] = [];
  const file = node.getSourceFile().fileName;
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    if (ts.isFunctionLike(n) && !ts.isFunctionTypeNode(n) && !ts.isMethodSignature(n)) {
      const tags = declarationTags(n);
      if (n.parent && ts.isClassLike(n.parent)) tags.push(...tagsOf(n.parent));
      chain.push(entryOf(file, functionDisplayName(n), tags));
    }
  }
  if (chain.length === 0) chain.push({ file, functionName: undefined, tags: [] });
  return chain;
}

function entryOf(file: string, functionName: string | undefined, tags: RawTag[]): CallChainEntry {
  return { file, functionName, tags: tags.map((t) => ({ name: t.name, text: t.text })), tagLocation: tags[0]?.location };
}

/** A JSDoc basis written on the statement that performs the export, as a chain entry of its own. */
export function statementChainEntry(node: ts.Node): CallChainEntry | undefined {
  for (let n: ts.Node | undefined = node; n && !ts.isFunctionLike(n) && !ts.isSourceFile(n); n = n.parent) {
    if (ts.isExpressionStatement(n) || ts.isVariableStatement(n) || ts.isReturnStatement(n)) {
      const tags = tagsOf(n);
      return tags.length > 0 ? entryOf(n.getSourceFile().fileName, undefined, tags) : undefined;
    }
  }
  return undefined;
}
