// linkable-anonymisation: checks what a declared anonymiser returns; a stable identifier or exact quasi-identifiers
// next to health data leave singling out and linkability (Article 29 WP Opinion 05/2014; CNIL SAN-2024-013).
import { createHash } from 'node:crypto';
import { ts } from './program/compiler';
import type { Finding, RuleId, Severity } from './model';
import { classifyName } from './classify/names';
import { flatten, type Value } from './flow/values';

const STABLE_IDENTIFIER = /^(id|_id|uuid|patientId|patient_id|patientUuid|subjectId|studyId|pseudoId|pseudonym|pid|personId|nir|ssn|mrn|ipp|ins|insNir|numeroSecu|medicalRecordNumber|hashedId|patientHash|idHash|token|key)$/i;
const EXACT_QUASI_IDENTIFIER = /^(birthDate|dateOfBirth|birth_date|date_of_birth|dob|dateNaissance|date_naissance|postcode|postCode|postalCode|postal_code|zip|zipCode|zip_code|codePostal|code_postal|address|adresse|admissionDate|admittedAt|dischargeDate|visitDate|consultationDate|encounterDate|date|dateConsultation|notes|note|freeText|comment|comments|commentaire|observations|clinicalNotes|phone|email|firstName|lastName|name|nom|prenom)$/i;
const GENERALISING_CALL = /\b(getFullYear|getUTCFullYear|slice|substring|substr|floor|round|ceil|trunc|ageBand|toAgeBand|bucket|band|generalise|generalize|region|department|year|month|startOf|truncate)\b/;

interface Kept {
  key: string;
  kind: 'identifier' | 'quasi';
}

export function linkableAnonymisationFindings(
  anonymisers: ts.FunctionLikeDeclaration[],
  outputOf: (fn: ts.FunctionLikeDeclaration) => Value,
  severities: Record<RuleId, Severity>,
): Finding[] {
  const severity = severities['linkable-anonymisation'];
  if (severity === 'off') return [];
  const findings: Finding[] = [];
  for (const fn of anonymisers) {
    // What the flow analysis says each returned field carries when the anonymiser is given health data.
    const output = outputOf(fn);
    const carriesHealth = (key: string) => {
      const field = output.fields?.get(key);
      return !!field && flatten(field).labels.some((l) => !l.record || l.categories.some((c) => c !== 'patient-record'));
    };
    for (const returned of returnedExpressions(fn)) {
      const objects = objectLiteralsOf(returned);
      const kept: Kept[] = [];
      let health = false;
      for (const object of objects) {
        for (const property of object.properties) {
          if (ts.isSpreadAssignment(property)) {
            // `...record` keeps every field, the identifier included.
            kept.push({ key: `...${property.expression.getText()}`, kind: 'identifier' });
            health = true;
            continue;
          }
          const key = property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? property.name.text : undefined;
          if (!key) continue;
          const initializer = ts.isPropertyAssignment(property) ? property.initializer : ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
          const text = initializer?.getText() ?? key;
          if (carriesHealth(key) || classifyName(key) || classifyName(lastName(text))) health = true;
          if (STABLE_IDENTIFIER.test(key) || STABLE_IDENTIFIER.test(lastName(text))) {
            if (!isConstant(initializer)) kept.push({ key, kind: 'identifier' });
          } else if (EXACT_QUASI_IDENTIFIER.test(key) || EXACT_QUASI_IDENTIFIER.test(lastName(text))) {
            if (!GENERALISING_CALL.test(text)) kept.push({ key, kind: 'quasi' });
          }
        }
      }
      if (!health || kept.length === 0) continue;
      findings.push(buildFinding(fn, returned, kept, severity));
    }
  }
  return findings;
}

function buildFinding(fn: ts.FunctionLikeDeclaration, returned: ts.Expression, kept: Kept[], severity: Exclude<Severity, 'off'>): Finding {
  const sf = returned.getSourceFile();
  const start = sf.getLineAndCharacterOfPosition(returned.getStart(sf));
  const end = sf.getLineAndCharacterOfPosition(returned.getEnd());
  const identifiers = kept.filter((k) => k.kind === 'identifier').map((k) => `\`${k.key}\``);
  const quasi = kept.filter((k) => k.kind === 'quasi').map((k) => `\`${k.key}\``);
  const risks: string[] = [];
  if (identifiers.length > 0) risks.push(`a stable identifier (${identifiers.join(', ')}) lets successive exports be linked and one person's care journey followed (linkability, singling out)`);
  if (quasi.length > 0) risks.push(`exact quasi-identifiers (${quasi.join(', ')}) combined with the health fields single people out and allow inference`);
  const name = fn.name && ts.isIdentifier(fn.name) ? fn.name.text : 'this anonymiser';
  return {
    ruleId: 'linkable-anonymisation',
    severity,
    message:
      `\`${name}\` is declared as an anonymiser but its output keeps ${risks.join('; and ')}. ` +
      `This is pseudonymisation, not anonymisation (GDPR Recital 26; Article 29 WP Opinion 05/2014; the CNIL fined Cegedim Santé EUR 800,000 for exactly this, SAN-2024-013). ` +
      `Fix: drop the identifier (hashes and mapped ids included) and generalise (age bands, year only, region only, group counts with a k-threshold), or remove @anonymises and record a legal basis for the export.`,
    location: { file: sf.fileName, line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 },
    flows: [],
    related: [],
    categories: [],
    fingerprint: createHash('sha256').update(`linkable-anonymisation\0${sf.fileName.split(/[\\/]/).pop()}\0${name}\0${kept.map((k) => k.key).join(',')}`).digest('hex').slice(0, 32),
    sinkMatchedBy: 'symbol',
  };
}

function lastName(text: string): string {
  const match = /([A-Za-z_$][\w$]*)\s*\)?\s*$/.exec(text.replace(/\?\./g, '.'));
  return match ? match[1] : text;
}

function isConstant(e: ts.Expression | undefined): boolean {
  return !!e && (ts.isStringLiteralLike(e) || ts.isNumericLiteral(e) || e.kind === ts.SyntaxKind.NullKeyword || e.kind === ts.SyntaxKind.UndefinedKeyword);
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
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isAwaitExpression(e)) e = e.expression;
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
