// Describes what a call calls: a project function (with a body to summarise) or a library member, by symbol
// when types resolve and by import specifier and names when they do not.
import { ts, moduleOfDeclaration, isProjectSourceFile } from '../program/compiler';

export interface LibraryCallee {
  kind: 'library';
  /** Module of the declaration, or of the import the callee's root identifier comes from ('global' for globals). */
  module?: string;
  /** The called member or function name (`post`, `json`, `log`). */
  name: string;
  /** Interface or class that declares the member (`Response`, `Console`), when resolved. */
  container?: string;
  /** Identifier names along the callee (`['res', 'status', 'json']`, `['prisma', 'patient', 'findMany']`). */
  path: string[];
  /** The receiver's own name (`logger` in `this.logger.info`). */
  receiverName?: string;
  /**
   * The package and type of the receiver, when the method is inherited from elsewhere: the AWS SDK's
   * `S3Client#send` is declared in `@smithy/smithy-client`, but the receiver is an `@aws-sdk/client-s3` type.
   */
  receiverModule?: string;
  receiverType?: string;
  resolved: boolean;
}

export interface ProjectCallee {
  kind: 'project';
  declaration: ts.FunctionLikeDeclaration;
  name: string;
}

export type Callee = LibraryCallee | ProjectCallee;

const GLOBALS = new Set([
  'console', 'localStorage', 'sessionStorage', 'document', 'window', 'history', 'location', 'navigator',
  'fetch', 'indexedDB', 'gtag', 'postMessage', 'self', 'globalThis', 'crypto', 'Response', 'JSON', 'Object',
  'Promise', 'Array', 'Math', 'Number', 'String', 'Buffer', 'dataLayer', 'structuredClone', 'process',
]);

export function calleeName(expression: ts.Expression): string {
  if (ts.isPropertyAccessExpression(expression)) return expression.name.text;
  if (ts.isElementAccessExpression(expression) && ts.isStringLiteralLike(expression.argumentExpression)) return expression.argumentExpression.text;
  if (ts.isIdentifier(expression)) return expression.text;
  return '';
}

/** Identifier names along a callee, through calls and `this` (`this.logger.info` -> ['this','logger','info']). */
export function calleePath(expression: ts.Expression): string[] {
  const out: string[] = [];
  let e: ts.Expression = expression;
  for (let i = 0; i < 12; i++) {
    if (ts.isPropertyAccessExpression(e)) {
      out.unshift(e.name.text);
      e = e.expression;
    } else if (ts.isElementAccessExpression(e)) {
      out.unshift(ts.isStringLiteralLike(e.argumentExpression) ? e.argumentExpression.text : '[]');
      e = e.expression;
    } else if (ts.isCallExpression(e) || ts.isNonNullExpression(e) || ts.isParenthesizedExpression(e) || ts.isAsExpression(e)) {
      e = ts.isCallExpression(e) ? e.expression : e.expression;
    } else if (ts.isAwaitExpression(e)) {
      e = e.expression;
    } else if (ts.isNewExpression(e)) {
      e = e.expression;
    } else break;
  }
  if (ts.isIdentifier(e)) out.unshift(e.text);
  else if (e.kind === ts.SyntaxKind.ThisKeyword) out.unshift('this');
  return out;
}

function rootIdentifier(expression: ts.Expression): ts.Identifier | undefined {
  let e: ts.Expression = expression;
  for (let i = 0; i < 12; i++) {
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isNonNullExpression(e) || ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isAwaitExpression(e)) e = e.expression;
    else if (ts.isCallExpression(e) || ts.isNewExpression(e)) e = e.expression;
    else break;
  }
  return ts.isIdentifier(e) ? e : undefined;
}

/** The module an identifier was imported or required from, read from the syntax (works without types). */
export function importedModule(identifier: ts.Identifier, checker: ts.TypeChecker, depth = 0): string | undefined {
  let symbol = checker.getSymbolAtLocation(identifier);
  // Imported from a project file (`import { logger } from '../lib'`): follow it to the project's own declaration.
  if (symbol && symbol.flags & ts.SymbolFlags.Alias && depth < 4) {
    const target = safeAliased(symbol, checker);
    const declaration = target?.valueDeclaration;
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && !declaration.getSourceFile().isDeclarationFile) {
      const required = requiredModule(declaration.initializer);
      if (required) return required;
      const root = rootIdentifier(skipWrappers(declaration.initializer));
      if (root) return importedModule(root, checker, depth + 1);
    }
  }
  const declaration = symbol?.declarations?.[0];
  if (!declaration) return GLOBALS.has(identifier.text) ? 'global' : undefined;
  // A callback's parameter comes from the library that calls it: `Sentry.withScope((scope) => scope.setContext(...))`.
  if (ts.isParameter(declaration) && (ts.isArrowFunction(declaration.parent) || ts.isFunctionExpression(declaration.parent)) && depth < 4) {
    const call = declaration.parent.parent;
    if (call && ts.isCallExpression(call) && call.arguments.includes(declaration.parent as ts.Expression)) {
      const root = rootIdentifier(call.expression);
      return root ? importedModule(root, checker, depth + 1) : undefined;
    }
  }
  for (let n: ts.Node | undefined = declaration; n; n = n.parent) {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) return n.moduleSpecifier.text;
    if (ts.isImportEqualsDeclaration(n) && ts.isExternalModuleReference(n.moduleReference) && ts.isStringLiteral(n.moduleReference.expression)) return n.moduleReference.expression.text;
    if (ts.isVariableDeclaration(n) && n.initializer) {
      const required = requiredModule(n.initializer);
      if (required) return required;
      // `const log = debug('app')`, `const logger = pino()`, `const client = axios.create()`: the factory's module.
      const init = skipWrappers(n.initializer);
      if ((ts.isCallExpression(init) || ts.isNewExpression(init) || ts.isPropertyAccessExpression(init)) && n.getSourceFile() === identifier.getSourceFile()) {
        const root = rootIdentifier(init);
        if (root && root !== identifier && root.text !== identifier.text && depth < 4) return importedModule(root, checker, depth + 1);
      }
      return undefined;
    }
    if (ts.isSourceFile(n) || ts.isFunctionLike(n)) break;
  }
  return undefined;
}

function safeAliased(symbol: ts.Symbol, checker: ts.TypeChecker): ts.Symbol | undefined {
  try {
    return checker.getAliasedSymbol(symbol);
  } catch {
    return undefined;
  }
}

function skipWrappers(e: ts.Expression): ts.Expression {
  while (ts.isAwaitExpression(e) || ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
  return e;
}

function requiredModule(e: ts.Expression): string | undefined {
  e = skipWrappers(e);
  if (ts.isPropertyAccessExpression(e)) return requiredModule(e.expression);
  if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'require' && e.arguments[0] && ts.isStringLiteralLike(e.arguments[0])) {
    return e.arguments[0].text;
  }
  if (ts.isCallExpression(e) && e.expression.kind === ts.SyntaxKind.ImportKeyword && e.arguments[0] && ts.isStringLiteralLike(e.arguments[0])) return e.arguments[0].text;
  return undefined;
}

function hasBody(d: ts.Declaration): d is ts.FunctionLikeDeclaration {
  return (ts.isFunctionDeclaration(d) || ts.isMethodDeclaration(d) || ts.isArrowFunction(d) || ts.isFunctionExpression(d) || ts.isGetAccessorDeclaration(d) || ts.isConstructorDeclaration(d)) && !!d.body;
}

/** A project function behind a declaration: itself, or the function a variable/property is initialised with. */
export function projectFunctionOf(declaration: ts.Declaration | undefined): ts.FunctionLikeDeclaration | undefined {
  if (!declaration || !isProjectSourceFile(declaration.getSourceFile())) return undefined;
  if (hasBody(declaration)) return declaration;
  if ((ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration) || ts.isPropertyAssignment(declaration)) && declaration.initializer) {
    const init = skipWrappers(declaration.initializer);
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
  }
  return undefined;
}

function containerName(declaration: ts.Declaration): string | undefined {
  const parent = declaration.parent;
  if (parent && (ts.isInterfaceDeclaration(parent) || ts.isClassDeclaration(parent) || ts.isTypeLiteralNode(parent)) ) {
    if (ts.isTypeLiteralNode(parent)) {
      const alias = parent.parent;
      return alias && ts.isTypeAliasDeclaration(alias) ? alias.name.text : undefined;
    }
    return parent.name?.text;
  }
  if (parent && ts.isModuleBlock(parent)) return undefined;
  if (ts.isVariableDeclaration(declaration) && declaration.type && ts.isTypeReferenceNode(declaration.type)) return declaration.type.typeName.getText();
  return undefined;
}

export function describeCallee(call: ts.CallExpression | ts.NewExpression, checker: ts.TypeChecker, calleeExpression?: ts.Expression, depth = 0): Callee {
  const expression = calleeExpression ?? call.expression;
  const name = importedName(expression, checker) ?? calleeName(expression);
  const path = calleePath(expression);
  const receiverName = path.length >= 2 ? path[path.length - 2] : undefined;

  let symbol = checker.getSymbolAtLocation(ts.isPropertyAccessExpression(expression) ? expression.name : expression);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  let declarations = symbol?.declarations ?? [];
  if (declarations.length === 0 && ts.isCallExpression(call) && !calleeExpression) {
    const signature = checker.getResolvedSignature(call);
    if (signature?.declaration) declarations = [signature.declaration];
  }
  // A project function (declaration with a body in the analysed project).
  for (const d of declarations) {
    const fn = projectFunctionOf(d);
    if (fn) return { kind: 'project', declaration: fn, name: name || symbol?.getName() || 'function' };
  }
  // A project variable holding a library function: `const print = cond ? console.error : console.log`,
  // `const debug = createDebug('app')`. Follow the reference, or ask the variable's type where it comes from.
  const alias = declarations.find((d): d is ts.VariableDeclaration => ts.isVariableDeclaration(d) && !!d.initializer && isProjectSourceFile(d.getSourceFile()));
  if (alias && depth < 3) {
    const target = referencedFunction(alias.initializer!);
    if (target) {
      const described = describeCallee(call, checker, target, depth + 1);
      return described.kind === 'library' ? { ...described, path, receiverName } : described;
    }
    const type = checker.getTypeAtLocation(expression);
    const typeSymbol = type.aliasSymbol ?? type.getSymbol();
    const typeDeclaration = typeSymbol?.declarations?.[0];
    if (typeDeclaration && !isProjectSourceFile(typeDeclaration.getSourceFile()) || typeDeclaration?.getSourceFile().isDeclarationFile) {
      const module = moduleOfDeclaration(typeDeclaration!);
      if (module && module !== 'lib') return { kind: 'library', module, name, container: typeSymbol!.getName(), path, receiverName, resolved: true };
    }
  }
  // A library declaration: its module and declaring container.
  const libraryDeclaration = declarations.find((d) => !isProjectSourceFile(d.getSourceFile()) || d.getSourceFile().isDeclarationFile);
  if (libraryDeclaration) {
    let module = moduleOfDeclaration(libraryDeclaration);
    let container = containerName(libraryDeclaration);
    // A call of a variable or property whose type is callable (`log = debug('x')`): the type's declaration says.
    if (ts.isVariableDeclaration(libraryDeclaration) || ts.isPropertySignature(libraryDeclaration) || ts.isPropertyDeclaration(libraryDeclaration)) {
      const type = checker.getTypeOfSymbolAtLocation(symbol!, libraryDeclaration);
      const typeDeclaration = (type.aliasSymbol ?? type.getSymbol())?.declarations?.[0];
      if (typeDeclaration) {
        module = moduleOfDeclaration(typeDeclaration) ?? module;
        container = container ?? (type.aliasSymbol ?? type.getSymbol())?.getName();
      }
    }
    if (module === 'node' || module === undefined) module = fallbackModule(expression, checker) ?? module;
    if (module === 'lib' && isGlobalRoot(expression, checker)) module = 'global';
    return { kind: 'library', module, name, container, path, receiverName, ...receiverTypeOf(expression, checker), resolved: true };
  }
  return { kind: 'library', module: fallbackModule(expression, checker), name, path, receiverName, resolved: false };
}

/** `import { v5 as uuidv5 } from 'uuid'`: the library's own name for the function, not the local alias. */
function importedName(expression: ts.Expression, checker: ts.TypeChecker): string | undefined {
  if (!ts.isIdentifier(expression)) return undefined;
  const declaration = checker.getSymbolAtLocation(expression)?.declarations?.[0];
  return declaration && ts.isImportSpecifier(declaration) ? (declaration.propertyName ?? declaration.name).text : undefined;
}

/** The function a variable is initialised with, when it is a reference (`console.log`, `a ? f : g`, `f.bind(x)`). */
function referencedFunction(initializer: ts.Expression): ts.Expression | undefined {
  let e = skipWrappers(initializer);
  if (ts.isConditionalExpression(e)) e = skipWrappers(e.whenTrue);
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'bind') e = skipWrappers(e.expression.expression);
  return ts.isPropertyAccessExpression(e) ? e : undefined;
}

function receiverTypeOf(expression: ts.Expression, checker: ts.TypeChecker): { receiverModule?: string; receiverType?: string } {
  if (!ts.isPropertyAccessExpression(expression)) return {};
  const type = checker.getTypeAtLocation(expression.expression);
  const symbol = type.aliasSymbol ?? type.getSymbol();
  const declaration = symbol?.declarations?.[0];
  if (!declaration || isProjectSourceFile(declaration.getSourceFile()) && !declaration.getSourceFile().isDeclarationFile) return {};
  return { receiverModule: moduleOfDeclaration(declaration), receiverType: symbol!.getName() };
}

function isGlobalRoot(expression: ts.Expression, checker: ts.TypeChecker): boolean {
  const root = rootIdentifier(expression);
  return !!root && importedModule(root, checker) === 'global';
}

function fallbackModule(expression: ts.Expression, checker: ts.TypeChecker): string | undefined {
  const root = rootIdentifier(expression);
  if (root) return importedModule(root, checker);
  // `this.client.messages.create(...)`: the field was created from a package (`twilio(...)`, `new OpenAI()`).
  const field = thisField(expression);
  const initializer = field && fieldInitializer(field);
  const initRoot = initializer && rootIdentifier(skipWrappers(initializer));
  if (initRoot) return importedModule(initRoot, checker);
  // Injected (`@InjectQueue('x') private queue: Queue` with `import type { Queue } from 'bull'`): the type's import.
  const typeName = field?.type && ts.isTypeReferenceNode(field.type) ? field.type.typeName : undefined;
  const typeRoot = typeName && (ts.isIdentifier(typeName) ? typeName : ts.isIdentifier(typeName.left) ? typeName.left : undefined);
  return typeRoot ? importedModule(typeRoot, checker) : undefined;
}

/** The class field a `this.field...` chain starts with. */
function thisField(expression: ts.Expression): ts.PropertyDeclaration | ts.ParameterDeclaration | undefined {
  let e: ts.Expression = expression;
  let name: string | undefined;
  while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isCallExpression(e) || ts.isNonNullExpression(e) || ts.isParenthesizedExpression(e)) {
    if (ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword) name = e.name.text;
    e = ts.isCallExpression(e) ? e.expression : e.expression;
  }
  if (e.kind !== ts.SyntaxKind.ThisKeyword || !name) return undefined;
  let cls: ts.Node | undefined = e;
  while (cls && !ts.isClassLike(cls)) cls = cls.parent;
  if (!cls) return undefined;
  for (const member of cls.members) {
    if (ts.isPropertyDeclaration(member) && member.name.getText() === name) return member;
    if (ts.isConstructorDeclaration(member)) {
      const parameter = member.parameters.find((p) => p.name.getText() === name && ts.getModifiers(p)?.length);
      if (parameter) return parameter;
    }
  }
  return undefined;
}

/** The initialiser of a field: on its declaration, or `this.field = ...` in the constructor. */
export function fieldInitializer(declaration: ts.Declaration): ts.Expression | undefined {
  if ((ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration) || ts.isParameter(declaration)) && declaration.initializer) return declaration.initializer;
  if (!ts.isPropertyDeclaration(declaration) || !ts.isClassLike(declaration.parent)) return undefined;
  const name = declaration.name.getText();
  for (const member of declaration.parent.members) {
    if (!ts.isConstructorDeclaration(member) || !member.body) continue;
    for (const statement of member.body.statements) {
      if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression)) continue;
      const { left, right, operatorToken } = statement.expression;
      if (operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword && left.name.text === name) return right;
    }
  }
  return undefined;
}

/** Project function-like declarations a callee may refer to when passed as a value (`rows.map(toDto)`). */
export function projectFunctionOfExpression(expression: ts.Expression, checker: ts.TypeChecker): ts.FunctionLikeDeclaration | undefined {
  let symbol = checker.getSymbolAtLocation(ts.isPropertyAccessExpression(expression) ? expression.name : expression);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  for (const d of symbol?.declarations ?? []) {
    const fn = projectFunctionOf(d);
    if (fn) return fn;
  }
  return undefined;
}
