// Runs the stages over every project under the scanned paths: program, flow, legal basis, rules; pure data out.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ScanOptions } from './index';
import { DEFAULT_SEVERITIES, type HealthDataLintConfig } from './config';
import type { AnalysisResult, DataFlow, Finding, HealthField, RuleId, Severity } from './model';
import { ParseCache, type ParsedProject } from './program/compiler';
import { discoverProjects } from './program/projects';
import { DirectoryReads } from './program/directory-reads';
import { DiskProbes } from './program/disk-probes';
import { findingsFromHits, judgeHits, sameObjects } from './findings';
import { dataFlowsFromHits } from './data-flows';
import { findStaleRegisterEntries, type AnalysedFile } from './legal/stale-entries';
import { requireValidRegister, type Register } from './legal/register';
import { applySuppressions, readFromDisk, type FileStat } from './suppress';
import { findRepositoryRoot } from './report/paths';
import picomatch from 'picomatch';
import { exportedHealthFieldFindings } from './fields/field-findings';
import { mergeHealthFields } from './fields/merge';
import { schemaFieldsOf, schemaFilesUnder } from './fields/schemas';
import { analyseProject } from './project-analysis';

export function scan(options: ScanOptions): AnalysisResult {
  const config = options.config;
  // Scale-out (--jobs, --shard): a worker is handed its share of the projects, already discovered by the main thread.
  // The folders' reads, made once for the projects, their tsconfigs' globs and the schema files (see `DirectoryReads`).
  const reads = new DirectoryReads();
  const discovered = options.discovered ?? discoverProjects(options.paths, options.projects, config.ignore, reads);
  const root = discovered.roots[0] ?? process.cwd();
  // Fingerprints are relative to the repository, so a baseline matches whichever sub-folder or path spelling a scan starts from.
  const repositoryRoot = findRepositoryRoot(root);
  const register = loadRegisterFor(config, options.configDirectory ?? root);
  const severities = { ...DEFAULT_SEVERITIES, ...(config.rules ?? {}) } as Record<RuleId, Severity>;
  const jurisdictions = register?.jurisdictions ?? config.jurisdictions ?? ['EU'];
  const ignore = config.ignore && config.ignore.length > 0 ? picomatch(config.ignore, { dot: true }) : undefined;
  const isIgnoredPath = (file: string) => !!ignore && ignore(path.relative(options.configDirectory ?? root, file).split(path.sep).join('/'));

  const result: AnalysisResult = { findings: [], skipped: [], projects: [], notices: [] };
  const flows: DataFlow[] = [];
  const analysedFiles: AnalysedFile[] = [];
  const fieldLists: HealthField[][] = [];
  const processingIds = new Set<string>();
  const total = discovered.projects.reduce((n, p) => n + p.rootNames.length, 0);
  let done = 0;
  // Scale-out: files analysed by earlier projects of the same scan, run elsewhere (see engine/program/project-split.ts).
  const analysed = new Set<string>(options.excludeFiles);
  const focus = options.focus && new Set(options.focus.map((f) => path.normalize(f)));
  // A first look answers for its files only, even when the results cache held those of the whole project.
  const inFocus = <T extends { location: { file: string } }>(items: T[]): T[] => (focus ? items.filter((item) => focus.has(path.normalize(item.location.file))) : items);
  const incremental: { analysed: number; reused: number; summaries?: number } = { analysed: 0, reused: 0 };
  const stats = new Map<string, FileStat>();
  // Whether paths exist, and the dependencies' stats: asked once per scan, not once per project (see `DiskProbes`).
  const probes = new DiskProbes();
  for (const project of discovered.projects) {
    const projectRoot = project.configFile ? path.dirname(project.configFile) : root;
    const outcome = analyseProject({
      project,
      config,
      progress: (file) => {
        done++;
        options.onProgress?.({ done, total, file });
      },
      isIgnored: isIgnoredPath,
      analysed,
      overrides: options.readFile,
      parseCache: parseCacheFor(options, project, root),
      store: options.cache,
      ...(focus && { focus }),
      ...(options.knownStats && { knownStats: options.knownStats }),
      ...(options.globalScripts && { globalScripts: options.globalScripts }),
      stats,
      probes,
      ...(options.releaseMemory && { releaseMemory: options.releaseMemory }),
      storeKey: storeKeyOf(project, root),
    });
    incremental.analysed += outcome.incremental.analysed;
    incremental.reused += outcome.incremental.reused;
    if (outcome.incremental.summaries) incremental.summaries = (incremental.summaries ?? 0) + outcome.incremental.summaries;
    result.skipped.push(...outcome.skipped);
    result.projects.push({ configFile: project.configFile, root: projectRoot, files: outcome.files, typesMissing: outcome.typesMissing });
    const context = { register, jurisdictions, severities, root: repositoryRoot, textAt: outcome.textAt };
    // Each path is judged once: the findings and the flows (map, inventory, field view) read the same verdicts.
    const hits = inFocus(outcome.hits);
    const judgements = judgeHits(hits, context);
    result.findings.push(...findingsFromHits(hits, context, judgements), ...inFocus(outcome.findings));
    const projectFlows = dataFlowsFromHits(hits, inFocus(outcome.anonymisedHits), judgements);
    flows.push(...projectFlows);
    // A first look's fields would be those of a few files: the editor shows the whole project's.
    if (!focus) fieldLists.push(outcome.healthFields(projectFlows));
    analysedFiles.push(...outcome.analysedFiles);
    for (const id of outcome.processingIds) processingIds.add(id);
  }
  result.incremental = incremental;
  // Schema files beside the code (Prisma, OpenAPI, GraphQL, SQL) declare fields too; one name, one field.
  // With explicit projects (the editor's units, --project), schema files are looked for beside each tsconfig.
  const schemaFields = options.focus ? [] : schemaFieldsOf(options.schemaFiles ?? schemaFilesUnder(schemaRootsOf(options), reads), config, isIgnoredPath);
  const merged = mergedFields(options.parseCaches, [...fieldLists.flat(), ...schemaFields], severities['exported-health-field'], root);
  result.fields = merged.fields;
  result.findings.push(...merged.findings);
  const readSource = (file: string) => options.readFile?.(file) ?? readFromDisk(file, stats.get(path.normalize(file)));
  // Suppression comments, duplicates, order: each step works file by file, so some files' findings may go through
  // them ahead of the whole result's (see `ScanOptions.early`).
  const finished = (findings: Finding[]) => dedupeFindings(applySuppressions(findings, readSource)).sort(compareFindings);
  if (options.early) {
    const { files } = options.early;
    const findings = result.findings.filter((finding) => files.has(path.normalize(finding.location.file)));
    const skipped = result.skipped.filter((file) => files.has(path.normalize(file.file)));
    options.early.report({ findings: finished(findings), skipped });
  }
  result.flows = flows.sort(compareFlows);
  if (register) {
    result.register = {
      file: register.file,
      ...(register.jurisdictions !== undefined && { jurisdictions: [...register.jurisdictions] }),
      entries: register.processings.map((entry) => ({ id: entry.id, purpose: entry.purpose, location: entry.location })),
    };
    // A first look sees a few files: every entry for the others would look unused.
    if (!options.focus) result.staleRegisterEntries = findStaleRegisterEntries(register, analysedFiles, processingIds, flows);
  }
  result.findings = finished(result.findings);
  if (result.projects.some((p) => p.typesMissing)) {
    result.notices.push('Some imported packages have no type declarations installed (run `npm ci` for full precision): sinks and types were matched by import specifier and name there.');
  }
  return result;
}

/** The editor's last merged fields and their markers, with what they were made from (keyed by its parse caches). */
const merges = new WeakMap<object, { inputs: HealthField[]; severity: Severity; root: string; fields: HealthField[]; findings: Finding[] }>();

/**
 * One field per name across projects and schema files, and the exported-health-field markers. The editor's kept
 * project fields (project-analysis.ts) and schema fields are the same objects after an edit that changes none: then
 * the previous merge holds.
 */
function mergedFields(key: object | undefined, inputs: HealthField[], severity: Severity, root: string): { fields: HealthField[]; findings: Finding[] } {
  const kept = key && merges.get(key);
  if (kept && kept.severity === severity && kept.root === root && sameObjects(kept.inputs, inputs)) return kept;
  const fields = mergeHealthFields(inputs);
  const merged = { inputs, severity, root, fields, findings: exportedHealthFieldFindings(fields, severity, root) };
  if (key) merges.set(key, merged);
  return merged;
}

/** Names a project in the results cache: its config file, or its folder (`root`: the scan's first root). */
export function storeKeyOf(project: ParsedProject, root: string): string {
  return project.configFile ?? `folder:${root}`;
}

/** Where schema files are looked for: beside each tsconfig with explicit projects (the editor's units, --project). */
export function schemaRootsOf(options: Pick<ScanOptions, 'paths' | 'projects'>): readonly string[] {
  return options.projects && options.projects.length > 0 ? [...new Set(options.projects.map((p) => path.dirname(path.resolve(p))))] : options.paths;
}

function loadRegisterFor(config: HealthDataLintConfig, directory: string): Register | undefined {
  const file = path.resolve(directory, config.register ?? 'health-data-register.yaml');
  if (!fs.existsSync(file)) return undefined;
  return requireValidRegister(file, fs.readFileSync(file, 'utf8'));
}

export function dedupeFindings(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.ruleId}:${f.location.file}:${f.location.line}:${f.location.column}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function compareFindings(a: Finding, b: Finding): number {
  return a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line || a.location.column - b.location.column || a.ruleId.localeCompare(b.ruleId);
}

export function compareFlows(a: DataFlow, b: DataFlow): number {
  return (
    a.location.file.localeCompare(b.location.file) ||
    a.location.line - b.location.line ||
    a.location.column - b.location.column ||
    a.status.localeCompare(b.status) ||
    a.functions.map((f) => f.name ?? '').join('>').localeCompare(b.functions.map((f) => f.name ?? '').join('>'))
  );
}

function parseCacheFor(options: ScanOptions, project: ParsedProject, root: string): ParseCache | undefined {
  const caches = options.parseCaches;
  if (!caches) return undefined;
  const key = project.configFile ?? root;
  let cache = caches.get(key);
  if (!cache) caches.set(key, (cache = new ParseCache()));
  return cache;
}
