// Finds the schema files under the scanned paths (Prisma, OpenAPI, GraphQL SDL, SQL migrations) and classifies their fields.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { globSync } from 'tinyglobby';
import type { HealthDataLintConfig } from '../../config';
import type { DirectoryReads } from '../../program/directory-reads';
import { classifyName, classifyTypeName } from '../../classify/names';
import { HEALTH_CATEGORIES, type ClassificationReason, type HealthCategory, type HealthField } from '../../model';
import { configuredFieldOverride } from '../overrides';
import { parseGraphqlSchema } from './graphql';
import type { SchemaField } from './model';
import { looksLikeOpenApi, parseOpenApiSchema } from './openapi';
import { parsePrismaSchema } from './prisma';
import { parseSqlSchema } from './sql';
import { SCHEMA_DOCUMENT_EXTENSIONS, SCHEMA_EXTENSIONS } from './files';

const SCHEMA_GLOBS = [...SCHEMA_EXTENSIONS, ...SCHEMA_DOCUMENT_EXTENSIONS].map((extension) => `**/*.${extension}`);
const IGNORED = ['**/node_modules/**', '**/.git/**', '**/dist/**', '**/build/**', '**/out/**', '**/coverage/**', '**/.next/**', '**/package.json', '**/package-lock.json', '**/tsconfig*.json', '**/jsconfig*.json'];
/** Schema files are small; a multi-megabyte JSON is data, not a schema. */
const MAX_SCHEMA_FILE = 2_000_000;
const BOOKKEEPING = /^(id|uuid|version|status|state|created_?at|updated_?at|deleted_?at|created_?by|updated_?by|tenant_?id)$|(_id|Id|_at|At)$/i;
const GENERAL_RECORD_CATEGORIES = new Set<HealthCategory>(['patient-record', 'encounter', 'health-insurance']);

/**
 * Every field of every schema file, as HealthFields without routes (the code's flows give routes). A field that is not
 * health data comes back with no categories: merged with a TypeScript field of the same name it still adds its declaration.
 */
export function schemaFieldsUnder(paths: readonly string[], config: HealthDataLintConfig, isIgnored: (file: string) => boolean): HealthField[] {
  return schemaFieldsOf(schemaFilesUnder(paths), config, isIgnored);
}

/**
 * The files under `paths` that may be schemas (by name; their content decides), sorted. `reads`: the folder reads of
 * the listing this is part of (see `DirectoryReads`), when the projects were looked for in the same folders.
 */
export function schemaFilesUnder(paths: readonly string[], reads?: DirectoryReads): string[] {
  const files = new Set<string>();
  for (const given of paths) {
    const target = path.resolve(given);
    if (!fs.existsSync(target)) continue;
    if (fs.statSync(target).isFile()) files.add(target);
    else for (const file of globSync(SCHEMA_GLOBS, { cwd: target, absolute: true, ignore: IGNORED, followSymbolicLinks: false, ...(reads && { fs: reads.adapter }) })) files.add(path.normalize(file));
  }
  return [...files].sort();
}

/** The fields the schema files declare, each classified. */
export function schemaFieldsOf(files: readonly string[], config: HealthDataLintConfig, isIgnored: (file: string) => boolean): HealthField[] {
  const fields: HealthField[] = [];
  const configKey = JSON.stringify(config);
  for (const file of files) {
    if (isIgnored(file)) continue;
    fields.push(...schemaFileFields(file, config, configKey));
  }
  return fields;
}

/**
 * Each schema file's fields, kept while its size, time and the configuration stay the same: the editor reads the
 * schema files on every edit, and the same field objects let it keep what it built from them (see scan.ts).
 */
const schemaFiles = new Map<string, { size: number; mtime: number; config: string; fields: HealthField[] }>();

function schemaFileFields(file: string, config: HealthDataLintConfig, configKey: string): HealthField[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    schemaFiles.delete(file);
    return [];
  }
  const kept = schemaFiles.get(file);
  if (kept && kept.size === stat.size && kept.mtime === stat.mtimeMs && kept.config === configKey) return kept.fields;
  const fields = (stat.size > MAX_SCHEMA_FILE ? [] : parseSchemaFile(file)).map((field) => classifySchemaField(field, file, config));
  schemaFiles.set(file, { size: stat.size, mtime: stat.mtimeMs, config: configKey, fields });
  return fields;
}

/** A schema file's fields (its size already checked against MAX_SCHEMA_FILE). */
function parseSchemaFile(file: string): SchemaField[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  try {
    if (file.endsWith('.prisma')) return parsePrismaSchema(text);
    if (/\.(graphql|graphqls|gql)$/.test(file)) return parseGraphqlSchema(text);
    if (file.endsWith('.sql')) return /create\s+(\w+\s+)*table/i.test(text) ? parseSqlSchema(text) : [];
    return looksLikeOpenApi(text) ? parseOpenApiSchema(text) : [];
  } catch {
    return []; // a schema we cannot read is not the code's problem: the TypeScript analysis goes on
  }
}

function classifySchemaField(field: SchemaField, file: string, config: HealthDataLintConfig): HealthField {
  const classification = classificationOf(field, file, config);
  return {
    container: field.container,
    field: field.field,
    categories: classification ? ordered(classification.categories) : [],
    reason: classification?.reason ?? { kind: 'schema', matched: field.field, text: 'not health data' },
    location: { file, line: field.line, column: field.column, endLine: field.line, endColumn: field.column + field.field.length },
    exported: true,
    declarations: [
      {
        origin: field.origin,
        container: field.container,
        field: field.field,
        location: { file, line: field.line, column: field.column, endLine: field.line, endColumn: field.column + field.field.length },
        exported: true,
      },
    ],
    routes: [],
  };
}

function classificationOf(field: SchemaField, file: string, config: HealthDataLintConfig): { categories: HealthCategory[]; reason: ClassificationReason } | undefined {
  const where = `${path.basename(file)} (${field.origin} ${field.container})`;
  if (field.tag?.kind === 'not') return undefined;
  if (field.tag?.kind === 'health') {
    const valid = field.tag.categories.filter((c) => (HEALTH_CATEGORIES as readonly string[]).includes(c));
    const categories = valid.length > 0 ? valid : (['clinical-note'] as HealthCategory[]);
    return { categories, reason: { kind: 'tag', matched: '@healthData', text: `field \`${field.field}\` is tagged @healthData in ${where} (${categories.join(', ')})` } };
  }
  const configured = configuredFieldOverride(config, field.container, field.field) ?? configuredFieldOverride(config, typeNameOf(field.container), field.field);
  if (configured?.kind === 'not') return undefined;
  if (configured?.kind === 'health') return configured;
  const options = { extraTerms: config.terms, ignoreTerms: config.ignoreTerms };
  const byName = classifyName(field.field, { container: field.container, siblings: field.siblings, path: file }, options);
  if (byName) return { categories: byName.categories, reason: { ...byName.reason, text: `${byName.reason.text}, in ${where}` } };
  // A column of a table named for one kind of health data (`prescriptions.dosage`) is that data, when another column is too.
  if (BOOKKEEPING.test(field.field)) return undefined;
  const record = classifyTypeName(typeNameOf(field.container), { healthTypes: config.healthTypes });
  const specific = record?.categories.filter((c) => !GENERAL_RECORD_CATEGORIES.has(c)) ?? [];
  const corroborated = field.siblings.some((other) => other !== field.field && classifyName(other, { container: field.container, siblings: field.siblings }, options));
  if (record && specific.length > 0 && corroborated) {
    return { categories: specific, reason: { kind: 'schema', matched: field.container, text: `\`${field.field}\` is part of \`${field.container}\` in ${where}, a ${specific.join('/')} record` } };
  }
  return undefined;
}

/** `mood_entries` → `MoodEntry`: tables are plural snake case, types singular Pascal case. */
export function typeNameOf(container: string): string {
  const words = container.split(/[_\-\s]+/).filter(Boolean);
  const last = words.length - 1;
  if (last >= 0) words[last] = singular(words[last]);
  return words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

function singular(word: string): string {
  if (/ies$/i.test(word)) return word.slice(0, -3) + 'y';
  if (/(ss|us|is)$/i.test(word)) return word;
  if (/(ches|shes|xes|ses)$/i.test(word)) return word.slice(0, -2);
  if (/s$/i.test(word)) return word.slice(0, -1);
  return word;
}

function ordered(categories: readonly HealthCategory[]): HealthCategory[] {
  const set = new Set(categories);
  return HEALTH_CATEGORIES.filter((c) => set.has(c));
}
