// Configuration loading: where it is found, what is accepted, and the exact error for each kind of mistake.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import configSchema from '../schemas/config.schema.json';
import type { HealthDataLintConfig } from '../server/src/engine/config';
import { ConfigError, loadConfig } from '../server/src/engine/load-config';
import { HEALTH_CATEGORIES, RULE_IDS } from '../server/src/engine/model';

function directoryWith(files: Record<string, string>): string {
  const directory = mkdtempSync(join(tmpdir(), 'hdl-config-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(directory, name, '..'), { recursive: true });
    writeFileSync(join(directory, name), content);
  }
  return directory;
}

const fullConfig: Required<HealthDataLintConfig> = {
  terms: [{ term: 'hba1c', categories: ['lab-result'] }],
  ignoreTerms: ['cold'],
  healthTypes: { Dossier: ['patient-record'] },
  healthFields: { 'MoodEntry.journalText': ['mental-health'] },
  notHealthFields: ['Ticket.diagnosis'],
  sinks: [{ module: '@acme/telemetry', name: 'Telemetry.send', kind: 'third-party', recipient: 'acme', argument: 0 }],
  anonymisers: ['aggregateByRegion'],
  pseudonymisers: ['crypto-utils#hashId'],
  rules: { 'log-exposure': 'warning', 'exported-health-field': 'information', 'unprotected-export': 'off' },
  register: 'compliance/register.yaml',
  jurisdictions: ['EU', 'FR'],
  ignore: ['dist/**'],
  ownOrigins: ['https://app.clinic.example'],
  recipients: { 'research-partner': ['https://ingest.partner.example/'] },
  maxFileSize: 500_000,
  workBudget: 100_000,
  documentationBaseUrl: 'https://docs.example/rules/',
};

test('a complete health-data-lint.config.json is accepted as is ($schema aside)', () => {
  const directory = directoryWith({
    'health-data-lint.config.json': JSON.stringify({ $schema: './node_modules/health-data-lint/schemas/config.schema.json', ...fullConfig }),
  });
  assert.deepEqual(loadConfig(directory), { config: fullConfig, file: join(directory, 'health-data-lint.config.json'), directory });
});

test('the healthDataLint key of package.json, found from a sub-folder', () => {
  const directory = directoryWith({
    'package.json': JSON.stringify({ name: 'clinic', healthDataLint: { jurisdictions: ['FR'] } }),
    'src/routes/x.ts': '',
  });
  assert.deepEqual(loadConfig(join(directory, 'src', 'routes')), {
    config: { jurisdictions: ['FR'] },
    file: join(directory, 'package.json'),
    directory,
  });
});

test('the nearest configuration wins; a package.json without the key is passed over', () => {
  const directory = directoryWith({
    'health-data-lint.config.json': '{ "jurisdictions": ["EU"] }',
    'app/package.json': '{ "name": "app" }',
    'app/health-data-lint.config.json': '{ "jurisdictions": ["FR"] }',
    'other/package.json': '{ "name": "other" }',
  });
  assert.deepEqual(loadConfig(join(directory, 'app')).config, { jurisdictions: ['FR'] });
  assert.deepEqual(loadConfig(join(directory, 'other')).config, { jurisdictions: ['EU'] });
  assert.equal(loadConfig(join(directory, 'other')).directory, directory);
});

test('no configuration anywhere: empty config, the start directory as base', () => {
  const directory = directoryWith({ 'src/a.ts': '' });
  const loaded = loadConfig(join(directory, 'src'));
  // The temporary directory's ancestors hold no configuration on a normal machine.
  assert.deepEqual(loaded, { config: {}, directory: join(directory, 'src') });
});

test('an explicit --config path, a package.json given explicitly, and a missing one', () => {
  const directory = directoryWith({
    'conf/lint.json': '{ "ignore": ["gen/**"] }',
    'package.json': '{ "healthDataLint": { "ownOrigins": ["https://a.example"] } }',
    'bare/package.json': '{ "name": "bare" }',
  });
  assert.deepEqual(loadConfig(directory, 'conf/lint.json'), {
    config: { ignore: ['gen/**'] },
    file: join(directory, 'conf', 'lint.json'),
    directory: join(directory, 'conf'),
  });
  assert.deepEqual(loadConfig(directory, 'package.json').config, { ownOrigins: ['https://a.example'] });
  const missing = join(directory, 'missing.json');
  assert.throws(() => loadConfig(directory, 'missing.json'), new ConfigError(`${missing}: configuration file not found`, missing));
  const bare = join(directory, 'bare', 'package.json');
  assert.throws(() => loadConfig(directory, 'bare/package.json'), new ConfigError(`${bare}: has no "healthDataLint" key`, bare));
});

function errorFor(text: string, fileName = 'health-data-lint.config.json'): string {
  const directory = directoryWith({ [fileName]: text });
  try {
    loadConfig(directory);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.file, join(directory, fileName));
    return error.message.split(join(directory, fileName)).join('<file>');
  }
  return assert.fail('expected a ConfigError');
}

const categoryList = HEALTH_CATEGORIES.map((c) => `"${c}"`).join(', ');
const errorCases: [string, string, string][] = [
  ['a wrong severity', '{ "rules": { "log-exposure": "loud" } }', '<file>: rules.log-exposure must be one of "off", "warning", "error", "information" (got "loud")'],
  ['an unknown rule', '{ "rules": { "log-exposur": "off" } }', `<file>: rules.log-exposur is not a known key (expected one of ${RULE_IDS.map((r) => `"${r}"`).join(', ')})`],
  ['an unknown top-level key', '{ "jurisdiction": ["FR"] }', '<file>: jurisdiction is not a known key (expected one of "$schema", "terms", "ignoreTerms", "healthTypes", "healthFields", "notHealthFields", "sinks", "anonymisers", "pseudonymisers", "rules", "register", "jurisdictions", "ignore", "ownOrigins", "recipients", "maxFileSize", "workBudget", "documentationBaseUrl")'],
  ['a wrong type', '{ "ignore": "dist/**" }', '<file>: ignore must be an array (got "dist/**")'],
  ['a non-integer', '{ "maxFileSize": 1.5 }', '<file>: maxFileSize must be an integer (got 1.5)'],
  ['a number too small', '{ "workBudget": 0 }', '<file>: workBudget must be at least 1 (got 0)'],
  ['a missing required key', '{ "terms": [{ "term": "hba1c" }] }', '<file>: terms[0].categories is required'],
  ['an unknown category', '{ "healthTypes": { "Dossier": ["records"] } }', `<file>: healthTypes.Dossier[0] must be one of ${categoryList} (got "records")`],
  ['an empty category list', '{ "terms": [{ "term": "x", "categories": [] }] }', '<file>: terms[0].categories must list at least 1 item'],
  ['a wrong sink kind', '{ "sinks": [{ "name": "track", "kind": "spy" }] }', '<file>: sinks[0].kind must be one of "export", "third-party", "log", "browser" (got "spy")'],
  ['an unknown key in a sink', '{ "sinks": [{ "name": "track", "kind": "log", "args": 1 }] }', '<file>: sinks[0].args is not a known key (expected one of "module", "name", "kind", "recipient", "argument")'],
  ['an empty string', '{ "register": "" }', '<file>: register must not be empty'],
  ['a repeated value', '{ "terms": [{ "term": "x", "categories": ["genetic", "genetic"] }] }', '<file>: terms[0].categories must not list the same value twice (items 0 and 1 are equal)'],
  ['a key that is not an identifier', '{ "healthTypes": { "my type": "x" } }', '<file>: healthTypes["my type"] must be an array (got "x")'],
  ['not an object', '[]', '<file>: the configuration must be an object (got an array)'],
  ['two mistakes', '{ "ignore": 1, "register": 2 }', '<file>: register must be a string (got 2)\n<file>: ignore must be an array (got 1)'],
  ['a trailing comma (line and column)', '{\n  "ignore": ["dist/**"],\n}\n', '<file>:3:1: invalid JSON: Expected double-quoted property name'],
  ['truncated JSON', '{ "ignore": [', '<file>:1:14: invalid JSON: Unexpected end of JSON input'],
];
for (const [what, text, expected] of errorCases) {
  test(`error message for ${what}`, () => assert.equal(errorFor(text), expected));
}

test('errors inside package.json name the healthDataLint key path', () => {
  assert.equal(
    errorFor('{ "name": "x", "healthDataLint": { "rules": { "log-exposure": "loud" } } }', 'package.json'),
    '<file>: healthDataLint.rules.log-exposure must be one of "off", "warning", "error", "information" (got "loud")',
  );
  assert.equal(errorFor('{ "name": "x", "healthDataLint": true }', 'package.json'), '<file>: healthDataLint must be an object (got true)');
});

test('the schema mirrors HealthDataLintConfig: same keys, same enums, a description on every property', () => {
  const keys: Record<keyof HealthDataLintConfig, true> = {
    terms: true, ignoreTerms: true, healthTypes: true, healthFields: true, notHealthFields: true, sinks: true, anonymisers: true, pseudonymisers: true, rules: true,
    register: true, jurisdictions: true, ignore: true, ownOrigins: true, recipients: true, maxFileSize: true,
    workBudget: true, documentationBaseUrl: true,
  };
  const schema = configSchema as Record<string, any>;
  assert.deepEqual(Object.keys(schema.properties).filter((k) => k !== '$schema').sort(), Object.keys(keys).sort());
  assert.deepEqual(Object.keys(schema.properties.rules.properties), [...RULE_IDS]);
  assert.deepEqual(schema.definitions.healthCategory.enum, [...HEALTH_CATEGORIES]);
  const walk = (node: any, path: string): void => {
    if (typeof node !== 'object' || node === null) return;
    if (node.type === 'object' && node.properties) assert.equal(node.additionalProperties, false, `${path} closes its properties`);
    for (const [key, property] of Object.entries<any>(node.properties ?? {})) {
      assert.equal(typeof property.description, 'string', `${path}.${key} has a description`);
      walk(property, `${path}.${key}`);
    }
    walk(node.items, `${path}[]`);
    if (typeof node.additionalProperties === 'object') walk(node.additionalProperties, `${path}.*`);
    for (const [name, definition] of Object.entries<any>(node.definitions ?? {})) walk(definition, `#${name}`);
  };
  walk(schema, 'config');
});
