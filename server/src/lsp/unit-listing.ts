// A unit's files as the engine is given them (its tsconfig's files, its schema files), and what the server's main
// thread finds for a unit's first look while the worker parses the libraries: that listing, and which files declare
// globals. Both are plain data the worker would otherwise take, one after the other, before the first look (0.15 s
// and 0.3 s at 200k lines, docs/performance.md), while the main thread waits.
import * as fs from 'node:fs';
import type { ScanOptions } from '../engine';
import { DEFAULT_MAX_FILE_SIZE } from '../engine/config';
import { schemaFilesUnder } from '../engine/fields/schemas';
import { loadConfig } from '../engine/load-config';
import { DirectoryReads } from '../engine/program/directory-reads';
import { discoverProjects } from '../engine/program/projects';
import { declaresGlobals, scriptsOf } from '../engine/project-analysis';
import { schemaRootsOf } from '../engine/scan';
import type { AnalysisUnit } from './analysis-unit';

export type UnitListing = Pick<ScanOptions, 'paths' | 'projects' | 'discovered' | 'schemaFiles'>;

/** Where `unit`'s files are: its folder, and its tsconfig if it has one. */
export function unitPaths(unit: AnalysisUnit): Pick<ScanOptions, 'paths' | 'projects'> {
  return { paths: [unit.directory], ...(unit.configFile !== undefined && { projects: [unit.configFile] }) };
}

/** Lists the unit's projects and schema files (walks its folder, expands its tsconfig's globs). */
export function listUnit(unit: AnalysisUnit, ignore: string[] | undefined): UnitListing {
  const where = unitPaths(unit);
  const reads = new DirectoryReads();
  return { ...where, discovered: discoverProjects(where.paths, where.projects, ignore, reads), schemaFiles: schemaFilesUnder(schemaRootsOf(where), reads) };
}

/** What a unit's first look may take from the main thread (see `AnalysisRequest.hints`). */
export interface FirstLookHints {
  listing: UnitListing;
  /** The files of its projects that declare globals (`ScanOptions.globalScripts`). */
  globalScripts: string[];
}

/**
 * Files read in one turn of the event loop (about 10 ms), between which the thread answers the editor. Read one after
 * the other: asynchronous reads cost several times the processor time, taken from the worker's parse on two cores.
 */
const FILES_PER_TURN = 200;

/**
 * Lists `unit` and reads its files for which declare globals, holding the thread for the listing, then for
 * `FILES_PER_TURN` reads at a time. Undefined when the configuration or a tsconfig is broken: the analysis reports it.
 */
export async function firstLookHints(unit: AnalysisUnit): Promise<FirstLookHints | undefined> {
  // After the caller's turn: the listing holds the thread for a moment (0.15 s at 200k lines).
  await new Promise<void>((resolve) => setImmediate(resolve));
  let listing: UnitListing;
  let maxFileSize: number;
  try {
    const { config } = loadConfig(unit.directory);
    listing = listUnit(unit, config.ignore);
    maxFileSize = config.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  } catch {
    return undefined;
  }
  const scripts = [...new Set((listing.discovered?.projects ?? []).flatMap((project) => scriptsOf(project).scripts))];
  const globalScripts: string[] = [];
  for (let start = 0; start < scripts.length; start += FILES_PER_TURN) {
    if (start > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    for (const file of scripts.slice(start, start + FILES_PER_TURN)) {
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(file);
      } catch {
        continue;
      }
      // The engine reads a file over the size limit, or a binary one, as an empty text: a script without imports.
      if (bytes.length > maxFileSize || bytes.subarray(0, 8000).includes(0) || declaresGlobals(bytes.toString('utf8'))) globalScripts.push(file);
    }
  }
  return { listing, globalScripts };
}
