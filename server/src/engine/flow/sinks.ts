// Matches calls and assignments against the sink catalogue (and configured sinks), and decides recipients.
import { ts } from '../program/compiler';
import type { HealthDataLintConfig } from '../config';
import type { SinkDescription } from '../model';
import { NAME_ONLY_LOG_RECEIVERS, PSEUDONYMISERS, SINKS, THIRD_PARTY_HOSTS, type SinkEntry } from '../sinks/catalogue';
import { calleePath, fieldInitializer, importedModule, type LibraryCallee } from './callee';
import type { Value } from './values';

export interface SinkMatch {
  description: SinkDescription;
  dataArgs?: number[];
  receiverIsData?: boolean;
}

const RECEIVER_DATA = /^(writeFile|writeBuffer|write|done|end)$/;

function normaliseModule(module: string | undefined): string | undefined {
  return module?.replace(/^node:/, '');
}

/** `module` and `receiverModule`: the callee's, without `node:` (worked out once per call, not once per entry). */
function entryMatches(entry: SinkEntry, callee: LibraryCallee, module: string | undefined, receiverModule: string | undefined): 'symbol' | 'name' | undefined {
  if (!entry.members.test(callee.name)) return undefined;
  if (callee.resolved && module) {
    const declaredHere = entry.modules.test(module) || entry.modules.test(callee.module!);
    const receiverHere = !!receiverModule && entry.modules.test(receiverModule);
    if (!declaredHere && !receiverHere) return undefined;
    // Declared in the entry's package: its declaring interface decides; inherited: the receiver's type does.
    const container = declaredHere ? callee.container : callee.receiverType;
    if (entry.containers && container && !entry.containers.test(container)) return undefined;
    return 'symbol';
  }
  if (module) return entry.modules.test(module) || entry.modules.test(callee.module!) ? 'name' : undefined;
  // No types and no import: the receiver's name decides (`res.json`, `logger.info`).
  // `res.status(200).json(...)`: the chain's root names the receiver too.
  const receivers = entry.receivers;
  if (receivers && ((callee.receiverName && receivers.test(callee.receiverName)) || (callee.path[0] && receivers.test(callee.path[0])))) return 'name';
  return undefined;
}

export function matchCallSink(
  node: ts.CallExpression,
  callee: LibraryCallee,
  checker: ts.TypeChecker,
  config: HealthDataLintConfig,
  sourceFile: ts.SourceFile,
): SinkMatch | undefined {
  for (const extra of config.sinks ?? []) {
    const [owner, member] = extra.name.includes('.') ? extra.name.split('.') : [undefined, extra.name];
    if (member !== callee.name) continue;
    if (owner && !callee.path.includes(owner) && callee.container !== owner) continue;
    if (extra.module && normaliseModule(callee.module) !== normaliseModule(extra.module)) continue;
    return {
      description: { kind: extra.kind, label: `configured sink ${extra.name}`, recipient: extra.recipient, matchedBy: callee.resolved ? 'symbol' : 'name' },
      dataArgs: extra.argument !== undefined ? [extra.argument] : undefined,
    };
  }
  const module = normaliseModule(callee.module);
  const receiverModule = normaliseModule(callee.receiverModule);
  for (const entry of SINKS) {
    const how = entryMatches(entry, callee, module, receiverModule);
    if (!how) continue;
    let description: SinkDescription = { kind: entry.kind, label: entry.label, recipient: entry.recipient, matchedBy: how };
    if (entry.urlArg !== undefined) {
      const decided = decideRequest(node, entry.urlArg, callee, checker, config, sourceFile);
      if (decided === 'internal') return undefined;
      description = { ...description, ...decided };
    }
    return { description, dataArgs: entry.dataArgs, receiverIsData: RECEIVER_DATA.test(callee.name) && !entry.dataArgs };
  }
  // Loggers recognised by name when nothing else is known (`this.logger.info` on an untyped field).
  // `this.logger.info`, `request.log.child({...}).info`: a logger somewhere on the receiver chain.
  if ((!callee.module || callee.module.startsWith('.')) && /^(log|info|warn|error|debug|trace|fatal|verbose)$/.test(callee.name) && loggerOnChain(callee.path)) {
    const root = calleePath(node.expression)[0];
    if (root === 'this' || !callee.resolved) return { description: { kind: 'log', label: 'logger', matchedBy: 'name' } };
  }
  return undefined;
}

/** A logger among the receivers of the chain (`path` without the method). */
function loggerOnChain(path: readonly string[]): boolean {
  for (let i = 0; i < path.length - 1; i++) if (NAME_ONLY_LOG_RECEIVERS.test(path[i]!)) return true;
  return false;
}

/** Where an outbound request goes: internal (own backend), a known third party, or a host. */
function decideRequest(
  node: ts.CallExpression,
  urlArg: number,
  callee: LibraryCallee,
  checker: ts.TypeChecker,
  config: HealthDataLintConfig,
  sourceFile: ts.SourceFile,
): 'internal' | Partial<SinkDescription> {
  const argument = node.arguments[urlArg];
  let url = argument ? constantPrefix(argument, checker) : undefined;
  // axios instances: `axios.create({ baseURL })` gives relative URLs their origin.
  if ((url === undefined || url.startsWith('/') || !/^[a-z][a-z0-9+.-]*:/i.test(url)) && callee.path.length >= 2) {
    const base = instanceBaseUrl(node, checker);
    if (base !== undefined) url = joinUrl(base, url ?? '');
    // An instance of a client whose base we cannot see (`this.http.post('/submissions')`): in server code, it goes out.
    else if (isInstanceCall(callee) && !isBrowserFile(sourceFile)) return {};
  }
  if (url === undefined) {
    // Unknown destination: in browser code, the application's own backend is the usual target.
    return isBrowserFile(sourceFile) ? 'internal' : {};
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return 'internal'; // relative: the app's own backend
  for (const origin of config.ownOrigins ?? []) if (url.startsWith(origin)) return 'internal';
  for (const [name, prefixes] of Object.entries(config.recipients ?? {})) {
    if (prefixes.some((p) => url!.startsWith(p))) return { recipient: name };
  }
  let host: string | undefined;
  try {
    host = new URL(url.replace(/\$\{[^}]*\}/g, 'x')).host;
  } catch {
    return {};
  }
  for (const known of THIRD_PARTY_HOSTS) {
    if (known.host.test(host)) return { kind: 'third-party', recipient: known.recipient, label: `request to ${known.recipient} (${host})` };
  }
  // An analytics or tracking collector is a third party even when we do not know its vendor.
  if (/(^|\.)(analytics|tracking|tracker|telemetry|collect|collector|beacon|stats)\./.test(host)) {
    return { kind: 'third-party', recipient: host, label: `request to an analytics collector (${host})` };
  }
  return { recipient: host };
}

function isBrowserFile(sourceFile: ts.SourceFile): boolean {
  const file = sourceFile.fileName.replace(/\\/g, '/');
  if (/\/(api|server|routes|jobs|workers?)\//.test(file) || /\/route\.[jt]sx?$/.test(file)) return false;
  if (/\.(tsx|jsx)$/.test(file) || /\/(web|client|frontend|browser|components|hooks|public|ui)\//.test(file)) return true;
  return /^\s*['"]use client['"]/.test(sourceFile.text);
}

/** The constant start of a URL expression: literals, templates, concatenations, constants. */
export function constantPrefix(e: ts.Expression, checker: ts.TypeChecker, depth = 0): string | undefined {
  if (depth > 5) return undefined;
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e)) e = e.expression;
  if (ts.isStringLiteralLike(e)) return e.text;
  if (ts.isTemplateExpression(e)) {
    if (e.head.text) return e.head.text;
    const first = constantPrefix(e.templateSpans[0].expression, checker, depth + 1);
    return first !== undefined ? first + '${}' + e.templateSpans[0].literal.text : undefined;
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) return constantPrefix(e.left, checker, depth + 1);
  if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'URL' && e.arguments?.length) {
    if (e.arguments.length > 1) {
      const base = constantPrefix(e.arguments[1], checker, depth + 1);
      if (base) return base;
    }
    return constantPrefix(e.arguments[0], checker, depth + 1);
  }
  if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) {
    let symbol = checker.getSymbolAtLocation(ts.isPropertyAccessExpression(e) ? e.name : e);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    const d = symbol?.valueDeclaration;
    if (d && (ts.isVariableDeclaration(d) || ts.isPropertyAssignment(d) || ts.isPropertyDeclaration(d) || ts.isParameter(d)) && d.initializer) {
      return constantPrefix(d.initializer, checker, depth + 1);
    }
    if (ts.isPropertyAccessExpression(e) && e.name.text === 'toString') return undefined;
  }
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'toString') return constantPrefix(e.expression.expression, checker, depth + 1);
  return undefined;
}

function joinUrl(base: string, path: string): string {
  if (!path) return base;
  return base.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, '');
}

/** A call on an object other than the library's default export (`client.post`, `this.http.post`). */
function isInstanceCall(callee: LibraryCallee): boolean {
  return !!callee.receiverName && !/^(axios|got|undici|superagent|http|https)$/.test(callee.receiverName);
}

function instanceBaseUrl(node: ts.CallExpression, checker: ts.TypeChecker): string | undefined {
  const callee = node.expression;
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const receiver: ts.Expression = callee.expression;
  let symbol = checker.getSymbolAtLocation(ts.isPropertyAccessExpression(receiver) ? receiver.name : receiver);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const d = symbol?.valueDeclaration;
  const initializer = d && fieldInitializer(d);
  if (!initializer) return undefined;
  let init: ts.Expression = initializer;
  while (ts.isParenthesizedExpression(init) || ts.isAsExpression(init) || ts.isAwaitExpression(init)) init = init.expression;
  if (!ts.isCallExpression(init) || !/(create|extend)$/.test(init.expression.getText())) return undefined;
  const options = init.arguments[0];
  if (!options || !ts.isObjectLiteralExpression(options)) return undefined;
  for (const p of options.properties) {
    if (ts.isPropertyAssignment(p) && /^(baseURL|prefixUrl)$/.test(p.name.getText())) return constantPrefix(p.initializer, checker);
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === 'baseURL') {
      const value = checker.getShorthandAssignmentValueSymbol(p)?.valueDeclaration;
      return value && ts.isParameter(value) && value.initializer ? constantPrefix(value.initializer, checker) : undefined;
    }
  }
  return undefined;
}

/** Assignments that store or send: `localStorage.x = v`, `document.cookie = v`, `location.href = v`, koa `ctx.body = v`. */
export function matchAssignmentSink(target: ts.Expression, checker: ts.TypeChecker): SinkDescription | undefined {
  const path = calleePath(target);
  if (path.length === 0) return undefined;
  const root = path[0] === 'window' || path[0] === 'globalThis' || path[0] === 'self' ? path.slice(1) : path;
  const rootIdentifier = firstIdentifier(target);
  const isGlobal = rootIdentifier ? importedModule(rootIdentifier, checker) === 'global' || !checker.getSymbolAtLocation(rootIdentifier)?.valueDeclaration || isLibDeclared(rootIdentifier, checker) : false;
  if (isGlobal) {
    if ((root[0] === 'localStorage' || root[0] === 'sessionStorage') && root.length >= 2) return { kind: 'browser', label: root[0], matchedBy: 'symbol' };
    if (root[0] === 'document' && root[1] === 'cookie') return { kind: 'browser', label: 'cookie (document.cookie)', matchedBy: 'symbol' };
    if (root[0] === 'location' && (root.length === 1 || /^(href|search|hash|pathname)$/.test(root[1]))) return { kind: 'browser', label: 'URL (browser navigation)', matchedBy: 'symbol' };
  }
  if (path.length >= 2 && path[path.length - 1] === 'body' && /^(ctx|context)$/.test(path[0]) && (path.length === 2 || path[1] === 'response')) {
    return { kind: 'export', label: 'HTTP response (koa ctx.body)', matchedBy: checker.getSymbolAtLocation(rootIdentifier!)?.valueDeclaration ? 'symbol' : 'name' };
  }
  return undefined;
}

function isLibDeclared(identifier: ts.Identifier, checker: ts.TypeChecker): boolean {
  const d = checker.getSymbolAtLocation(identifier)?.valueDeclaration;
  return !!d && d.getSourceFile().isDeclarationFile;
}

function firstIdentifier(e: ts.Expression): ts.Identifier | undefined {
  while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) e = e.expression;
  return ts.isIdentifier(e) ? e : undefined;
}

/** Built-in pseudonymisers: hashing, encryption, stable UUIDs, JWTs (and the hasher objects they return). */
export function matchPseudonymiser(callee: LibraryCallee, receiver: Value): string | undefined {
  const module = normaliseModule(callee.module);
  for (const p of PSEUDONYMISERS) {
    if (p.members.test(callee.name) && module && (p.modules.test(module) || p.modules.test(callee.module!))) return p.label;
  }
  if (!module && /^(createHash|createHmac|createCipheriv)$/.test(callee.name)) return 'hashed or encrypted with crypto';
  if (/^(digest|encrypt)$/.test(callee.name) && callee.path.includes('subtle')) return 'hashed or encrypted with Web Crypto (subtle)';
  // `.update(x).digest('hex')` on a hasher object.
  if (receiver.pseudonyms.length > 0 && /^(update|digest|final)$/.test(callee.name)) return receiver.pseudonyms[0].description;
  return undefined;
}
