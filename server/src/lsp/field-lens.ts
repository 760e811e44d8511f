// CodeLens above each type that holds health-data fields: how many, and where their data goes
// ("3 health fields · 2 routes covered (gdpr-6-1-e, gdpr-9-2-h) · 1 to a partner API with no basis").
import * as path from 'node:path';
import type { CodeLens } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { HealthField, SinkKind } from '../engine/model';
import { CLIENT_COMMANDS } from './protocol';

const KIND_WORDS: Record<SinkKind, [string, string]> = {
  export: ['to a partner API or export', 'to partner APIs or exports'],
  'third-party': ['to a third party', 'to third parties'],
  log: ['to a log', 'to logs'],
  browser: ['to browser storage', 'to browser storage'],
};

/**
 * One lens per type of `file` that declares health fields, on the line that declares the type; it opens the Health data
 * flows view on that type (command arguments: the document URI and the type name).
 */
export function fieldLenses(file: string, fields: readonly HealthField[], document: TextDocument): CodeLens[] {
  const here = fields.filter((field) => field.declarations.some((d) => d.origin === 'typescript' && path.normalize(d.location.file) === path.normalize(file)));
  const byContainer = new Map<string, HealthField[]>();
  for (const field of here) byContainer.set(field.container, [...(byContainer.get(field.container) ?? []), field]);
  const text = document.getText();
  return [...byContainer].map(([container, ofType]) => {
    const firstLine = Math.min(...ofType.map((field) => field.location.line)) - 1;
    const line = declarationLine(text, container, firstLine);
    return {
      range: { start: { line, character: 0 }, end: { line, character: 0 } },
      // The view filtered to this type: the flows that carry one of its fields (the file's other types have their own lens).
      command: { title: lensTitle(ofType), command: CLIENT_COMMANDS.showDataFlows, arguments: [document.uri, container] },
    };
  });
}

export function lensTitle(fields: readonly HealthField[]): string {
  const parts = [`${fields.length} health field${fields.length === 1 ? '' : 's'}`];
  const routes = dedupe(fields.flatMap((field) => field.routes));
  const covered = routes.filter((route) => route.status === 'covered');
  if (covered.length > 0) {
    const bases = [...new Set(covered.flatMap((route) => route.basis ?? []))];
    parts.push(`${covered.length} route${covered.length === 1 ? '' : 's'} covered${bases.length > 0 ? ` (${bases.join(', ')})` : ''}`);
  }
  const anonymised = routes.filter((route) => route.status === 'anonymised').length;
  if (anonymised > 0) parts.push(`${anonymised} anonymised`);
  const gaps = routes.filter((route) => route.status === 'uncovered' || route.status === 'insufficient');
  for (const kind of ['export', 'third-party', 'log', 'browser'] as SinkKind[]) {
    const ofKind = gaps.filter((route) => route.sink.kind === kind).length;
    if (ofKind > 0) parts.push(`${ofKind} ${KIND_WORDS[kind][ofKind === 1 ? 0 : 1]} with no valid basis`);
  }
  if (routes.length === 0) parts.push('no route out of the code found');
  return parts.join(' · ');
}

function dedupe(routes: HealthField['routes']): HealthField['routes'] {
  const seen = new Set<string>();
  return routes.filter((route) => {
    const key = `${route.location.file}:${route.location.line}:${route.location.column}:${route.status}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The line declaring `container` (interface, type, class, const schema) at or above the first field, else that field's line. */
function declarationLine(text: string, container: string, fieldLine: number): number {
  const lines = text.split(/\r?\n/);
  const declaration = new RegExp(`\\b(interface|type|class|const|let|var|enum)\\s+${container.replace(/[$]/g, '\\$&')}\\b`);
  for (let line = Math.min(fieldLine, lines.length - 1); line >= 0; line--) if (declaration.test(lines[line] ?? '')) return line;
  return Math.max(0, fieldLine);
}
