// linkable-anonymisation: checks what a declared anonymiser returns; a stable identifier or exact quasi-identifiers
// next to health data leave singling out and linkability (Article 29 WP Opinion 05/2014; CNIL SAN-2024-013).
import { createHash } from 'node:crypto';
import { ts } from './program/compiler';
import type { Finding, RuleId, Severity } from './model';
import { classifyName } from './classify/names';
import type { TypeClassifier } from './classify/types';
import { flatten, type Value } from './flow/values';

const STABLE_IDENTIFIER = /^(id|_id|uuid|patientId|patient_id|patientUuid|patientRef|subjectId|subject|studyId|pseudoId|pseudonym|pid|personId|nir|ssn|mrn|ipp|ins|insNir|numeroSecu|medicalRecordNumber|hashedId|patientHash|idHash|token|key|matricule)$/i;
/** Exact values that, combined, single people out: dates, places, contact details, free text. */
const QUASI_IDENTIFIER = /(birth|naissance|dob$|^dob|postcode|postal|zip|codepostal|code_postal|address|adresse|street|date|_at$|[a-z]At$|timestamp|time$|death|deces|deces|^notes?$|freetext|free_text|comment|commentaire|^observations?$|narrative|phone|telephone|email|firstname|lastname|fullname|^name$|^nom$|^prenom$)/i;
/** Names that say the value was generalised: an age band, a year, a region. */
const GENERALISED_NAME = /(year|annee|month|mois|band|tranche|range|group|decade|region|department|departement|bucket|week|semaine|quarter|trimestre|count|nombre)/i;
/** Calls that keep a value exact (a copy, a format) rather than generalising it. */
const EXACT_CALL = /^(String|toISOString|toString|toJSON|trim|toUpperCase|toLowerCase|normalize|toLocaleDateString|toLocaleString|toDateString|format|structuredClone|JSON)$/;
/** Pseudonymisers in an anonymiser's output: the stable identifier survives, hashed or mapped. */
const PSEUDONYMISING_CALL = /^(createHash|createHmac|digest|hash|hashSync|hmac|sha1|sha256|sha512|md5|v5|v3|uuidv5|uuidv3|encrypt|sign|pseudonymi[sz]e|tokeni[sz]e)$/i;

interface KeptField {
  key: string;
  kind: 'identifier' | 'quasi';
}

export interface AnonymiserContext {
  checker: ts.TypeChecker;
  types: TypeClassifier;
  /** What the flow analysis says the anonymiser returns when given health data. */
  outputOf(fn: ts.FunctionLikeDeclaration): Value;
}

export function linkableAnonymisationFindings(anonymisers: ts.FunctionLikeDeclaration[], context: AnonymiserContext, severities: Record<RuleId, Severity>): Finding[] {
  const severity = severities['linkable-anonymisation'];
  if (severity === 'off') return [];
  const findings: Finding[] = [];
  for (const fn of anonymisers) {
    const output = context.outputOf(fn);
    const deleted = deletedKeys(fn);
    for (const returned of returnedExpressions(fn)) {
      const fields = returnedFields(returned, context.checker, deleted);
      const kept: KeptField[] = [];
      let health = false;
      for (const field of fields) {
        const flowValue = output.fields?.get(field.key);
        if (carriesHealth(flowValue) || classifyName(field.key) || field.health?.(context.types)) health = true;
        const kind = keptKind(field, flowValue);
        if (kind) kept.push({ key: field.key, kind });
      }
      if (health && kept.length > 0) findings.push(buildFinding(fn, returned, kept, severity));
    }
  }
  return findings;
}

interface ReturnedField {
  key: string;
  /** The expression written for it, when the object literal is visible. */
  initializer?: ts.Expression;
  /** Health classification through the field's declared type, when it comes from a type. */
  health?: (types: TypeClassifier) => boolean;
}

function carriesHealth(value: Value | undefined): boolean {
  return !!value && flatten(value).labels.some((l) => !l.anonymised && (!l.record || l.categories.some((c) => c !== 'patient-record')));
}

function keptKind(field: ReturnedField, flowValue: Value | undefined): KeptField['kind'] | undefined {
  const init = field.initializer && unwrap(field.initializer);
  if (init && isConstant(init)) return undefined;
  // A hash, an HMAC or a UUIDv5 of the identifier is still a stable identifier.
  if (init && pseudonymisingCall(init)) return 'identifier';
  if (flowValue && flatten(flowValue).pseudonyms.length > 0) return 'identifier';
  const source = init ? referencedName(init) : field.key;
  if (init && source === undefined) return undefined; // computed: a band, a count, a lookup
  const names = [field.key, source ?? field.key];
  if (names.some((n) => STABLE_IDENTIFIER.test(n))) return 'identifier';
  if (GENERALISED_NAME.test(field.key)) return undefined;
  if (names.some((n) => QUASI_IDENTIFIER.test(n) && !GENERALISED_NAME.test(n))) return 'quasi';
  return undefined;
}

function unwrap(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isAwaitExpression(e)) e = e.expression;
  return e;
}

function isConstant(e: ts.Expression): boolean {
  return ts.isStringLiteralLike(e) || ts.isNumericLiteral(e) || e.kind === ts.SyntaxKind.NullKeyword || e.kind === ts.SyntaxKind.UndefinedKeyword || e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword;
}

function calleeName(call: ts.CallExpression): string {
  const e = call.expression;
  return ts.isPropertyAccessExpression(e) ? e.name.text : ts.isIdentifier(e) ? e.text : '';
}

function pseudonymisingCall(e: ts.Expression): boolean {
  for (let n: ts.Expression = e; ; ) {
    if (!ts.isCallExpression(n)) return false;
    if (PSEUDONYMISING_CALL.test(calleeName(n))) return true;
    const callee = n.expression;
    if (!ts.isPropertyAccessExpression(callee)) return false;
    n = unwrap(callee.expression);
  }
}

/**
 * The name of the field an expression copies as it is (`visit.arrivalTimestamp`, `String(p.dob)`, `row.date_of_death`),
 * or undefined when it computes something new (a band, a count, a condition).
 */
function referencedName(e: ts.Expression): string | undefined {
  e = unwrap(e);
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  if (ts.isElementAccessExpression(e)) return ts.isStringLiteralLike(e.argumentExpression) ? e.argumentExpression.text : referencedName(e.expression);
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) return referencedName(e.left);
  if (ts.isCallExpression(e) && EXACT_CALL.test(calleeName(e))) {
    const callee = e.expression;
    if (ts.isPropertyAccessExpression(callee) && !ts.isIdentifier(callee.expression)) return referencedName(callee.expression);
    if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text !== 'JSON') return callee.expression.text;
    return e.arguments[0] ? referencedName(e.arguments[0]) : undefined;
  }
  return undefined;
}

/** Fields of what is returned: the object literal when written there, else the properties of its type. */
function returnedFields(returned: ts.Expression, checker: ts.TypeChecker, deleted: Set<string>): ReturnedField[] {
  const literals = objectLiteralsOf(returned);
  if (literals.length > 0) {
    const fields: ReturnedField[] = [];
    for (const object of literals) {
      for (const property of object.properties) {
        if (ts.isSpreadAssignment(property)) fields.push(...typeFields(checker.getTypeAtLocation(property.expression), checker, deleted));
        else if (ts.isPropertyAssignment(property) && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))) fields.push({ key: property.name.text, initializer: property.initializer });
        else if (ts.isShorthandPropertyAssignment(property)) fields.push({ key: property.name.text, initializer: property.name });
      }
    }
    return fields;
  }
  return typeFields(checker.getTypeAtLocation(returned), checker, deleted);
}

function typeFields(type: ts.Type, checker: ts.TypeChecker, deleted: Set<string>): ReturnedField[] {
  const element = elementType(type, checker);
  if (element.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return [];
  return checker
    .getPropertiesOfType(element)
    .filter((p) => !deleted.has(p.getName()))
    .map((p) => ({ key: p.getName(), health: (types: TypeClassifier) => !!types.classifyMember(element, p.getName(), undefined) }));
}

/** Promise<T[]> -> T. */
function elementType(type: ts.Type, checker: ts.TypeChecker, depth = 0): ts.Type {
  if (depth > 3) return type;
  const name = type.getSymbol()?.getName();
  if ((name === 'Promise' || checker.isArrayType(type)) && (type as ts.TypeReference).typeArguments !== undefined) {
    const [argument] = checker.getTypeArguments(type as ts.TypeReference);
    if (argument) return elementType(argument, checker, depth + 1);
  }
  return type;
}

/** `delete copy.firstName`: fields the anonymiser removes from a copy before returning it. */
function deletedKeys(fn: ts.FunctionLikeDeclaration): Set<string> {
  const keys = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (ts.isDeleteExpression(n)) {
      const target = unwrap(n.expression);
      if (ts.isPropertyAccessExpression(target)) keys.add(target.name.text);
      else if (ts.isElementAccessExpression(target) && ts.isStringLiteralLike(target.argumentExpression)) keys.add(target.argumentExpression.text);
    }
    ts.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  return keys;
}

function buildFinding(fn: ts.FunctionLikeDeclaration, returned: ts.Expression, kept: KeptField[], severity: Exclude<Severity, 'off'>): Finding {
  const sf = returned.getSourceFile();
  const start = sf.getLineAndCharacterOfPosition(returned.getStart(sf));
  const end = sf.getLineAndCharacterOfPosition(returned.getEnd());
  const identifiers = [...new Set(kept.filter((k) => k.kind === 'identifier').map((k) => `\`${k.key}\``))];
  const quasi = [...new Set(kept.filter((k) => k.kind === 'quasi').map((k) => `\`${k.key}\``))];
  const risks: string[] = [];
  if (identifiers.length > 0) risks.push(`a stable identifier (${identifiers.join(', ')}) that lets successive exports be linked and one person's care journey followed (linkability, singling out)`);
  if (quasi.length > 0) risks.push(`exact quasi-identifiers (${quasi.join(', ')}) that, combined with the health fields, single people out and allow inference`);
  const name = functionName(fn);
  return {
    ruleId: 'linkable-anonymisation',
    severity,
    message:
      `\`${name}\` is declared as an anonymiser but its output keeps ${risks.join('; and ')}. ` +
      `This is pseudonymisation, not anonymisation (GDPR Recital 26; Article 29 WP Opinion 05/2014); the CNIL fined Cegedim Santé EUR 800,000 for exports like this (SAN-2024-013). ` +
      `Fix: drop the identifier (hashes and mapped ids included) and generalise (age bands, year only, region only, group counts with a k-threshold), or remove @anonymises and record a legal basis for the export.`,
    location: { file: sf.fileName, line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 },
    flows: [],
    related: [],
    categories: [],
    fingerprint: createHash('sha256').update(`linkable-anonymisation\0${sf.fileName.split(/[\\/]/).pop()}\0${name}\0${kept.map((k) => k.key).join(',')}`).digest('hex').slice(0, 32),
    sinkMatchedBy: 'symbol',
  };
}

function functionName(fn: ts.FunctionLikeDeclaration): string {
  if (fn.name && (ts.isIdentifier(fn.name) || ts.isStringLiteral(fn.name))) return fn.name.text;
  const parent = fn.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return 'this anonymiser';
}

/** Expressions an anonymiser returns (return statements of its own body, or an arrow's expression body). */
function returnedExpressions(fn: ts.FunctionLikeDeclaration): ts.Expression[] {
  if (!fn.body) return [];
  if (!ts.isBlock(fn.body)) return [fn.body];
  const out: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isReturnStatement(n) && n.expression) out.push(n.expression);
    if (!ts.isFunctionLike(n)) ts.forEachChild(n, visit);
  };
  ts.forEachChild(fn.body, visit);
  return out;
}

/** Object literals a returned expression builds: directly, or in a `.map(r => ({...}))` callback. */
function objectLiteralsOf(e: ts.Expression): ts.ObjectLiteralExpression[] {
  e = unwrap(e);
  if (ts.isObjectLiteralExpression(e)) return [e];
  const out: ts.ObjectLiteralExpression[] = [];
  if (ts.isCallExpression(e)) {
    for (const a of e.arguments) {
      if (ts.isArrowFunction(a) || ts.isFunctionExpression(a)) out.push(...returnedExpressions(a).flatMap(objectLiteralsOf));
    }
    if (ts.isPropertyAccessExpression(e.expression)) out.push(...objectLiteralsOf(e.expression.expression));
  }
  if (ts.isArrayLiteralExpression(e)) for (const el of e.elements) out.push(...objectLiteralsOf(el));
  return out;
}
