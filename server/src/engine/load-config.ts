// Finds, parses and validates the configuration (health-data-lint.config.json or package.json `healthDataLint`).
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import configSchema from '../../../schemas/config.schema.json';
import type { HealthDataLintConfig } from './config';

export const CONFIG_FILE_NAME = 'health-data-lint.config.json';
export const PACKAGE_JSON_KEY = 'healthDataLint';

/** A configuration that cannot be used; the message names the file, the key path and the expected form. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(message);
  }
}

export interface LoadedConfig {
  config: HealthDataLintConfig;
  /** The file the configuration came from; absent when none was found (defaults apply). */
  file?: string;
  /** Directory relative paths of the configuration (register, ignore globs) are resolved against. */
  directory: string;
}

let configValidator: ValidateFunction | undefined;

/** Compiled on first use: compiling a schema costs ~0.1 s of every start of the CLI and server, with or without a configuration. */
function validateConfig(): ValidateFunction {
  return (configValidator ??= new Ajv({ allErrors: true, verbose: true, strict: true }).compile(configSchema));
}

/**
 * Loads the configuration for a scan started in `startDirectory`: the explicit file when given, else the
 * nearest health-data-lint.config.json or package.json with a `healthDataLint` key, walking up to the root.
 */
export function loadConfig(startDirectory: string, explicitPath?: string): LoadedConfig {
  if (explicitPath !== undefined) return loadExplicitConfig(resolve(startDirectory, explicitPath));
  for (let directory = resolve(startDirectory); ; directory = dirname(directory)) {
    const configFile = join(directory, CONFIG_FILE_NAME);
    if (existsSync(configFile)) return { config: parseConfigFile(configFile), file: configFile, directory };
    const packageFile = join(directory, 'package.json');
    if (existsSync(packageFile)) {
      const fromPackage = readPackageConfig(packageFile);
      if (fromPackage) return { config: fromPackage, file: packageFile, directory };
    }
    if (dirname(directory) === directory) return { config: {}, directory: resolve(startDirectory) };
  }
}

function loadExplicitConfig(file: string): LoadedConfig {
  if (!existsSync(file)) throw new ConfigError(`${displayPath(file)}: configuration file not found`, file);
  if (statSync(file).isDirectory()) {
    throw new ConfigError(`${displayPath(file)}: expected a configuration file, got a directory`, file);
  }
  if (basename(file) === 'package.json') {
    const fromPackage = readPackageConfig(file);
    if (!fromPackage) throw new ConfigError(`${displayPath(file)}: has no "${PACKAGE_JSON_KEY}" key`, file);
    return { config: fromPackage, file, directory: dirname(file) };
  }
  return { config: parseConfigFile(file), file, directory: dirname(file) };
}

function readPackageConfig(packageFile: string): HealthDataLintConfig | undefined {
  const manifest = parseJsonFile(packageFile);
  if (typeof manifest !== 'object' || manifest === null || !(PACKAGE_JSON_KEY in manifest)) return undefined;
  return validate((manifest as Record<string, unknown>)[PACKAGE_JSON_KEY], packageFile, true);
}

function parseConfigFile(file: string): HealthDataLintConfig {
  return validate(parseJsonFile(file), file, false);
}

function parseJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    throw new ConfigError(`${displayPath(file)}: cannot read the file (${(error as Error).message})`, file);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const { line, column, detail } = locateJsonError(text, (error as Error).message);
    throw new ConfigError(`${displayPath(file)}:${line}:${column}: invalid JSON: ${detail}`, file);
  }
}

/** Turns V8's "... at position N" (or "(line L column C)") into a line and column people can jump to. */
export function locateJsonError(text: string, message: string): { line: number; column: number; detail: string } {
  const lineColumn = /\(line (\d+) column (\d+)\)/.exec(message);
  const detail = message
    .replace(/,?\s*"[^"]*"\s*is not valid JSON/, '')
    .replace(/ in JSON at position \d+.*$/, '')
    .replace(/\s*\(line \d+ column \d+\)/, '')
    .trim();
  if (lineColumn) return { line: Number(lineColumn[1]), column: Number(lineColumn[2]), detail };
  const position = /at position (\d+)/.exec(message);
  const offset = position ? Number(position[1]) : text.length;
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  return { line: before.length, column: before[before.length - 1].length + 1, detail };
}

function validate(value: unknown, file: string, insidePackageJson: boolean): HealthDataLintConfig {
  const problems = configProblems(value, insidePackageJson ? PACKAGE_JSON_KEY : '', insidePackageJson ? PACKAGE_JSON_KEY : 'the configuration');
  if (problems.length === 0) {
    const { $schema: _schemaReference, ...config } = value as HealthDataLintConfig & { $schema?: string };
    return config;
  }
  throw new ConfigError(problems.map((problem) => `${displayPath(file)}: ${problem}`).join('\n'), file);
}

/**
 * What is wrong with a configuration value (empty when it is valid), each problem naming its key path under
 * `prefix` ("rules.log-exposure must be one of ..."). Also used for the editor settings that extend the file.
 */
export function configProblems(value: unknown, prefix: string, rootName: string): string[] {
  return [...new Set(locatedConfigProblems(value, prefix, rootName).map((problem) => problem.message))];
}

/** A configuration problem with the JSON pointer of the value it concerns (an unknown key: the key itself). */
export interface LocatedConfigProblem {
  /** JSON pointer into the configuration value (`/rules/log-exposure`, `/sinks/0/kind`). */
  pointer: string;
  /** True when the pointer names a key that should not be there (point at the key, not its value). */
  atKey: boolean;
  message: string;
}

export function locatedConfigProblems(value: unknown, prefix: string, rootName: string): LocatedConfigProblem[] {
  const validate = validateConfig();
  if (validate(value)) return [];
  return (validate.errors ?? [])
    .filter((error) => error.propertyName === undefined) // propertyNames sub-errors repeat their parent
    .map((error) => {
      const unknownKey = error.keyword === 'additionalProperties' ? String((error.params as Record<string, unknown>).additionalProperty) : undefined;
      return {
        pointer: unknownKey === undefined ? error.instancePath : `${error.instancePath}/${escapePointer(unknownKey)}`,
        atKey: unknownKey !== undefined,
        message: describeSchemaError(error, prefix, rootName),
      };
    });
}

function describeSchemaError(error: ErrorObject, prefix: string, rootName: string): string {
  const path = keyPath(prefix, error.instancePath) || rootName;
  const got = describeValue(error.data);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'enum':
      return `${path} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')} (got ${got})`;
    case 'type':
      return `${path} must be ${withArticle(String(params.type))} (got ${got})`;
    case 'additionalProperties': {
      const known = Object.keys((error.parentSchema?.properties as object | undefined) ?? {});
      const unknownKey = keyPath(keyPath(prefix, error.instancePath), `/${escapePointer(String(params.additionalProperty))}`);
      return `${unknownKey} is not a known key (expected one of ${known.map((k) => JSON.stringify(k)).join(', ')})`;
    }
    case 'required':
      return `${keyPath(keyPath(prefix, error.instancePath), `/${escapePointer(String(params.missingProperty))}`)} is required`;
    case 'minItems':
      return `${path} must list at least ${params.limit} item${params.limit === 1 ? '' : 's'}`;
    case 'minLength':
      return `${path} must not be empty`;
    case 'minimum':
      return `${path} must be at least ${params.limit} (got ${got})`;
    case 'uniqueItems':
      return `${path} must not list the same value twice (items ${params.j} and ${params.i} are equal)`;
    case 'propertyNames':
      return `${path} has an invalid key ${JSON.stringify(params.propertyName)} (keys must not be empty)`;
    default:
      return `${path} ${error.message ?? 'is invalid'}`;
  }
}

/** `/rules/log-exposure` -> `rules.log-exposure`; `/terms/0/term` -> `terms[0].term`. */
function keyPath(prefix: string, pointer: string): string {
  let path = prefix;
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(segment)) path += `[${segment}]`;
    else if (/^[\w$-]+$/.test(segment)) path += path ? `.${segment}` : segment;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path;
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function withArticle(type: string): string {
  return type
    .split(',')
    .map((t) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`))
    .join(' or ');
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return JSON.stringify(value);
}

/** Paths under the working directory are shown relative to it (as people typed them), others absolute. */
export function displayPath(file: string): string {
  const fromCwd = relative(process.cwd(), file);
  return fromCwd && !fromCwd.startsWith('..') && !isAbsolute(fromCwd) ? fromCwd : file;
}
