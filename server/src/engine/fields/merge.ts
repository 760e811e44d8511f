// One field, one entry: the same TypeScript declaration seen by several programs, and a schema field and a TypeScript
// field of the same type and field name (`mood_entries.journal_text`, `MoodEntry.journalText`), merged.
import { HEALTH_CATEGORIES, type HealthField } from '../model';
import { routeKey } from './project-fields';
import { typeNameOf } from './schemas';

/** Fields with no categories (schema fields that are not health data) only add declarations to a health field. */
export function mergeHealthFields(fields: readonly HealthField[]): HealthField[] {
  const byName = new Map<string, HealthField>();
  // What each merged field already holds, so merging is a lookup per route and declaration, not a scan.
  const seen = new Map<HealthField, { routes: Set<string>; declarations: Set<string> }>();
  const where = (d: HealthField['declarations'][number]) => `${d.location.file}:${d.location.line}:${d.location.column}`;
  const ordered = [...fields].sort((a, b) => originRank(a) - originRank(b));
  for (const field of ordered) {
    const key = nameKey(field.container, field.field);
    const existing = byName.get(key);
    if (!existing) {
      const copy = { ...field, declarations: [...field.declarations], routes: [...field.routes], categories: [...field.categories] };
      byName.set(key, copy);
      seen.set(copy, { routes: new Set(copy.routes.map(routeKey)), declarations: new Set(copy.declarations.map(where)) });
      continue;
    }
    const held = seen.get(existing)!;
    if (existing.categories.length === 0 && field.categories.length > 0) {
      existing.reason = field.reason;
      existing.location = field.location;
      existing.container = field.container;
      existing.field = field.field;
    }
    const categories = new Set([...existing.categories, ...field.categories]);
    existing.categories = HEALTH_CATEGORIES.filter((c) => categories.has(c));
    existing.exported = existing.exported || field.exported;
    for (const declaration of field.declarations) {
      if (held.declarations.has(where(declaration))) continue;
      held.declarations.add(where(declaration));
      existing.declarations.push(declaration);
    }
    for (const route of field.routes) {
      if (held.routes.has(routeKey(route))) continue;
      held.routes.add(routeKey(route));
      existing.routes.push(route);
    }
  }
  const merged = [...byName.values()].filter((field) => field.categories.length > 0).sort(compareFields);
  for (const field of merged) field.routes.sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line || a.location.column - b.location.column);
  return merged;
}

/** TypeScript first: its name and location are the ones the editor shows. */
function originRank(field: HealthField): number {
  const origin = field.declarations[0]?.origin;
  return origin === 'typescript' ? 0 : origin === 'zod' || origin === 'orm' ? 1 : 2;
}

function nameKey(container: string, field: string): string {
  const flat = (text: string) => text.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
  return `${flat(typeNameOf(container))}.${flat(field)}`;
}

function compareFields(a: HealthField, b: HealthField): number {
  return a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line || a.location.column - b.location.column;
}
