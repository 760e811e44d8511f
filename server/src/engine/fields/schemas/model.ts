// What a schema-file parser gives back: fields as written in the file, with their position and any health tag.
import type { FieldOrigin, HealthCategory } from '../../model';

export interface SchemaField {
  origin: FieldOrigin;
  container: string;
  field: string;
  /** 1-based line and column of the field's name. */
  line: number;
  column: number;
  /** A `@healthData` / `@notHealthData` marker in the schema (doc comment, directive, `x-health-data`). */
  tag?: { kind: 'health' | 'not'; categories: HealthCategory[] };
  /** Names of the other fields of the same container (context for weak terms). */
  siblings: string[];
}

/** Reads the categories after `@healthData` in a comment or directive argument. */
export function tagFromText(text: string): SchemaField['tag'] {
  const match = /@(not)?healthdata\b([^\n]*)/i.exec(text);
  if (!match) return undefined;
  const categories = (match[2] ?? '').split(/[\s,()"'[\]:]+/).filter(Boolean) as HealthCategory[];
  return { kind: match[1] ? 'not' : 'health', categories };
}

export function withSiblings(fields: Omit<SchemaField, 'siblings'>[]): SchemaField[] {
  const byContainer = new Map<string, string[]>();
  for (const f of fields) byContainer.set(f.container, [...(byContainer.get(f.container) ?? []), f.field]);
  return fields.map((f) => ({ ...f, siblings: byContainer.get(f.container) ?? [] }));
}
