// The health-data fields of one TypeScript program with their routes: every data flow whose sources read a field.
import type { ts } from '../program/compiler';
import type { TypeClassifier } from '../classify/types';
import type { DataFlow, FieldRoute, HealthCategory, HealthField } from '../model';
import { HEALTH_CATEGORIES } from '../model';
import { fieldsReadAt } from './field-reads';
import type { FieldOverrides } from './overrides';
import { declaredFields, type TypeScriptField } from './typescript-fields';

export interface ProjectFieldInput {
  program: ts.Program;
  checker: ts.TypeChecker;
  types: TypeClassifier;
  sourceFiles: readonly ts.SourceFile[];
  /** This program's flows (covered, anonymised and uncovered alike). */
  flows: readonly DataFlow[];
  overrides: FieldOverrides;
}

export function projectHealthFields(input: ProjectFieldInput): HealthField[] {
  const declared = new Map<string, TypeScriptField>();
  for (const sf of input.sourceFiles) for (const [key, field] of declaredFields(sf, input.checker, input.types, input.overrides)) declared.set(key, field);

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
      const read = fieldsReadAt(input.program, input.checker, source.location);
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
  const key = routeKey(route);
  if (!field.routes.some((r) => routeKey(r) === key)) field.routes.push(route);
}

export function routeKey(route: FieldRoute): string {
  return `${route.location.file}:${route.location.line}:${route.location.column}:${route.sink.kind}:${route.status}:${route.ruleId ?? ''}`;
}

function ordered(categories: readonly HealthCategory[]): HealthCategory[] {
  const set = new Set(categories);
  return HEALTH_CATEGORIES.filter((c) => set.has(c));
}
