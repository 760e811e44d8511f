// Overrides of a field's classification: `@healthData` / `@notHealthData` in its JSDoc, or `healthFields` / `notHealthFields` in configuration.
import { ts } from '../program/compiler';
import type { HealthDataLintConfig } from '../config';
import { HEALTH_CATEGORIES, type ClassificationReason, type HealthCategory } from '../model';

export interface FieldOverrides {
  /** `"Type.field"` or `"field"` (any type) → categories. */
  healthFields?: HealthDataLintConfig['healthFields'];
  /** `"Type.field"` or `"field"` (any type) that are never health data. */
  notHealthFields?: HealthDataLintConfig['notHealthFields'];
}

export type FieldOverride =
  | { kind: 'health'; categories: HealthCategory[]; reason: ClassificationReason }
  | { kind: 'not'; reason: ClassificationReason };

/**
 * The override that applies to a field, the JSDoc tag first (it sits on the code a reviewer reads), then configuration,
 * `Type.field` before `field`. A `@healthData` tag without categories counts as a clinical note: free text we cannot name.
 */
export function overrideFor(overrides: FieldOverrides, container: string, field: string, declaration?: ts.Node): FieldOverride | undefined {
  const tag = declaration ? healthTagOf(declaration) : undefined;
  if (tag?.kind === 'not') return { kind: 'not', reason: { kind: 'tag', matched: '@notHealthData', text: `field \`${field}\` is tagged @notHealthData` } };
  if (tag?.kind === 'health') {
    const categories = tag.categories.length > 0 ? tag.categories : (['clinical-note'] as HealthCategory[]);
    return { kind: 'health', categories, reason: { kind: 'tag', matched: '@healthData', text: `field \`${field}\` is tagged @healthData (${categories.join(', ')})` } };
  }
  return configuredFieldOverride(overrides, container, field);
}

/** The configuration's word on a field (also consulted by the type classifier, so flows and the field view agree). */
export function configuredFieldOverride(overrides: FieldOverrides, container: string | undefined, field: string): FieldOverride | undefined {
  const keys = [...(container ? [`${container}.${field}`] : []), field];
  for (const key of keys) {
    if (overrides.notHealthFields?.includes(key)) {
      return { kind: 'not', reason: { kind: 'config', matched: key, text: `\`${key}\` is listed in notHealthFields (configuration)` } };
    }
    const categories = overrides.healthFields?.[key];
    if (categories && categories.length > 0) {
      return { kind: 'health', categories: [...categories], reason: { kind: 'config', matched: key, text: `\`${key}\` is a configured health field (${categories.join(', ')})` } };
    }
  }
  return undefined;
}

function healthTagOf(node: ts.Node): { kind: 'health' | 'not'; categories: HealthCategory[] } | undefined {
  for (const tag of ts.getJSDocTags(node)) {
    const name = tag.tagName.text.toLowerCase();
    if (name !== 'healthdata' && name !== 'nothealthdata') continue;
    const text = typeof tag.comment === 'string' ? tag.comment : (ts.getTextOfJSDocComment(tag.comment) ?? '');
    const categories = text.split(/[\s,]+/).filter((w): w is HealthCategory => (HEALTH_CATEGORIES as readonly string[]).includes(w));
    return { kind: name === 'healthdata' ? 'health' : 'not', categories };
  }
  return undefined;
}
