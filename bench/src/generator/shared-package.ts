// The generated monorepo's shared package (`@clinic/shared`): FHIR-like types, the logger, the audit helper that
// wraps console (a sink inside a project function: one finding however many packages call it), pseudonymisation,
// the widely imported code-display helper (the "helper used across files" the edit benchmarks touch) and
// storage. Every service package imports it, so flows cross packages.
import { RESOURCE_KINDS } from './kinds';
import { SourceWriter } from './source-writer';

const ROOT = 'packages/shared/src';

/** The shared file that every service package imports: edited by the "widely imported file changed" runs. */
export const WIDELY_IMPORTED_FILE = `${ROOT}/codes.ts`;

export function sharedPackage(): SourceWriter[] {
  return [fhirTypes(), logger(), audit(), ids(), codes(), dates(), stats(), database(), http(), index()];
}

function fhirTypes(): SourceWriter {
  const w = new SourceWriter(`${ROOT}/fhir.ts`);
  w.line(
    '// FHIR R4-like resource shapes used across the services (a subset of what the EHR returns).',
    '',
    'export interface Coding {',
    '  system?: string;',
    '  code?: string;',
    '  display?: string;',
    '}',
    '',
    'export interface CodeableConcept {',
    '  coding?: Coding[];',
    '  text?: string;',
    '}',
    '',
    'export interface Reference {',
    '  reference?: string;',
    '  display?: string;',
    '}',
    '',
    'export interface Annotation {',
    '  text: string;',
    '  time?: string;',
    '}',
    '',
    'export interface Meta {',
    '  versionId?: string;',
    '  lastUpdated?: string;',
    '}',
    '',
    'export interface HumanName {',
    '  family?: string;',
    '  given?: string[];',
    '}',
    '',
    'export interface Patient {',
    "  resourceType: 'Patient';",
    '  id: string;',
    '  meta?: Meta;',
    '  name?: HumanName[];',
    '  birthDate?: string;',
    "  gender?: 'male' | 'female' | 'other' | 'unknown';",
    '}',
  );
  for (const kind of RESOURCE_KINDS) {
    w.line(
      '',
      `export interface ${kind.type} {`,
      `  resourceType: '${kind.type}';`,
      '  id: string;',
      '  meta?: Meta;',
      "  status: 'active' | 'completed' | 'entered-in-error';",
      '  subject: Reference;',
      `  ${kind.codeField}?: CodeableConcept;`,
      `  ${kind.dateField}?: string;`,
      '  note?: Annotation[];',
      '}',
    );
  }
  w.line('', `export type ClinicalResource = ${RESOURCE_KINDS.map((k) => k.type).join(' | ')};`);
  return w;
}

function logger(): SourceWriter {
  return new SourceWriter(`${ROOT}/logger.ts`).line(
    '// Application logger: JSON lines on stdout, shipped to the log platform by the cluster.',
    "import winston from 'winston';",
    '',
    'export const logger = winston.createLogger({',
    "  level: 'info',",
    '  format: winston.format.json(),',
    '  transports: [new winston.transports.Console()],',
    '});',
  );
}

function audit(): SourceWriter {
  const w = new SourceWriter(`${ROOT}/audit.ts`);
  w.line(
    '// Audit trail of clinical actions, printed as one line per event (collected by the platform).',
    '',
    "type AuditLevel = 'info' | 'warn';",
    '',
    'export function audit(action: string, context: Record<string, unknown>, level: AuditLevel = \'info\'): void {',
    '  const line = `${new Date().toISOString()} AUDIT ${level.toUpperCase()} ${action}`;',
  );
  w.plant('log-exposure', 'shared-audit-helper', '  console.log(`${line} ${JSON.stringify(context)}`);');
  w.line('}');
  return w;
}

function ids(): SourceWriter {
  return new SourceWriter(`${ROOT}/ids.ts`).line(
    '// Stable pseudonyms for patient identifiers shared with research partners.',
    "import { createHash } from 'node:crypto';",
    '',
    "const PEPPER = 'bench-pepper';",
    '',
    'export function hashPatientId(patientId: string): string {',
    "  return createHash('sha256').update(PEPPER + patientId).digest('hex').slice(0, 32);",
    '}',
    '',
    'export function patientIdOf(reference: string | undefined): string {',
    "  return reference?.startsWith('Patient/') ? reference.slice('Patient/'.length) : (reference ?? '');",
    '}',
  );
}

function codes(): SourceWriter {
  return new SourceWriter(WIDELY_IMPORTED_FILE).line(
    '// Display helpers for coded clinical values, used by every service.',
    "import type { CodeableConcept, Coding } from './fhir';",
    '',
    'export function firstCoding(concept: CodeableConcept | undefined, system?: string): Coding | undefined {',
    '  const codings = concept?.coding ?? [];',
    '  return system ? codings.find((coding) => coding.system === system) : codings[0];',
    '}',
    '',
    'export function displayCode(concept: CodeableConcept | undefined): string {',
    '  const coding = firstCoding(concept);',
    "  return concept?.text ?? coding?.display ?? coding?.code ?? 'unknown';",
    '}',
    '',
    'export function codeOf(concept: CodeableConcept | undefined, system?: string): string | undefined {',
    '  return firstCoding(concept, system)?.code;',
    '}',
  );
}

function dates(): SourceWriter {
  return new SourceWriter(`${ROOT}/dates.ts`).line(
    '// Date helpers (UTC, ISO strings as the EHR sends them).',
    '',
    'const DAY_MS = 24 * 60 * 60 * 1000;',
    '',
    'export function daysBetween(from: string, to: string): number {',
    '  return Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);',
    '}',
    '',
    'export function addDays(iso: string, days: number): string {',
    '  return new Date(Date.parse(iso) + days * DAY_MS).toISOString();',
    '}',
    '',
    'export function isWithin(iso: string | undefined, from: string, to: string): boolean {',
    '  if (!iso) return false;',
    '  const t = Date.parse(iso);',
    '  return t >= Date.parse(from) && t < Date.parse(to);',
    '}',
    '',
    'export function monthOf(iso: string): string {',
    '  return iso.slice(0, 7);',
    '}',
  );
}

function stats(): SourceWriter {
  return new SourceWriter(`${ROOT}/stats.ts`).line(
    '// Aggregates for dashboards: counts are not health data about a person.',
    '',
    'export function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {',
    '  const counts: Record<string, number> = {};',
    '  for (const item of items) {',
    '    const k = key(item);',
    '    counts[k] = (counts[k] ?? 0) + 1;',
    '  }',
    '  return counts;',
    '}',
    '',
    'export function percentage(part: number, total: number): number {',
    '  return total === 0 ? 0 : Math.round((part / total) * 1000) / 10;',
    '}',
  );
}

function database(): SourceWriter {
  return new SourceWriter(`${ROOT}/db.ts`).line(
    "// The services' own document store (an in-process table per collection in this build): storage, not export.",
    '',
    'export class Collection<T extends { id: string }> {',
    '  private readonly rows = new Map<string, T>();',
    '',
    '  constructor(readonly name: string) {}',
    '',
    '  async insert(row: T): Promise<T> {',
    '    this.rows.set(row.id, row);',
    '    return row;',
    '  }',
    '',
    '  async findById(id: string): Promise<T | undefined> {',
    '    return this.rows.get(id);',
    '  }',
    '',
    '  async findWhere(predicate: (row: T) => boolean): Promise<T[]> {',
    '    return [...this.rows.values()].filter(predicate);',
    '  }',
    '',
    '  async remove(id: string): Promise<boolean> {',
    '    return this.rows.delete(id);',
    '  }',
    '}',
  );
}

function http(): SourceWriter {
  return new SourceWriter(`${ROOT}/http.ts`).line(
    '// Outbound HTTP defaults shared by the partner integrations.',
    '',
    'export const PARTNER_TIMEOUT_MS = 5000;',
    '',
    'export function partnerHeaders(apiKey: string): Record<string, string> {',
    "  return { 'X-Api-Key': apiKey, 'Content-Type': 'application/json' };",
    '}',
  );
}

function index(): SourceWriter {
  return new SourceWriter(`${ROOT}/index.ts`).line(
    "export * from './fhir';",
    "export * from './logger';",
    "export * from './audit';",
    "export * from './ids';",
    "export * from './codes';",
    "export * from './dates';",
    "export * from './stats';",
    "export * from './db';",
    "export * from './http';",
  );
}
