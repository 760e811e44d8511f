// Maps a read of health data (a data flow's source: `patient.diagnosis`, a destructured `{ moodScore }`, a whole record)
// back to the declarations of the fields it reads, through the type checker.
import { ts, isProjectSourceFile } from '../program/compiler';
import type { SourceLocation } from '../model';
import { declarationKey } from './typescript-fields';

/**
 * Declaration keys (see `declarationKey`) of the fields read at `location`: the member read, and every member of the
 * record the read yields (a variable, a query result), the caller keeping those that are health data.
 */
export function fieldsReadAt(program: ts.Program, checker: ts.TypeChecker, location: SourceLocation): FieldRead {
  const none: FieldRead = { keys: [], recordKeys: [] };
  const sf = program.getSourceFile(location.file);
  if (!sf) return none;
  let start: number;
  let end: number;
  try {
    start = sf.getPositionOfLineAndCharacter(location.line - 1, location.column - 1);
    end = sf.getPositionOfLineAndCharacter(location.endLine - 1, location.endColumn - 1);
  } catch {
    return none;
  }
  const candidates = nodesSpanning(sf, start, end);
  for (const node of candidates) {
    const member = memberSymbolOf(node, checker);
    // The member may hold a record itself (`{ results }` of a query, `parsed.data`): its fields leave with it.
    if (member) return { keys: projectDeclarationKeys(member), recordKeys: recordMembersOf(checker.getTypeAtLocation(node), checker).flatMap(projectDeclarationKeys) };
  }
  const outermost = candidates[candidates.length - 1];
  if (!outermost) return none;
  return { keys: [], recordKeys: recordMembersOf(checker.getTypeAtLocation(outermost), checker).flatMap(projectDeclarationKeys) };
}

export interface FieldRead {
  /** The member read (`patient.diagnosis`, a destructured `{ moodScore }`). */
  keys: string[];
  /** Members of the record the read yields: only those that are health data go with it as health data. */
  recordKeys: string[];
}

/** Nodes whose text is exactly the location, innermost first. */
function nodesSpanning(sf: ts.SourceFile, start: number, end: number): ts.Node[] {
  const found: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if (node.getStart(sf) <= start && node.getEnd() >= end) {
      if (node.getStart(sf) === start && node.getEnd() === end) found.push(node);
      ts.forEachChild(node, visit);
    }
  };
  ts.forEachChild(sf, visit);
  return found.reverse();
}

function memberSymbolOf(node: ts.Node, checker: ts.TypeChecker): ts.Symbol | undefined {
  if (ts.isPropertyAccessExpression(node)) return checker.getSymbolAtLocation(node.name);
  if (ts.isElementAccessExpression(node)) return checker.getSymbolAtLocation(node.argumentExpression);
  const binding = ts.isBindingElement(node) ? node : ts.isIdentifier(node) && ts.isBindingElement(node.parent) ? node.parent : undefined;
  if (binding && ts.isObjectBindingPattern(binding.parent)) {
    const nameNode = binding.propertyName ?? binding.name;
    const name = ts.isIdentifier(nameNode) || ts.isStringLiteral(nameNode) ? nameNode.text : undefined;
    if (name === undefined) return undefined;
    return checker.getTypeAtLocation(binding.parent).getProperty(name);
  }
  return undefined;
}

/** Members of a record type, through arrays, promises, unions and nullability (`Promise<MoodEntry[] | null>`). */
function recordMembersOf(type: ts.Type, checker: ts.TypeChecker, depth = 0): ts.Symbol[] {
  if (depth > 3) return [];
  if (type.isUnion()) return type.types.flatMap((t) => recordMembersOf(t, checker, depth + 1));
  if (type.flags & (ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.BigIntLike | ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return [];
  if (checker.isArrayType(type) || checker.isTupleType(type)) {
    return checker.getTypeArguments(type as ts.TypeReference).flatMap((t) => recordMembersOf(t, checker, depth + 1));
  }
  const name = type.getSymbol()?.getName();
  if (name === 'Promise' || name === 'PromiseLike') {
    return checker.getTypeArguments(type as ts.TypeReference).flatMap((t) => recordMembersOf(t, checker, depth + 1));
  }
  if (!(type.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection)) || type.getCallSignatures().length > 0) return [];
  const properties = checker.getPropertiesOfType(type);
  return properties.length > 200 ? [] : properties;
}

function projectDeclarationKeys(symbol: ts.Symbol): string[] {
  const keys: string[] = [];
  for (const declaration of symbol.getDeclarations() ?? []) {
    if (!isProjectSourceFile(declaration.getSourceFile())) continue;
    const name = ts.getNameOfDeclaration(declaration);
    if (name) keys.push(declarationKey(name));
  }
  return keys;
}
