// One generated service package (`packages/<area>-<n>/src`) around one clinical resource kind: types, repository,
// mapper, helpers, validation, service, controller, exporter, events, a job, and sometimes browser code and seed
// data. Planted flows cross files (repository -> mapper -> service -> controller) and packages (shared types,
// helpers, logger, pseudonymiser); negatives sit next to them (counts, ids only, database writes, a route with a
// recorded legal basis, a plain Sentry message, a NIR whose key does not check, UI preferences in localStorage).
import { type ResourceKind, camel, pascal } from './kinds';
import { invalidNir, validNir } from './nir';
import type { SeededRandom } from '../../../test/support/random';
import { SourceWriter } from './source-writer';

export interface UnitOptions {
  /** Package folder name, e.g. `cardiology-007`. */
  name: string;
  area: string;
  kind: ResourceKind;
  random: SeededRandom;
  /** The first unit always calls the shared audit helper with health data, so its planted finding exists. */
  first: boolean;
}

export interface UnitPackage {
  files: SourceWriter[];
  /** Exported router name, mounted by the app package. */
  routerName: string;
  /** A file nothing imports (a scheduled job): the "leaf file changed" runs edit it. */
  leafFile: string;
  /** A file with a planted finding local to it: the editor's local-edit benchmark types in it. */
  controllerFile: string;
}

export function unitPackage(options: UnitOptions): UnitPackage {
  const { name, kind, random } = options;
  const root = `packages/${name}/src`;
  const names = namesOf(options);
  const files: SourceWriter[] = [
    types(root, options, names),
    repository(root, options, names),
    mapper(root, options, names),
    helpers(root, options, names),
    validation(root, options, names),
    service(root, options, names),
    controller(root, options, names),
    exporter(root, options, names),
    events(root, options, names),
    job(root, options, names),
  ];
  if (random.chance(0.3)) files.push(browserDraft(root, options, names));
  if (random.chance(0.12)) files.push(seed(root, options));
  files.push(
    new SourceWriter(`${root}/index.ts`).line(
      "export * from './types';",
      "export * from './service';",
      "export * from './controller';",
      "export * from './exporter';",
      "export * from './events';",
    ),
  );
  return { files, routerName: names.router, leafFile: `${root}/jobs.ts`, controllerFile: `${root}/controller.ts` };
}

interface Names {
  /** `Prescription` */
  P: string;
  /** `cardiology007Prescription` */
  v: string;
  dto: string;
  repoClass: string;
  repo: string;
  serviceClass: string;
  service: string;
  router: string;
  table: string;
}

function namesOf({ name, kind }: UnitOptions): Names {
  const prefix = camel(name);
  const P = kind.pascal;
  return {
    P,
    v: `${prefix}${P}`,
    dto: `${P}Dto`,
    repoClass: `${P}Repository`,
    repo: `${camel(kind.slug)}Repository`,
    serviceClass: `${P}Service`,
    service: `${camel(kind.slug)}Service`,
    router: `${prefix}${P}Router`,
    table: `${name.replace(/-/g, '_')}_${kind.slug.replace(/-/g, '_')}s`,
  };
}

function types(root: string, { kind, area }: UnitOptions, n: Names): SourceWriter {
  return new SourceWriter(`${root}/types.ts`).line(
    `// Shapes exchanged by the ${area} ${kind.slug} service.`,
    `import type { ${kind.type} } from '@clinic/shared';`,
    '',
    `export type ${n.P}Status = ${kind.type}['status'];`,
    '',
    `export interface ${n.dto} {`,
    '  id: string;',
    '  patientId: string;',
    `  ${kind.healthField}: string;`,
    '  recordedAt?: string;',
    `  status: ${n.P}Status;`,
    '}',
    '',
    `export interface ${n.P}Query {`,
    '  patientId: string;',
    '  from?: string;',
    '  to?: string;',
    `  status?: ${n.P}Status;`,
    '  page?: number;',
    '}',
    '',
    `export interface ${n.P}Breakdown {`,
    '  total: number;',
    '  byStatus: Record<string, number>;',
    '  generatedAt: string;',
    '}',
  );
}

function repository(root: string, { kind }: UnitOptions, n: Names): SourceWriter {
  return new SourceWriter(`${root}/repository.ts`).line(
    `// Data access for ${kind.slug} records in the service's own store.`,
    `import { Collection, isWithin, type ${kind.type} } from '@clinic/shared';`,
    '',
    `export class ${n.repoClass} {`,
    `  private readonly table = new Collection<${kind.type}>('${n.table}');`,
    '',
    `  save(record: ${kind.type}): Promise<${kind.type}> {`,
    '    return this.table.insert(record);',
    '  }',
    '',
    `  findById(id: string): Promise<${kind.type} | undefined> {`,
    '    return this.table.findById(id);',
    '  }',
    '',
    `  findForPatient(patientId: string): Promise<${kind.type}[]> {`,
    '    return this.table.findWhere((row) => row.subject.reference === `Patient/${patientId}`);',
    '  }',
    '',
    `  findBetween(from: string, to: string): Promise<${kind.type}[]> {`,
    `    return this.table.findWhere((row) => isWithin(row.${kind.dateField}, from, to));`,
    '  }',
    '',
    `  findActive(): Promise<${kind.type}[]> {`,
    "    return this.table.findWhere((row) => row.status === 'active');",
    '  }',
    '}',
    '',
    `export const ${n.repo} = new ${n.repoClass}();`,
  );
}

function mapper(root: string, { kind }: UnitOptions, n: Names): SourceWriter {
  return new SourceWriter(`${root}/mapper.ts`).line(
    '// Record <-> DTO conversions, kept out of the routes.',
    `import { displayCode, patientIdOf, type ${kind.type} } from '@clinic/shared';`,
    `import type { ${n.dto} } from './types';`,
    '',
    `export function to${n.P}Dto(record: ${kind.type}): ${n.dto} {`,
    '  return {',
    '    id: record.id,',
    '    patientId: patientIdOf(record.subject.reference),',
    `    ${kind.healthField}: displayCode(record.${kind.codeField}),`,
    `    recordedAt: record.${kind.dateField},`,
    '    status: record.status,',
    '  };',
    '}',
    '',
    `export function ${camel(kind.slug)}IdsOf(records: readonly ${kind.type}[]): string[] {`,
    '  return records.map((record) => record.id);',
    '}',
  );
}

function helpers(root: string, { kind, random }: UnitOptions, n: Names): SourceWriter {
  const w = new SourceWriter(`${root}/helpers.ts`).line(
    `// Small pure helpers of the ${kind.slug} service (sorting, paging, date windows).`,
    `import { addDays, daysBetween } from '@clinic/shared';`,
    `import type { ${n.dto}, ${n.P}Query } from './types';`,
    '',
    `export const PAGE_SIZE = ${random.pick([20, 25, 50, 100])};`,
    '',
    `export function sortByRecordedAt(items: readonly ${n.dto}[]): ${n.dto}[] {`,
    "  return [...items].sort((a, b) => (b.recordedAt ?? '').localeCompare(a.recordedAt ?? ''));",
    '}',
    '',
    `export function pageOf<T>(items: readonly T[], page = 1): T[] {`,
    '  const start = Math.max(0, page - 1) * PAGE_SIZE;',
    '  return items.slice(start, start + PAGE_SIZE);',
    '}',
    '',
    `export function windowOf(query: ${n.P}Query, now: string): { from: string; to: string } {`,
    `  const to = query.to ?? now;`,
    `  const from = query.from ?? addDays(to, -${random.pick([30, 90, 180, 365])});`,
    '  return { from, to };',
    '}',
    '',
    'export function windowLength(from: string, to: string): number {',
    '  return Math.max(0, daysBetween(from, to));',
    '}',
  );
  // Realistic bulk: business rules that are pure computations over ids, dates and numbers.
  const rules = random.int(3, 9);
  for (let i = 0; i < rules; i++) {
    const threshold = random.int(2, 60);
    w.line(
      '',
      `/** Scheduling rule ${i + 1}: how many days a follow-up may slip before it is escalated. */`,
      `export function followUpSlack${i + 1}(daysLate: number, priority: 'routine' | 'urgent'): 'ok' | 'remind' | 'escalate' {`,
      `  const limit = priority === 'urgent' ? ${Math.max(1, Math.floor(threshold / 4))} : ${threshold};`,
      '  if (daysLate <= 0) return \'ok\';',
      "  if (daysLate <= limit) return 'remind';",
      "  return 'escalate';",
      '}',
    );
  }
  return w;
}

function validation(root: string, { kind, random }: UnitOptions, n: Names): SourceWriter {
  const w = new SourceWriter(`${root}/validation.ts`).line(
    `// Validation of incoming ${kind.slug} queries (hand-written: the service predates the schema library).`,
    `import type { ${n.P}Query, ${n.P}Status } from './types';`,
    '',
    'export interface ValidationIssue {',
    '  field: string;',
    '  message: string;',
    '}',
    '',
    `const STATUSES: readonly ${n.P}Status[] = ['active', 'completed', 'entered-in-error'];`,
    '',
    'function isIsoDate(value: unknown): value is string {',
    "  return typeof value === 'string' && /^\\d{4}-\\d{2}-\\d{2}/.test(value) && !Number.isNaN(Date.parse(value));",
    '}',
    '',
    `export function parse${n.P}Query(input: Record<string, unknown>): { query?: ${n.P}Query; issues: ValidationIssue[] } {`,
    '  const issues: ValidationIssue[] = [];',
    "  const patientId = typeof input.patientId === 'string' ? input.patientId.trim() : '';",
    "  if (!/^[A-Za-z0-9-]{1,64}$/.test(patientId)) issues.push({ field: 'patientId', message: 'must be an id' });",
    "  if (input.from !== undefined && !isIsoDate(input.from)) issues.push({ field: 'from', message: 'must be an ISO date' });",
    "  if (input.to !== undefined && !isIsoDate(input.to)) issues.push({ field: 'to', message: 'must be an ISO date' });",
    `  const status = STATUSES.find((s) => s === input.status);`,
    "  if (input.status !== undefined && !status) issues.push({ field: 'status', message: `one of ${STATUSES.join(', ')}` });",
    "  const page = input.page === undefined ? 1 : Number(input.page);",
    "  if (!Number.isInteger(page) || page < 1) issues.push({ field: 'page', message: 'must be a positive integer' });",
    '  if (issues.length > 0) return { issues };',
    '  return {',
    '    query: {',
    '      patientId,',
    '      from: input.from as string | undefined,',
    '      to: input.to as string | undefined,',
    '      status,',
    '      page,',
    '    },',
    '    issues,',
    '  };',
    '}',
  );
  const checks = random.int(4, 14);
  for (let i = 0; i < checks; i++) {
    const max = random.int(8, 4096);
    const field = random.pick(['reference', 'requesterId', 'siteCode', 'wardCode', 'batchId', 'deviceId', 'orderNumber', 'externalId']);
    w.line(
      '',
      `export function check${pascal(field)}${i + 1}(value: unknown, issues: ValidationIssue[]): string | undefined {`,
      "  if (value === undefined || value === null || value === '') return undefined;",
      "  if (typeof value !== 'string') {",
      `    issues.push({ field: '${field}', message: 'must be a string' });`,
      '    return undefined;',
      '  }',
      `  if (value.length > ${max}) {`,
      `    issues.push({ field: '${field}', message: 'at most ${max} characters' });`,
      '    return undefined;',
      '  }',
      '  return value.trim();',
      '}',
    );
  }
  return w;
}

function service(root: string, { kind }: UnitOptions, n: Names): SourceWriter {
  return new SourceWriter(`${root}/service.ts`).line(
    `// Business operations on ${kind.slug} records.`,
    `import { countBy, type ${kind.type} } from '@clinic/shared';`,
    `import { ${n.repo}, type ${n.repoClass} } from './repository';`,
    `import { to${n.P}Dto } from './mapper';`,
    `import { sortByRecordedAt, pageOf } from './helpers';`,
    `import { on${n.P}Recorded } from './events';`,
    `import type { ${n.dto}, ${n.P}Breakdown, ${n.P}Query } from './types';`,
    '',
    `export class ${n.serviceClass} {`,
    `  constructor(private readonly records: ${n.repoClass} = ${n.repo}) {}`,
    '',
    `  async historyOf(query: ${n.P}Query): Promise<${n.dto}[]> {`,
    '    const rows = await this.records.findForPatient(query.patientId);',
    '    const wanted = query.status ? rows.filter((row) => row.status === query.status) : rows;',
    `    return pageOf(sortByRecordedAt(wanted.map(to${n.P}Dto)), query.page);`,
    '  }',
    '',
    `  async breakdown(): Promise<${n.P}Breakdown> {`,
    '    const rows = await this.records.findActive();',
    '    return { total: rows.length, byStatus: countBy(rows, (row) => row.status), generatedAt: new Date().toISOString() };',
    '  }',
    '',
    `  async record(input: ${kind.type}): Promise<${kind.type}> {`,
    '    const saved = await this.records.save(input);',
    `    on${n.P}Recorded(saved);`,
    '    return saved;',
    '  }',
    '}',
    '',
    `export const ${n.service} = new ${n.serviceClass}();`,
  );
}

function controller(root: string, { kind, random }: UnitOptions, n: Names): SourceWriter {
  const w = new SourceWriter(`${root}/controller.ts`).line(
    `// HTTP routes of the ${kind.slug} service.`,
    "import { Router, type Request, type Response } from 'express';",
    `import { ${n.service} } from './service';`,
    `import { parse${n.P}Query } from './validation';`,
    '',
    `export const ${n.router} = Router();`,
    '',
    `${n.router}.get('/patients/:id/${kind.slug}s', async (req, res) => {`,
    `  const { query, issues } = parse${n.P}Query({ ...req.query, patientId: req.params.id });`,
    '  if (!query) {',
    '    res.status(400).json({ issues });',
    '    return;',
    '  }',
    `  const items = await ${n.service}.historyOf(query);`,
  );
  w.plant('unprotected-export', 'express-route-res-json', '  res.json(items);');
  w.line(
    '});',
    '',
    `${n.router}.get('/${kind.slug}s/breakdown', async (_req, res) => {`,
    `  res.json(await ${n.service}.breakdown());`,
    '});',
    '',
    `${n.router}.get('/${kind.slug}s/health', (_req, res) => {`,
    "  res.json({ status: 'ok', service: '" + kind.slug + "' });",
    '});',
  );
  if (random.chance(0.5)) {
    // A negative: the care team's view is covered by a recorded legal basis.
    w.line(
      '',
      `export class ${n.P}CareTeamController {`,
      '  /**',
      "   * What the patient's care team sees in the hospital's clinical app.",
      '   * @legalBasis gdpr-6-1-e gdpr-9-2-h',
      '   */',
      '  async summary(req: Request, res: Response): Promise<void> {',
      `    const items = await ${n.service}.historyOf({ patientId: String(req.params.id), page: 1 });`,
      '    res.json({ items });',
      '  }',
      '}',
    );
  }
  return w;
}

function exporter(root: string, { kind, area, random }: UnitOptions, n: Names): SourceWriter {
  const w = new SourceWriter(`${root}/exporter.ts`).line(
    `// Nightly transfers of ${kind.slug} data to partners.`,
    "import axios from 'axios';",
    `import { displayCode, hashPatientId, logger, monthOf, patientIdOf } from '@clinic/shared';`,
    `import { ${n.repo} } from './repository';`,
    `import { to${n.P}Dto } from './mapper';`,
    '',
    `const PARTNER_URL = 'https://partner-${area}.example.com/api/${kind.slug}s';`,
    `const STATS_URL = 'https://stats.${area}.example.net/v1/activity';`,
    '',
    `export async function export${n.P}sToPartner(from: string, to: string): Promise<number> {`,
    `  const records = await ${n.repo}.findBetween(from, to);`,
    '  const payload = records.map((record) => ({',
    '    patient: patientIdOf(record.subject.reference),',
    `    ${kind.healthField}: displayCode(record.${kind.codeField}),`,
    `    date: record.${kind.dateField},`,
    '  }));',
  );
  w.plant('unprotected-export', 'axios-post-partner', '  await axios.post(PARTNER_URL, { records: payload });');
  w.line(
    "  logger.info('partner export done', { count: payload.length, from, to });",
    '  return payload.length;',
    '}',
    '',
    `export async function export${n.P}Activity(from: string, to: string): Promise<void> {`,
    `  const records = await ${n.repo}.findBetween(from, to);`,
    "  const completed = records.filter((record) => record.status === 'completed').length;",
    `  await axios.post(STATS_URL, { service: '${kind.slug}', total: records.length, completed, from, to });`,
    '}',
  );
  if (random.chance(0.5)) {
    w.line(
      '',
      `const RESEARCH_URL = 'https://research.cohort-${area}.example.org/ingest';`,
      '',
      `export async function export${n.P}sForResearch(from: string, to: string): Promise<void> {`,
      `  const records = await ${n.repo}.findBetween(from, to);`,
      '  const rows = records.map((record) => ({',
      '    subject: hashPatientId(patientIdOf(record.subject.reference)),',
      `    ${kind.healthField}: displayCode(record.${kind.codeField}),`,
      `    month: monthOf(record.${kind.dateField} ?? ''),`,
      '  }));',
    );
    w.plant('pseudonymised-export', 'hashed-id-research-post', '  await axios.post(RESEARCH_URL, rows);');
    w.line('}');
  }
  if (random.chance(0.2)) {
    w.line(
      '',
      `const REGISTRY_URL = 'https://registry.${area}.example.org/notifications';`,
      '',
      '/**',
      ` * Notifies the regional ${area} registry of a patient's ${kind.slug}s.`,
      ' * @legalBasis gdpr-9-2-h',
      ' */',
      `export async function notify${n.P}Registry(patientId: string): Promise<void> {`,
      `  const records = await ${n.repo}.findForPatient(patientId);`,
    );
    w.plant('insufficient-legal-basis', 'art9-only-basis', `  await axios.post(REGISTRY_URL, records.map(to${n.P}Dto));`);
    w.line('}');
  }
  return w;
}

function events(root: string, { kind, random, first }: UnitOptions, n: Names): SourceWriter {
  const w = new SourceWriter(`${root}/events.ts`).line(
    `// Side effects when ${kind.slug} records change: logs, audit trail, error tracking.`,
    "import * as Sentry from '@sentry/node';",
    `import { audit, displayCode, logger, type ${kind.type} } from '@clinic/shared';`,
    '',
    `export function on${n.P}Recorded(record: ${kind.type}): void {`,
  );
  w.plant('log-exposure', 'winston-meta-health-field', `  logger.info('${kind.slug} recorded', { patient: record.subject.reference, ${kind.healthField}: displayCode(record.${kind.codeField}) });`);
  w.line(
    `  logger.info('${kind.slug} stored', { id: record.id, status: record.status });`,
    '}',
    '',
    `export function audit${n.P}Batch(count: number, operator: string): void {`,
    `  audit('${kind.slug}.batch', { count, operator });`,
    '}',
  );
  if (first || random.chance(0.4)) {
    w.line(
      '',
      `export function audit${n.P}Viewed(record: ${kind.type}, viewer: string): void {`,
      `  audit('${kind.slug}.viewed', { viewer, ${kind.healthField}: displayCode(record.${kind.codeField}) });`,
      '}',
    );
  }
  if (random.chance(0.4)) {
    w.line('', `export function on${n.P}Flagged(record: ${kind.type}, reason: string): void {`);
    w.plant('third-party-disclosure', 'sentry-set-context', `  Sentry.setContext('${kind.slug}', { ${kind.healthField}: displayCode(record.${kind.codeField}), reason });`);
    w.line(`  Sentry.captureMessage('${kind.slug} flagged for review');`, '}');
  }
  return w;
}

function job(root: string, { kind }: UnitOptions, n: Names): SourceWriter {
  return new SourceWriter(`${root}/jobs.ts`).line(
    `// Scheduled entry point of the ${kind.slug} exports (started by the platform's cron; nothing imports it).`,
    `import { logger } from '@clinic/shared';`,
    `import { export${n.P}sToPartner, export${n.P}Activity } from './exporter';`,
    `import { windowOf } from './helpers';`,
    '',
    `export async function run${n.P}NightlyJob(now: string): Promise<void> {`,
    "  const { from, to } = windowOf({ patientId: '*' }, now);",
    `  const exported = await export${n.P}sToPartner(from, to);`,
    `  await export${n.P}Activity(from, to);`,
    `  logger.info('${kind.slug} nightly job done', { exported });`,
    '}',
  );
}

function browserDraft(root: string, { area, kind }: UnitOptions, n: Names): SourceWriter {
  const w = new SourceWriter(`${root}/web/${kind.slug}-draft.ts`).line(
    `// Browser side of the ${kind.slug} form: keeps the clinician's draft across reloads.`,
    `import type { ${n.dto} } from '../types';`,
    '',
    `const DRAFT_KEY = '${area}.${kind.slug}.draft';`,
    '',
    `export function save${n.P}Draft(draft: ${n.dto}): void {`,
  );
  w.plant('client-side-storage', 'localstorage-draft', '  localStorage.setItem(DRAFT_KEY, JSON.stringify(draft));');
  w.line(
    '}',
    '',
    "export function saveTheme(theme: 'light' | 'dark'): void {",
    "  localStorage.setItem('theme', theme);",
    '}',
    '',
    `export function clear${n.P}Draft(): void {`,
    '  localStorage.removeItem(DRAFT_KEY);',
    '}',
  );
  return w;
}

function seed(root: string, { random }: UnitOptions): SourceWriter {
  const w = new SourceWriter(`${root}/seed.ts`).line(
    '// Demo patients loaded into the local development store.',
    'export const DEMO_PATIENTS = [',
  );
  w.plant('hardcoded-health-identifier', 'nir-in-seed', `  { id: 'demo-1', nir: '${validNir(random)}', name: 'Demo Patient' },`);
  w.line(`  { id: 'demo-2', nir: '${invalidNir(random)}', name: 'Typo Patient' },`, '];');
  return w;
}
