// The health-data fields of one TypeScript program with their routes: every data flow whose sources read a field.
import type { DataFlow, FieldRoute, HealthCategory, HealthField, SourceLocation } from '../model';
import { HEALTH_CATEGORIES } from '../model';
import type { FieldRead } from './field-reads';
import type { TypeScriptField } from './typescript-fields';

export interface ProjectFieldInput {
  /** The project's field declarations (see `declaredFields`), keyed by `declarationKey`. */
  declared: ReadonlyMap<string, TypeScriptField>;
  /** The fields read at a flow's source (see `fieldsReadAt`), worked out while the Program was there. */
  readsAt(location: SourceLocation): FieldRead;
  /** This program's flows (covered, anonymised and uncovered alike). */
  flows: readonly DataFlow[];
}

export function projectHealthFields(input: ProjectFieldInput): HealthField[] {
  const declared = input.declared;

  const fields = new Map<string, HealthField>();
  const fieldFor = (key: string, fallback?: { categories: HealthCategory[]; text: string }): HealthField | undefined => {
    const existing = fields.get(key);
    if (existing) return existing;
    const found = declared.get(key);
    if (!found) return undefined;
    const classification =
      found.classification ??
      (fallback && { categories: fallback.categories, reason: { kind: 'term' as const, matched: found.declaration.field, text: fallback.text } });
    if (!classification) return undefined;
    const field: HealthField = {
      container: found.declaration.container,
      field: found.declaration.field,
      categories: ordered(classification.categories),
      reason: classification.reason,
      location: found.declaration.location,
      exported: found.declaration.exported,
      declarations: [found.declaration],
      routes: [],
    };
    fields.set(key, field);
    return field;
  };
  for (const [key, found] of declared) if (found.classification) fieldFor(key);

  for (const flow of input.flows) {
    for (const source of flow.sources) {
      const read = input.readsAt(source.location);
      for (const key of read.keys) {
        // A member read the flow stage called health data is that field's data even when the declaration alone did not
        // say so; not when the member's type is a type parameter (`D1Result<T>.results` is whatever T is).
        const declaration = declared.get(key);
        const fallback =
          declaration && !declaration.overriddenNotHealth && !declaration.genericType
            ? { categories: source.categories, text: `read as health data at \`${source.text}\` (${source.categories.join(', ')})` }
            : undefined;
        const field = fieldFor(key, fallback);
        if (field) addRoute(field, flow);
      }
      for (const key of read.recordKeys) {
        const field = fieldFor(key);
        if (field) addRoute(field, flow);
      }
    }
  }
  return [...fields.values()];
}

/** The keys of each field's routes, so adding one is a lookup (a field read on every path had thousands of routes). */
const routeKeys = new WeakMap<HealthField, Set<string>>();

function addRoute(field: HealthField, flow: DataFlow): void {
  const route: FieldRoute = {
    sink: flow.sink,
    ...(flow.recipient !== undefined && { recipient: flow.recipient }),
    location: flow.location,
    status: flow.status,
    pseudonymised: flow.pseudonymised,
    ...(flow.basis && flow.basis.length > 0 && { basis: [...new Set(flow.basis.flatMap((b) => (b.processingId ? [b.processingId, ...b.ids] : b.ids)))] }),
    ...(flow.ruleId !== undefined && { ruleId: flow.ruleId }),
  };
  let keys = routeKeys.get(field);
  if (!keys) routeKeys.set(field, (keys = new Set(field.routes.map(routeKey))));
  const key = routeKey(route);
  if (keys.has(key)) return;
  keys.add(key);
  field.routes.push(route);
}

export function routeKey(route: FieldRoute): string {
  return `${route.location.file}:${route.location.line}:${route.location.column}:${route.sink.kind}:${route.status}:${route.ruleId ?? ''}`;
}

function ordered(categories: readonly HealthCategory[]): HealthCategory[] {
  const set = new Set(categories);
  return HEALTH_CATEGORIES.filter((c) => set.has(c));
}
