// Runs the stages over every project under the scanned paths: program, flow, legal basis, rules; pure data out.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ScanOptions } from './index';
import { DEFAULT_MAX_FILE_SIZE, DEFAULT_SEVERITIES, DEFAULT_WORK_BUDGET, type HealthDataLintConfig } from './config';
import type { AnalysisResult, DataFlow, Finding, HealthField, RuleId, Severity, SkippedFile, SourceLocation } from './model';
import { createProgram, isProjectSourceFile, ParseCache, ts, type ParsedProject } from './program/compiler';
import { discoverProjects } from './program/projects';
import { TypeClassifier } from './classify/types';
import { BudgetExceeded, Interpreter, type ConcreteHit } from './flow/interpreter';
import { findingsFromHits, judgeHits } from './findings';
import { dataFlowsFromHits } from './data-flows';
import { functionDisplayName } from './flow/chain';
import { findStaleRegisterEntries, processingIdsIn, type AnalysedFile } from './legal/stale-entries';
import { requireValidRegister, type Register } from './legal/register';
import { applySuppressions, readFromDisk } from './suppress';
import { hardcodedIdentifierFindings } from './identifiers/findings';
import { linkableAnonymisationFindings } from './anonymisers';
import { findRepositoryRoot } from './report/paths';
import picomatch from 'picomatch';
import { projectHealthFields } from './fields/project-fields';
import { exportedHealthFieldFindings } from './fields/field-findings';
import { mergeHealthFields } from './fields/merge';
import { schemaFieldsUnder } from './fields/schemas';

export function scan(options: ScanOptions): AnalysisResult {
  const config = options.config;
  // Scale-out (--jobs, --shard): a worker is handed its share of the projects, already discovered by the main thread.
  const discovered = options.discovered ?? discoverProjects(options.paths, options.projects, config.ignore);
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
  for (const project of discovered.projects) {
    const projectRoot = project.configFile ? path.dirname(project.configFile) : root;
    const isIgnored = (file: string) => !!ignore && ignore(path.relative(options.configDirectory ?? root, file).split(path.sep).join('/'));
    const outcome = analyseProject(project, config, (file) => {
      done++;
      options.onProgress?.({ done, total, file });
    }, isIgnored, analysed, options.readFile, parseCacheFor(options, project, root));
    result.skipped.push(...outcome.skipped);
    result.projects.push({ configFile: project.configFile, root: projectRoot, files: outcome.files, typesMissing: outcome.typesMissing });
    const context = { register, jurisdictions, severities, root: repositoryRoot, textAt: outcome.textAt };
    // Each path is judged once: the findings and the flows (map, inventory, field view) read the same verdicts.
    const judgements = judgeHits(outcome.hits, context);
    result.findings.push(...findingsFromHits(outcome.hits, context, judgements), ...outcome.extraFindings(severities));
    const projectFlows = dataFlowsFromHits(outcome.hits, outcome.anonymisedHits, judgements);
    flows.push(...projectFlows);
    fieldLists.push(outcome.healthFields(projectFlows));
    analysedFiles.push(...outcome.analysedFiles);
    for (const id of outcome.processingIds) processingIds.add(id);
  }
  result.flows = flows.sort(compareFlows);
  // Schema files beside the code (Prisma, OpenAPI, GraphQL, SQL) declare fields too; one name, one field.
  const schemaFields = options.projects && options.projects.length > 0 ? [] : schemaFieldsUnder(options.paths, config, isIgnoredPath);
  result.fields = mergeHealthFields([...fieldLists.flat(), ...schemaFields]);
  result.findings.push(...exportedHealthFieldFindings(result.fields, severities['exported-health-field'], root));
  if (register) {
    result.register = {
      file: register.file,
      ...(register.jurisdictions !== undefined && { jurisdictions: [...register.jurisdictions] }),
      entries: register.processings.map((entry) => ({ id: entry.id, purpose: entry.purpose, location: entry.location })),
    };
    result.staleRegisterEntries = findStaleRegisterEntries(register, analysedFiles, processingIds, flows);
  }
  const readSource = options.readFile;
  result.findings = dedupeFindings(applySuppressions(result.findings, readSource ? (file) => readSource(file) ?? readFromDisk(file) : undefined)).sort(compareFindings);
  if (result.projects.some((p) => p.typesMissing)) {
    result.notices.push('Some imported packages have no type declarations installed (run `npm ci` for full precision): sinks and types were matched by import specifier and name there.');
  }
  return result;
}

interface ProjectOutcome {
  hits: ConcreteHit[];
  /** Sinks reached only by anonymised data: no finding, but part of the data map. */
  anonymisedHits: ConcreteHit[];
  /** Files and their functions, for the register's reverse check. */
  analysedFiles: AnalysedFile[];
  /** Ids named by `@processing` tags in the project's files. */
  processingIds: string[];
  skipped: SkippedFile[];
  files: number;
  typesMissing: boolean;
  extraFindings(severities: Record<RuleId, Severity>): Finding[];
  /** The analysed text at a location (labels keep a shortened text for messages; fingerprints need all of it). */
  textAt(location: SourceLocation): string | undefined;
  /** The program's health-data fields with the routes of the given flows (this program's). */
  healthFields(flows: readonly DataFlow[]): HealthField[];
}

function analyseProject(
  project: ParsedProject,
  config: HealthDataLintConfig,
  progress: (file: string) => void,
  isIgnored: (file: string) => boolean,
  analysed: Set<string>,
  overrides: ScanOptions['readFile'],
  parseCache?: ParseCache,
): ProjectOutcome {
  const maxFileSize = config.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const skipped: SkippedFile[] = [];
  const skippedFiles = new Set<string>();
  // Files too large or binary are never parsed: the reader hands the compiler an empty text instead.
  const reader = {
    readFile(fileName: string): string | undefined {
      if (/\.d\.[cm]?ts$/.test(fileName) || /[\\/]node_modules[\\/]/.test(fileName)) return overrides?.(fileName);
      const open = overrides?.(fileName);
      if (open !== undefined) {
        if (open.length <= maxFileSize) return open;
        skip(fileName, 'too-large', `skipped: ${Math.round(open.length / 1024)} KiB is over the ${Math.round(maxFileSize / 1024)} KiB limit (maxFileSize)`);
        return '';
      }
      let size: number;
      try {
        size = fs.statSync(fileName).size;
      } catch {
        return undefined;
      }
      if (size > maxFileSize) {
        skip(fileName, 'too-large', `skipped: ${Math.round(size / 1024)} KiB is over the ${Math.round(maxFileSize / 1024)} KiB limit (maxFileSize)`);
        return '';
      }
      const buffer = fs.readFileSync(fileName);
      if (buffer.subarray(0, 8000).includes(0)) {
        skip(fileName, 'binary', 'skipped: binary file');
        return '';
      }
      return buffer.toString('utf8');
    },
    tooDeep: (fileName: string, message: string) => skip(fileName, 'budget', message),
  };
  function skip(file: string, reason: SkippedFile['reason'], message: string): void {
    if (skippedFiles.has(file)) return;
    skippedFiles.add(file);
    skipped.push({ file, reason, message });
  }

  const program = createProgram(project, reader, undefined, parseCache);
  const checker = program.getTypeChecker();
  const types = new TypeClassifier(checker, config);
  const hits: ConcreteHit[] = [];
  const anonymisedHits: ConcreteHit[] = [];
  const anonymisers = new Set<ts.FunctionLikeDeclaration>();
  const interpreter = new Interpreter(checker, types, {
    config,
    workBudget: config.workBudget ?? DEFAULT_WORK_BUDGET,
    onHit: (hit) => hits.push(hit),
    onAnonymisedHit: (hit) => anonymisedHits.push(hit),
    onAnonymiser: (fn) => anonymisers.add(fn),
  });
  const roots = new Set(project.rootNames.map((f) => path.normalize(f)));
  const sourceFiles = program.getSourceFiles().filter((sf) => isProjectSourceFile(sf) && roots.has(path.normalize(sf.fileName)) && !isIgnored(sf.fileName) && !analysed.has(path.normalize(sf.fileName)));
  for (const sf of sourceFiles) analysed.add(path.normalize(sf.fileName));

  const usable: ts.SourceFile[] = [];
  for (const sf of sourceFiles) {
    if (skippedFiles.has(sf.fileName)) continue;
    const syntax = program.getSyntacticDiagnostics(sf);
    if (syntax.length > 0) {
      const first = syntax[0];
      const { line, character } = sf.getLineAndCharacterOfPosition(first.start ?? 0);
      skip(sf.fileName, 'parse-error', `skipped: cannot parse (${line + 1}:${character + 1} ${ts.flattenDiagnosticMessageText(first.messageText, ' ')})`);
      continue;
    }
    usable.push(sf);
  }

  // Stage 1: module code and every function's summary (this also counts the project's call sites).
  const guarded = (sf: ts.SourceFile, work: () => void) => {
    if (skippedFiles.has(sf.fileName)) return;
    try {
      work();
    } catch (error) {
      if (error instanceof BudgetExceeded) skip(sf.fileName, 'budget', 'skipped: the analysis of this file went over its work budget (workBudget)');
      else if (error instanceof RangeError) skip(sf.fileName, 'budget', 'skipped: too deeply nested to analyse');
      else skip(sf.fileName, 'internal-error', `skipped: internal error (${(error as Error).message})`);
    }
  };
  for (const sf of usable) {
    guarded(sf, () => {
      interpreter.resetBudget();
      interpreter.analyseModule(sf);
      for (const fn of interpreter.functionsOf(sf)) {
        interpreter.summaryOf(fn);
        if (interpreter.isAnonymiser(fn)) anonymisers.add(fn);
      }
    });
    progress(sf.fileName);
  }
  // Stage 2: functions no project code calls are entry points (handlers, exported APIs).
  for (const sf of usable) {
    guarded(sf, () => {
      interpreter.resetBudget();
      for (const fn of interpreter.functionsOf(sf)) if (!interpreter.callSites.get(fn)) interpreter.instantiateEntry(fn);
    });
  }
  const keptHits = hits.filter((h) => !skippedFiles.has(h.location.file));
  const usableFiles = new Set(usable);
  return {
    hits: keptHits,
    anonymisedHits: anonymisedHits.filter((h) => !skippedFiles.has(h.location.file)),
    analysedFiles: sourceFiles.map((sf) =>
      usableFiles.has(sf) && !skippedFiles.has(sf.fileName)
        ? { file: sf.fileName, functionNames: [...new Set(interpreter.functionsOf(sf).map((fn) => functionDisplayName(fn)))] }
        : { file: sf.fileName, functionNames: [], skipped: true },
    ),
    processingIds: sourceFiles.flatMap((sf) => processingIdsIn(sf.text)),
    skipped,
    files: sourceFiles.length,
    typesMissing: hasMissingTypes(usable, checker),
    textAt: (location) => {
      const sf = program.getSourceFile(location.file);
      if (!sf) return undefined;
      const start = sf.getPositionOfLineAndCharacter(location.line - 1, location.column - 1);
      const end = sf.getPositionOfLineAndCharacter(location.endLine - 1, location.endColumn - 1);
      return sf.text.slice(start, end);
    },
    healthFields: (flows) =>
      projectHealthFields({
        program,
        checker,
        types,
        sourceFiles: usable.filter((sf) => !skippedFiles.has(sf.fileName)),
        flows,
        overrides: { healthFields: config.healthFields, notHealthFields: config.notHealthFields },
      }),
    extraFindings: (severities) => [
      ...usable.filter((sf) => !skippedFiles.has(sf.fileName)).flatMap((sf) => hardcodedIdentifierFindings(sf, severities)),
      ...linkableAnonymisationFindings([...anonymisers], { checker, types, outputOf: (fn) => interpreter.anonymiserOutput(fn) }, severities),
    ],
  };
}

/** A package import with no declaration to resolve to: the dependencies are not installed. */
function hasMissingTypes(files: ts.SourceFile[], checker: ts.TypeChecker): boolean {
  for (const sf of files) {
    for (const statement of sf.statements) {
      if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier) && !statement.moduleSpecifier.text.startsWith('.')) {
        if (!checker.getSymbolAtLocation(statement.moduleSpecifier)) return true;
      }
    }
  }
  return false;
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
