// Reads `components.schemas` (OpenAPI 3) or `definitions` (Swagger 2) of an OpenAPI document, YAML or JSON.
import { isMap, isScalar, LineCounter, parseDocument, type YAMLMap } from 'yaml';
import type { HealthCategory } from '../../model';
import { withSiblings, type SchemaField } from './model';

/** Whether a YAML/JSON text is an OpenAPI or Swagger document (cheap test before parsing). */
export function looksLikeOpenApi(text: string): boolean {
  return /^\s*["']?(openapi|swagger)["']?\s*:/m.test(text);
}

export function parseOpenApiSchema(text: string): SchemaField[] {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: false });
  const root = document.contents;
  if (!isMap(root)) return [];
  const schemas = (root.getIn(['components', 'schemas']) ?? root.get('definitions')) as unknown;
  if (!isMap(schemas)) return [];
  const fields: Omit<SchemaField, 'siblings'>[] = [];
  for (const pair of schemas.items) {
    if (!isScalar(pair.key) || !isMap(pair.value)) continue;
    const container = String(pair.key.value);
    const holders: YAMLMap[] = [pair.value];
    const allOf = pair.value.get('allOf') as unknown;
    if (allOf && typeof allOf === 'object' && 'items' in allOf) for (const item of (allOf as { items: unknown[] }).items) if (isMap(item)) holders.push(item);
    for (const holder of holders) {
      const properties = holder.get('properties') as unknown;
      if (!isMap(properties)) continue;
      for (const property of properties.items) {
        if (!isScalar(property.key) || !property.key.range) continue;
        const position = lineCounter.linePos(property.key.range[0]);
        const tag = isMap(property.value) ? extensionTag(property.value.get('x-health-data')) : undefined;
        fields.push({ origin: 'openapi', container, field: String(property.key.value), line: position.line, column: position.col, ...(tag && { tag }) });
      }
    }
  }
  return withSiblings(fields);
}

/** `x-health-data: true`, `x-health-data: [mental-health]`, `x-health-data: false`. */
function extensionTag(value: unknown): SchemaField['tag'] {
  if (value === undefined || value === null) return undefined;
  const plain = isScalar(value) ? value.value : typeof value === 'object' && value !== null && 'toJSON' in value ? (value as { toJSON(): unknown }).toJSON() : value;
  if (plain === false) return { kind: 'not', categories: [] };
  if (plain === true) return { kind: 'health', categories: [] };
  if (Array.isArray(plain)) return { kind: 'health', categories: plain.map(String) as HealthCategory[] };
  if (typeof plain === 'string') return { kind: 'health', categories: plain.split(/[\s,]+/) as HealthCategory[] };
  return undefined;
}
