// Finds the TypeScript/JavaScript projects under the scanned paths: each tsconfig/jsconfig is a project,
// and source files outside every config form one default project (allowJs).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { globSync } from 'tinyglobby';
import { DEFAULT_COMPILER_OPTIONS, parseProjectConfig, ProjectError, type ParsedProject } from './compiler';
import { DirectoryReads } from './directory-reads';

const SOURCE_GLOB = '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}';
const CONFIG_FILE = /(^|[\\/])[tj]sconfig\.json$/;
const ALWAYS_IGNORED = ['**/node_modules/**', '**/.git/**', '**/dist/**', '**/build/**', '**/out/**', '**/coverage/**', '**/.next/**'];

export interface DiscoveredProjects {
  projects: ParsedProject[];
  /** The directory findings are reported relative to (the first scanned directory). */
  roots: string[];
}

/** A file the engine analyses as code (a script, not a declaration file). */
export function isSourceFile(file: string): boolean {
  return /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/.test(file) && !/\.d\.[cm]?ts$/.test(file);
}

/** `reads`: the folder reads of the listing this is part of, if it walks the same folders again (see `DirectoryReads`). */
export function discoverProjects(paths: string[], explicitProjects: string[] = [], ignore: string[] = [], reads = new DirectoryReads()): DiscoveredProjects {
  const roots: string[] = [];
  if (explicitProjects.length > 0) {
    const projects = explicitProjects.map((p) => {
      const file = path.resolve(p);
      if (!fs.existsSync(file)) throw new ProjectError(file, 'project file not found');
      const configFile = fs.statSync(file).isDirectory() ? path.join(file, 'tsconfig.json') : file;
      roots.push(path.dirname(configFile));
      return parseProjectConfig(configFile, { reads });
    });
    return { projects, roots };
  }

  const projects: ParsedProject[] = [];
  const looseFiles = new Set<string>();
  const ignoreGlobs = [...ALWAYS_IGNORED, ...ignore];
  for (const given of paths) {
    const target = path.resolve(given);
    if (!fs.existsSync(target)) throw new ProjectError(target, 'path not found');
    if (fs.statSync(target).isFile()) {
      roots.push(path.dirname(target));
      if (/(^|[\\/])[tj]sconfig[^\\/]*\.json$/.test(target)) projects.push(parseProjectConfig(target, { reads }));
      else if (isSourceFile(target)) looseFiles.add(target);
      continue;
    }
    roots.push(target);
    // One walk of the folder for both the configurations and the sources (two took 0.13 s at 5,000 files).
    const found = globSync(['**/tsconfig.json', '**/jsconfig.json', SOURCE_GLOB], { cwd: target, absolute: true, ignore: ignoreGlobs, followSymbolicLinks: false, fs: reads.adapter });
    const configs = found.filter((file) => CONFIG_FILE.test(file)).sort();
    for (const configFile of configs) {
      // A jsconfig beside a tsconfig is the same project seen by another tool.
      if (configFile.endsWith('jsconfig.json') && fs.existsSync(path.join(path.dirname(configFile), 'tsconfig.json'))) continue;
      projects.push(parseProjectConfig(configFile, { reads }));
    }
    for (const file of found) if (isSourceFile(file)) looseFiles.add(path.normalize(file));
  }

  // Files claimed by a project are analysed there; the others get a default project of their own.
  const claimed = new Set(projects.flatMap((p) => p.rootNames.map((f) => path.normalize(f))));
  const unclaimed = [...looseFiles].filter((f) => !claimed.has(f) && !isInsideConfigDirectory(f, projects)).sort();
  if (unclaimed.length > 0) projects.push({ rootNames: unclaimed, options: { ...DEFAULT_COMPILER_OPTIONS } });
  return { projects, roots };
}

/** Files under a config's directory that the config excludes on purpose (tests, scripts) stay excluded. */
function isInsideConfigDirectory(file: string, projects: ParsedProject[]): boolean {
  return projects.some((p) => p.configFile && file.startsWith(path.dirname(p.configFile) + path.sep) && isExcludedOnPurpose(p));
}

function isExcludedOnPurpose(project: ParsedProject): boolean {
  // A config with an explicit include/files list owns its directory: we respect its choice.
  try {
    const raw = fs.readFileSync(project.configFile!, 'utf8');
    return /"(include|files)"\s*:/.test(raw);
  } catch {
    return false;
  }
}
