// The field inventory (`health-data-lint inventory`): one row per health-data field with where it goes, as JSON, Markdown or CSV.
import * as path from 'node:path';
import type { AnalysisResult, FieldRoute, HealthField } from '../model';
import { TOOL_NAME, TOOL_VERSION } from './tool';

export const INVENTORY_FORMAT_VERSION = 1;

export interface InventoryOptions {
  /** Paths are printed relative to this directory, with forward slashes. */
  root: string;
}

export interface InventoryRoute {
  /** The recipient id or host, else the sink's label (`HTTP response (express res.json)`). */
  recipient: string;
  sinkKind: FieldRoute['sink']['kind'];
  sink: string;
  file: string;
  line: number;
  /** anonymised, pseudonymised (no basis), covered, insufficient (a basis that is not valid) or uncovered. */
  status: 'anonymised' | 'pseudonymised' | 'covered' | 'insufficient' | 'uncovered';
  basis?: string[];
  rule?: string;
}

export interface InventoryRow {
  type: string;
  field: string;
  categories: string[];
  why: { kind: string; text: string };
  file: string;
  line: number;
  exported: boolean;
  declarations: { origin: string; type: string; field: string; file: string; line: number }[];
  routes: InventoryRoute[];
}

export function inventoryRows(result: AnalysisResult, options: InventoryOptions): InventoryRow[] {
  const relative = (file: string) => path.relative(options.root, file).split(path.sep).join('/');
  return (result.fields ?? []).map((field: HealthField) => ({
    type: field.container,
    field: field.field,
    categories: [...field.categories],
    why: { kind: field.reason.kind, text: field.reason.text },
    file: relative(field.location.file),
    line: field.location.line,
    exported: field.exported,
    declarations: field.declarations.map((d) => ({ origin: d.origin, type: d.container, field: d.field, file: relative(d.location.file), line: d.location.line })),
    routes: field.routes.map((route) => ({
      recipient: route.recipient ?? route.sink.label,
      sinkKind: route.sink.kind,
      sink: route.sink.label,
      file: relative(route.location.file),
      line: route.location.line,
      status: statusOf(route),
      ...(route.basis && { basis: [...route.basis] }),
      ...(route.ruleId && { rule: route.ruleId }),
    })),
  }));
}

/** Pseudonymised data without a basis is its own status: the Cegedim case, personal data believed anonymous. */
function statusOf(route: FieldRoute): InventoryRoute['status'] {
  if (route.status === 'uncovered' && route.pseudonymised) return 'pseudonymised';
  return route.status;
}

export function formatInventoryJson(result: AnalysisResult, options: InventoryOptions): string {
  const fields = inventoryRows(result, options);
  return `${JSON.stringify({ formatVersion: INVENTORY_FORMAT_VERSION, tool: { name: TOOL_NAME, version: TOOL_VERSION }, fields }, null, 2)}\n`;
}

function routeText(route: InventoryRoute): string {
  const status =
    route.status === 'covered'
      ? `covered by ${route.basis?.join(', ') ?? 'a recorded basis'}`
      : route.status === 'insufficient'
        ? `insufficient basis${route.basis ? ` (${route.basis.join(', ')})` : ''}`
        : route.status === 'pseudonymised'
          ? 'pseudonymised, no basis'
          : route.status;
  return `${route.recipient} (${status}) at ${route.file}:${route.line}`;
}

function isUnprotected(route: InventoryRoute): boolean {
  return (route.sinkKind === 'export' || route.sinkKind === 'third-party') && (route.status === 'uncovered' || route.status === 'insufficient' || route.status === 'pseudonymised');
}

export function formatInventoryMarkdown(result: AnalysisResult, options: InventoryOptions): string {
  const rows = inventoryRows(result, options);
  const cell = (text: string) => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const unprotected = rows.filter((row) => row.routes.some(isUnprotected)).length;
  const lines = [
    '# Health-data fields',
    '',
    `${rows.length === 1 ? '1 health-data field' : `${rows.length} health-data fields`}; ${unprotected} leave${unprotected === 1 ? 's' : ''} through an export or a third party without anonymisation or a valid legal basis.`,
    '',
  ];
  if (rows.length === 0) return `${lines.join('\n')}\n`;
  lines.push('| Type | Field | Category | Why | Declared | Type exported | Where it goes |', '|---|---|---|---|---|---|---|');
  for (const row of rows) {
    const declared = row.declarations.map((d) => `${d.file}:${d.line} (${d.origin})`).join('<br>');
    const routes = row.routes.length === 0 ? 'nowhere found' : row.routes.map(routeText).map(cell).join('<br>');
    lines.push(
      `| ${cell(row.type)} | ${cell(row.field)} | ${row.categories.join(', ')} | ${cell(`${row.why.kind}: ${row.why.text}`)} | ${cell(declared)} | ${row.exported ? 'yes' : 'no'} | ${routes} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export function formatInventoryCsv(result: AnalysisResult, options: InventoryOptions): string {
  const rows = inventoryRows(result, options);
  const quote = (text: string) => (/[",\r\n]/.test(text) || /^[=+\-@]/.test(text) ? `"${(/^[=+\-@]/.test(text) ? `'${text}` : text).replace(/"/g, '""')}"` : text);
  const header = ['type', 'field', 'categories', 'why', 'file', 'line', 'type_exported', 'declarations', 'routes', 'statuses'];
  const lines = [header.join(',')];
  for (const row of rows) {
    lines.push(
      [
        row.type,
        row.field,
        row.categories.join(' '),
        `${row.why.kind}: ${row.why.text}`,
        row.file,
        String(row.line),
        row.exported ? 'yes' : 'no',
        row.declarations.map((d) => `${d.origin} ${d.file}:${d.line}`).join('; '),
        row.routes.map(routeText).join('; '),
        [...new Set(row.routes.map((r) => r.status))].join(' '),
      ]
        .map(quote)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
