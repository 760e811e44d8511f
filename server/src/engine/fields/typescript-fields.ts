// Finds the health-data fields declared in TypeScript (interface, class and type-literal members, Zod and ORM schema keys).
import { ts } from '../program/compiler';
import type { TypeClassifier } from '../classify/types';
import type { ClassificationReason, FieldDeclaration, FieldOrigin, HealthCategory, SourceLocation } from '../model';
import { overrideFor, type FieldOverrides } from './overrides';

/** A declared field, health data or not: the read-to-field mapping needs the declarations whatever their classification. */
export interface TypeScriptField {
  declaration: FieldDeclaration;
  /** Undefined when the classifier (and no override) calls it health data. */
  classification?: { categories: HealthCategory[]; reason: ClassificationReason };
  /** `@notHealthData` or `notHealthFields`: never health data, whatever a read of it looked like. */
  overriddenNotHealth?: boolean;
  /** Declared with a type parameter of its holder (`results: T[]`): what it holds depends on the use. */
  genericType?: boolean;
}

/** The identity of a field declaration: its file and the position of its name (two programs see the same key). */
export function declarationKey(node: ts.Node): string {
  const sf = node.getSourceFile();
  return `${sf.fileName}:${node.getStart(sf)}`;
}

export function locationOfNode(node: ts.Node): SourceLocation {
  const sf = node.getSourceFile();
  const start = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  const end = sf.getLineAndCharacterOfPosition(node.getEnd());
  return { file: sf.fileName, line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
}

/** Every field declared in the file, keyed by `declarationKey` of its name. */
export function declaredFields(sf: ts.SourceFile, checker: ts.TypeChecker, types: TypeClassifier, overrides: FieldOverrides): Map<string, TypeScriptField> {
  const fields = new Map<string, TypeScriptField>();
  const exportedNames = exportedNamesOf(sf, checker);

  const addMembers = (holder: ts.Node, nameNode: ts.Node, container: string, origin: FieldOrigin, exported: boolean) => {
    const type = checker.getTypeAtLocation(nameNode);
    const properties = checker.getPropertiesOfType(type);
    if (properties.length > 200) return;
    const siblings = properties.map((p) => p.getName());
    for (const property of properties) {
      // Inherited members are declared (and listed) in their own type.
      const declaration = property.getDeclarations()?.find((d) => d.pos >= holder.pos && d.end <= holder.end);
      const name = declaration && ts.getNameOfDeclaration(declaration);
      if (!declaration || !name || isBehaviour(declaration)) continue;
      const override = overrideFor(overrides, container, property.getName(), declaration);
      let classification: TypeScriptField['classification'];
      if (override?.kind === 'health') classification = { categories: override.categories, reason: override.reason };
      else if (!override) {
        const found = types.classifyProperty(type, property, container, siblings);
        if (found) classification = { categories: found.categories, reason: found.reason };
      }
      fields.set(declarationKey(name), {
        declaration: { origin, container, field: property.getName(), location: locationOfNode(name), exported },
        ...(classification && { classification }),
        ...(override?.kind === 'not' && { overriddenNotHealth: true }),
        ...(usesTypeParameter(declaration, holder) && { genericType: true }),
      });
    }
  };

  const visit = (node: ts.Node): void => {
    if ((ts.isInterfaceDeclaration(node) || ts.isClassDeclaration(node)) && node.name) {
      addMembers(node, node.name, node.name.text, 'typescript', exportedNames.has(node.name.text));
    } else if (ts.isTypeAliasDeclaration(node) && containsTypeLiteral(node.type)) {
      addMembers(node, node.name, node.name.text, 'typescript', exportedNames.has(node.name.text));
    } else if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const schema = schemaObjectOf(node);
      if (schema) {
        const holder = holderNameOf(node);
        addMembers(schema.literal, schema.literal, holder ?? schema.fallbackName, schema.origin, holder !== undefined && exportedNames.has(holder));
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return fields;
}

/** Methods and function-valued members are behaviour, not fields: `FhirRepository.conditionsOf` holds no data. */
function isBehaviour(declaration: ts.Declaration): boolean {
  if (ts.isMethodDeclaration(declaration) || ts.isMethodSignature(declaration) || ts.isConstructorDeclaration(declaration) || ts.isSetAccessorDeclaration(declaration)) return true;
  if (ts.isPropertyDeclaration(declaration) || ts.isPropertySignature(declaration) || ts.isPropertyAssignment(declaration)) {
    const type = ts.isPropertyAssignment(declaration) ? undefined : declaration.type;
    if (type && ts.isFunctionTypeNode(type)) return true;
    const initializer = ts.isPropertySignature(declaration) ? undefined : declaration.initializer;
    if (initializer && (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer))) return true;
  }
  return false;
}

function usesTypeParameter(declaration: ts.Declaration, holder: ts.Node): boolean {
  const parameters = (ts.isInterfaceDeclaration(holder) || ts.isClassDeclaration(holder) || ts.isTypeAliasDeclaration(holder) ? holder.typeParameters : undefined) ?? [];
  const typeNode = (declaration as { type?: ts.TypeNode }).type;
  if (parameters.length === 0 || !typeNode) return false;
  const names = new Set(parameters.map((p) => p.name.text));
  let found = false;
  const visit = (node: ts.Node): void => {
    if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName) && names.has(node.typeName.text)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(typeNode);
  return found;
}

function containsTypeLiteral(node: ts.TypeNode): boolean {
  if (ts.isTypeLiteralNode(node)) return true;
  if (ts.isIntersectionTypeNode(node) || ts.isUnionTypeNode(node)) return node.types.some(containsTypeLiteral);
  return false;
}

/** `z.object({...})` (Zod), `new Schema({...})` (Mongoose), `sequelize.define('Name', {...})` / `Model.init({...})` (Sequelize). */
function schemaObjectOf(node: ts.CallExpression | ts.NewExpression): { literal: ts.ObjectLiteralExpression; origin: FieldOrigin; fallbackName: string } | undefined {
  const callee = node.expression;
  const calleeName = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
  const args = node.arguments ?? ts.factory.createNodeArray<ts.Expression>();
  if (ts.isCallExpression(node) && calleeName === 'object' && ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'z') {
    const literal = args[0];
    return literal && ts.isObjectLiteralExpression(literal) ? { literal, origin: 'zod', fallbackName: 'z.object' } : undefined;
  }
  if (ts.isNewExpression(node) && calleeName === 'Schema') {
    const literal = args[0];
    return literal && ts.isObjectLiteralExpression(literal) ? { literal, origin: 'orm', fallbackName: 'Schema' } : undefined;
  }
  if (ts.isCallExpression(node) && calleeName === 'define' && args.length >= 2 && ts.isStringLiteralLike(args[0]) && ts.isObjectLiteralExpression(args[1])) {
    return { literal: args[1], origin: 'orm', fallbackName: args[0].text };
  }
  return undefined;
}

/** The variable a schema is assigned to (`export const moodEntryInput = z.object(...)`), through method chains. */
function holderNameOf(node: ts.Node): string | undefined {
  let current: ts.Node = node;
  while (current.parent && (ts.isPropertyAccessExpression(current.parent) || ts.isCallExpression(current.parent) || ts.isNewExpression(current.parent))) {
    current = current.parent;
  }
  const parent = current.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isCallExpression(parent) && ts.isPropertyAccessExpression(parent.expression) && parent.expression.name.text === 'model') {
    const first = parent.arguments[0];
    if (first && ts.isStringLiteralLike(first)) return first.text; // mongoose.model('Patient', schema)
  }
  return undefined;
}

/** Names the module exports (`export interface`, `export { X }`, `export default class X`). */
function exportedNamesOf(sf: ts.SourceFile, checker: ts.TypeChecker): Set<string> {
  const names = new Set<string>();
  const moduleSymbol = checker.getSymbolAtLocation(sf);
  if (moduleSymbol) {
    for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      names.add(symbol.getName());
      names.add(target.getName());
    }
  }
  return names;
}
