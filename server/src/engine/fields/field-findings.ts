// The `exported-health-field` rule: at a health-data field's declaration, the export sinks its data reaches unprotected.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { FieldRoute, Finding, HealthField, RelatedLocation, Severity } from '../model';

/**
 * Routes that make a field's marker: an export or a third-party recipient with neither anonymisation nor a valid basis.
 * Logs and the browser are not recipients of an export (they have their own rules and say nothing about the record of
 * processing); covered, anonymised paths are what the fix looks like.
 */
export function isUnprotectedExportRoute(route: FieldRoute): boolean {
  return (route.sink.kind === 'export' || route.sink.kind === 'third-party') && (route.status === 'uncovered' || route.status === 'insufficient');
}

export function exportedHealthFieldFindings(fields: readonly HealthField[], severity: Severity, root: string): Finding[] {
  if (severity === 'off') return [];
  const findings: Finding[] = [];
  // Each file's relative path once: a field read on most paths has thousands of routes, re-worked on every edit.
  const relatives = new Map<string, string>();
  const relative = (file: string) => {
    let shown = relatives.get(file);
    if (shown === undefined) relatives.set(file, (shown = path.relative(root, file).split(path.sep).join('/')));
    return shown;
  };
  for (const field of fields) {
    // Schema files have no editor diagnostics of their own yet: the marker goes on TypeScript declarations only.
    if (field.location.file.match(/\.(prisma|ya?ml|json|graphql|gql|sql)$/)) continue;
    const routes = field.routes.filter(isUnprotectedExportRoute);
    if (routes.length === 0) continue;
    const places = routes.map((route) => `${recipientOf(route)} at ${relative(route.location.file)}:${route.location.line} (${route.ruleId ?? route.status})`);
    const shown = places.slice(0, 3).join('; ') + (places.length > 3 ? `; and ${places.length - 3} more` : '');
    const related: RelatedLocation[] = routes.slice(0, 12).map((route) => ({
      location: route.location,
      message: `leaves here: ${recipientOf(route)}${route.ruleId ? ` (${route.ruleId})` : ''}`,
    }));
    findings.push({
      ruleId: 'exported-health-field',
      severity,
      message:
        `Health-data field \`${field.container}.${field.field}\` (${field.categories.join(', ')}) leaves without anonymisation or a valid legal basis ` +
        `through ${routes.length === 1 ? '1 route' : `${routes.length} routes`}: ${shown}.`,
      location: field.location,
      flows: [],
      related,
      categories: [...field.categories],
      fingerprint: createHash('sha256')
        .update(`exported-health-field\0${relative(field.location.file)}\0${field.container}.${field.field}`)
        .digest('hex')
        .slice(0, 32),
    });
  }
  return findings;
}

function recipientOf(route: FieldRoute): string {
  return route.recipient ? `${route.sink.label} → ${route.recipient}` : route.sink.label;
}
