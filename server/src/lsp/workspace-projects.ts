// Finds the analysis units of a workspace folder: one per tsconfig.json / jsconfig.json, or the folder itself.
import * as path from 'node:path';
import { globSync } from 'tinyglobby';
import type { AnalysisUnit } from './analysis-unit';
import { SCHEMA_EXTENSIONS } from '../engine/fields/schemas/files';

// The same folders the engine never analyses: dependencies, build output, VCS data.
const IGNORED = ['**/node_modules/**', '**/.git/**', '**/dist/**', '**/build/**', '**/out/**', '**/coverage/**', '**/.next/**'];

export function discoverAnalysisUnits(folder: string): AnalysisUnit[] {
  const configs = globSync(['**/tsconfig.json', '**/jsconfig.json'], { cwd: folder, ignore: IGNORED, absolute: true, dot: false })
    .map((file) => path.normalize(file))
    .sort();
  const root = path.normalize(folder);
  if (configs.length === 0) return [{ key: root, folder: root, directory: root }];
  return configs.map((configFile) => ({ key: configFile, folder: root, directory: path.dirname(configFile), configFile }));
}

/** The units a change to `file` can affect: every unit whose directory contains it (flows cross projects below). */
export function unitsContaining(units: readonly AnalysisUnit[], file: string): AnalysisUnit[] {
  const normalised = path.normalize(file);
  return units.filter((unit) => normalised === unit.directory || normalised.startsWith(unit.directory + path.sep));
}

const SOURCE_FILE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const DECLARATION_FILE = /\.d\.[cm]?ts$/;
/** Schema files declare fields too (OpenAPI documents in YAML are a folder-wide change already). */
const SCHEMA_FILE = new RegExp(`\\.(${SCHEMA_EXTENSIONS.join('|')})$`);
/** Files whose change changes what the analysis of the whole folder means: project layout, configuration, register. */
const FOLDER_FILE = /(^|[\\/])(tsconfig[^\\/]*\.json|jsconfig\.json|package\.json|health-data-lint\.config\.json|[^\\/]*\.ya?ml)$/;

export type ChangeScope = 'source' | 'folder' | 'none';

export function changeScopeOf(file: string): ChangeScope {
  if (FOLDER_FILE.test(file) || DECLARATION_FILE.test(file)) return 'folder';
  if (SOURCE_FILE.test(file) || SCHEMA_FILE.test(file)) return 'source';
  return 'none';
}
