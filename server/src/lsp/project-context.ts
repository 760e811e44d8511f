// What quick fixes need to know about the project a file belongs to: the register's processing entries (for
// `@processing <id>`) and the configured anonymisers (to wrap an exported value). Read on demand from disk, the
// same files the analysis reads; a broken file gives nothing to offer rather than an error.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../engine/load-config';
import { loadRegister } from '../engine/legal/register';
import type { ConfigOverrides } from './settings';

export interface ProcessingChoice {
  id: string;
  purpose?: string;
}

export interface AnonymiserChoice {
  /** The function to call. */
  name: string;
  /** The module to import it from, relative to the file (`../lib/anonymise`) or a package; absent = in scope already. */
  importFrom?: string;
}

export interface ProjectContext {
  processings: ProcessingChoice[];
  anonymisers: AnonymiserChoice[];
}

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.js', '.jsx', '.mjs', '/index.ts', '/index.js'];

export function projectContextFor(file: string, folder: string, overrides: Pick<ConfigOverrides, 'register' | 'anonymisers'>): ProjectContext {
  let configDirectory = path.dirname(file);
  let registerSetting: string | undefined;
  let anonymisers: unknown[] = [];
  try {
    const loaded = loadConfig(path.dirname(file));
    configDirectory = loaded.directory;
    registerSetting = loaded.config.register;
    anonymisers = loaded.config.anonymisers ?? [];
  } catch {
    // A broken configuration is reported as a diagnostic elsewhere; the fixes just have fewer choices.
  }
  const registerFile =
    overrides.register !== '' ? path.resolve(folder, overrides.register) : path.resolve(configDirectory, registerSetting ?? 'health-data-register.yaml');
  return {
    processings: processingsOf(registerFile),
    anonymisers: [...anonymisers, ...overrides.anonymisers]
      .filter((entry): entry is string => typeof entry === 'string' && entry.trim() !== '')
      .map((entry) => anonymiserChoice(entry, file, configDirectory)),
  };
}

function processingsOf(registerFile: string): ProcessingChoice[] {
  try {
    if (!existsSync(registerFile)) return [];
    const { register } = loadRegister(registerFile, readFileSync(registerFile, 'utf8'));
    return register.processings.map((entry) => ({ id: entry.id, ...(entry.purpose !== undefined && { purpose: entry.purpose }) }));
  } catch {
    return [];
  }
}

/** `name` or `module#name` (configuration): a module that is a project file is imported by a relative path. */
function anonymiserChoice(entry: string, file: string, configDirectory: string): AnonymiserChoice {
  const [module, name] = entry.includes('#') ? (entry.split('#') as [string, string]) : [undefined, entry];
  if (!module) return { name };
  const base = path.resolve(configDirectory, module);
  const projectFile = ['', ...SOURCE_EXTENSIONS].map((extension) => base + extension).find((candidate) => /\.[cm]?[jt]sx?$/.test(candidate) && existsSync(candidate));
  if (projectFile) {
    let relative = path.relative(path.dirname(file), projectFile.replace(/(\/index)?\.[cm]?[jt]sx?$/, '')).split(path.sep).join('/');
    if (!relative.startsWith('.')) relative = `./${relative}`;
    return { name, importFrom: relative };
  }
  // Not a file of the project: a package specifier (`@acme/anonymiser`).
  return /^(@[\w.-]+\/[\w.-]+|[\w.-]+)$/.test(module) && !module.startsWith('.') ? { name, importFrom: module } : { name };
}
