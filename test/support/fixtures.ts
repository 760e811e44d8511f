// Rule-fixture helpers: find the cases, read their `expect:` comments, type-check them, make untyped copies, diff findings.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { RULE_IDS, type Finding } from '../../server/src/engine/model';

export const SOURCE_EXTENSIONS = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs']);
const PROJECT_CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'];

/** Per-case options read from `fixture.json`. */
export interface FixtureOptions {
  /** `skip`: the case cannot work without its dependencies' types (rare; `why` says why). */
  untyped?: 'skip';
  why?: string;
}

export interface RuleCase {
  rule: string;
  name: string;
  dir: string;
  /** tsconfig.json or jsconfig.json of the case. */
  projectConfig: string;
  expectations: Expectation[];
  /** Set when an `expect:` comment is malformed: the case's tests fail with it instead of ignoring the comment. */
  expectationError?: string;
  options: FixtureOptions;
}

/** One finding a fixture expects: the rule and the line after its `expect:` comment. */
export interface Expectation {
  ruleId: string;
  /** Path relative to the case directory, with forward slashes. */
  file: string;
  line: number;
}

/** A finding reduced to what fixtures compare, with its message for readable failures. */
export interface ComparableFinding extends Expectation {
  message: string;
}

export interface FindingDiff {
  missing: Expectation[];
  extra: ComparableFinding[];
}

/** The repository root: the nearest ancestor of `start` (or of the working directory) holding the manifest. */
export function findRepositoryRoot(start: string = __dirname): string {
  for (const origin of [start, process.cwd()]) {
    for (let directory = resolve(origin); ; directory = dirname(directory)) {
      if (existsSync(join(directory, 'test', 'fixtures', 'tsconfig.base.json'))) return directory;
      if (dirname(directory) === directory) break;
    }
  }
  throw new Error(`cannot find the repository root (test/fixtures/tsconfig.base.json) from ${start} or ${process.cwd()}`);
}

/** Every `<rulesDir>/<rule>/<case>/` directory, sorted, with its expectations and options. */
export function listRuleCases(rulesDirectory: string): RuleCase[] {
  if (!existsSync(rulesDirectory)) return [];
  const cases: RuleCase[] = [];
  for (const rule of sortedSubdirectories(rulesDirectory)) {
    for (const name of sortedSubdirectories(join(rulesDirectory, rule))) {
      const dir = join(rulesDirectory, rule, name);
      let expectations: Expectation[] = [];
      let expectationError: string | undefined;
      try {
        expectations = readExpectations(dir);
      } catch (error) {
        expectationError = (error as Error).message;
      }
      cases.push({ rule, name, dir, projectConfig: findProjectConfig(dir), expectations, expectationError, options: readFixtureOptions(dir) });
    }
  }
  return cases;
}

function sortedSubdirectories(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** The case's tsconfig.json or jsconfig.json (a case without one is a broken fixture, reported by its type-check test). */
export function findProjectConfig(caseDirectory: string): string {
  const found = PROJECT_CONFIG_NAMES.map((name) => join(caseDirectory, name)).find((file) => existsSync(file));
  return found ?? join(caseDirectory, 'tsconfig.json');
}

export function readFixtureOptions(caseDirectory: string): FixtureOptions {
  const file = join(caseDirectory, 'fixture.json');
  if (!existsSync(file)) return {};
  return JSON.parse(readFileSync(file, 'utf8')) as FixtureOptions;
}

/** Source files under a directory (node_modules excluded), absolute paths, sorted. */
export function listSourceFiles(directory: string): string[] {
  const files: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (SOURCE_EXTENSIONS.has(extname(entry.name)) && !entry.name.endsWith('.d.ts')) files.push(path);
    }
  };
  walk(directory);
  return files.sort();
}

// `// expect: rule-id` or `{/* expect: rule-id */}`, alone on its line; several ids may be separated by commas.
const EXPECT_COMMENT = /^\s*(?:\/\/\s*expect:\s*([\w\s,-]+?)\s*|\{\s*\/\*\s*expect:\s*([\w\s,-]+?)\s*\*\/\s*\})$/;
const ANY_EXPECT_MENTION = /\bexpect:/;

/**
 * The findings a case's comments announce. Each `expect:` comment points at the next line that is not itself
 * an `expect:` comment, so two findings on one line are written as two stacked comments.
 * A malformed `expect:` mention (not alone on its line, unknown rule id) throws: it would otherwise be ignored silently.
 */
export function readExpectations(caseDirectory: string): Expectation[] {
  const expectations: Expectation[] = [];
  for (const file of listSourceFiles(caseDirectory)) {
    const relativeFile = toPosix(relative(caseDirectory, file));
    const lines = readFileSync(file, 'utf8').split(/\r?\n/);
    let pending: string[] = [];
    lines.forEach((text, index) => {
      const match = EXPECT_COMMENT.exec(text);
      if (match) {
        for (const ruleId of (match[1] ?? match[2]).split(',').map((id) => id.trim())) {
          if (!(RULE_IDS as readonly string[]).includes(ruleId)) {
            throw new Error(`${relativeFile}:${index + 1}: unknown rule id "${ruleId}" in expect comment`);
          }
          pending.push(ruleId);
        }
        return;
      }
      if (ANY_EXPECT_MENTION.test(text) && /\/\/|\/\*/.test(text)) {
        throw new Error(`${relativeFile}:${index + 1}: an expect comment must be alone on its line: ${text.trim()}`);
      }
      for (const ruleId of pending) expectations.push({ ruleId, file: relativeFile, line: index + 1 });
      pending = [];
    });
    if (pending.length > 0) throw new Error(`${relativeFile}: expect comment at the end of the file points at nothing`);
  }
  return expectations;
}

/** Findings that count for fixtures: not suppressed, located relative to the case directory. */
export function comparableFindings(findings: readonly Finding[], caseDirectory: string): ComparableFinding[] {
  return findings
    .filter((finding) => finding.suppressed === undefined)
    .map((finding) => ({
      ruleId: finding.ruleId,
      file: toPosix(relative(caseDirectory, finding.location.file)),
      line: finding.location.line,
      message: finding.message,
    }));
}

const keyOf = (item: Expectation): string => `${item.ruleId} ${item.file}:${item.line}`;

/** Expected findings that did not come, and findings nobody expected (duplicates of one key count once). */
export function diffFindings(expected: readonly Expectation[], actual: readonly ComparableFinding[]): FindingDiff {
  const actualKeys = new Set(actual.map(keyOf));
  const expectedKeys = new Set(expected.map(keyOf));
  const seenExtra = new Set<string>();
  return {
    missing: expected.filter((item) => !actualKeys.has(keyOf(item))),
    extra: actual.filter((item) => {
      const key = keyOf(item);
      if (expectedKeys.has(key) || seenExtra.has(key)) return false;
      seenExtra.add(key);
      return true;
    }),
  };
}

export function formatFindingDiff(diff: FindingDiff): string {
  const lines: string[] = [];
  for (const item of diff.missing) lines.push(`  MISSING ${item.ruleId} at ${item.file}:${item.line}`);
  for (const item of diff.extra) lines.push(`  EXTRA   ${item.ruleId} at ${item.file}:${item.line}: ${item.message}`);
  return lines.join('\n');
}

// Library and stub files are the same in every case: parse them once for all type-checks.
const sharedSourceFiles = new Map<string, ts.SourceFile>();

function isShareable(fileName: string): boolean {
  return fileName.includes(`${sep}node_modules${sep}`) || fileName.includes('/node_modules/') || /[\\/]stubs[\\/]/.test(fileName);
}

/** Reads a tsconfig/jsconfig like tsc does; configuration errors come back as diagnostics. */
export function parseProjectConfig(configFile: string): ts.ParsedCommandLine {
  const read = ts.readConfigFile(configFile, (path) => ts.sys.readFile(path));
  if (read.error) {
    return { options: {}, fileNames: [], errors: [read.error] };
  }
  return ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(configFile), undefined, configFile);
}

/** Pre-emit diagnostics of a fixture project, formatted like tsc prints them; empty when it type-checks. */
export function typeCheckProject(configFile: string): string[] {
  if (!existsSync(configFile)) return [`${configFile}: the case has no tsconfig.json or jsconfig.json`];
  const parsed = parseProjectConfig(configFile);
  const host = ts.createCompilerHost(parsed.options, true);
  const readSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (!isShareable(fileName)) return readSourceFile(fileName, languageVersion, onError, shouldCreate);
    const cacheKey = `${fileName}|${JSON.stringify(languageVersion)}`;
    let sourceFile = sharedSourceFiles.get(cacheKey);
    if (!sourceFile) {
      sourceFile = readSourceFile(fileName, languageVersion, onError, shouldCreate);
      if (sourceFile) sharedSourceFiles.set(cacheKey, sourceFile);
    }
    return sourceFile;
  };
  const program = ts.createProgram({
    rootNames: parsed.fileNames,
    options: parsed.options,
    projectReferences: parsed.projectReferences,
    host,
    configFileParsingDiagnostics: parsed.errors,
  });
  const diagnostics = [...parsed.errors, ...ts.getPreEmitDiagnostics(program)];
  if (parsed.fileNames.length === 0 && parsed.errors.length === 0) {
    return [`${configFile}: includes no source file`];
  }
  const formatHost: ts.FormatDiagnosticsHost = {
    getCanonicalFileName: (fileName) => fileName,
    getCurrentDirectory: () => dirname(configFile),
    getNewLine: () => '\n',
  };
  return diagnostics.map((diagnostic) => ts.formatDiagnostic(diagnostic, formatHost).trimEnd());
}

/**
 * Copies a case into a temporary directory as a fresh clone would look: same sources and configuration files,
 * a project config with the shared compiler options but without the stubs, so every library import is unresolved
 * (and @types/node is not found either: there is no node_modules above the temporary directory).
 */
export function makeUntypedCopy(testCase: RuleCase, baseConfigFile: string): string {
  const copyRoot = realpathSync(mkdtempSync(join(tmpdir(), `hdl-untyped-${testCase.rule}-`)));
  const copy = join(copyRoot, testCase.name);
  cpSync(testCase.dir, copy, { recursive: true });
  const original = parseJsonWithComments(testCase.projectConfig) as {
    compilerOptions?: Record<string, unknown>;
    include?: string[];
    files?: string[];
  };
  const base = parseJsonWithComments(baseConfigFile) as { compilerOptions?: Record<string, unknown> };
  const withoutStubs = (patterns: string[] | undefined): string[] | undefined =>
    patterns?.filter((pattern) => !/(^|[\\/])stubs([\\/]|$)/.test(pattern));
  const untypedConfig = {
    compilerOptions: { ...base.compilerOptions, ...original.compilerOptions },
    include: withoutStubs(original.include) ?? ['src/**/*'],
    ...(original.files ? { files: withoutStubs(original.files) } : {}),
  };
  const configName = testCase.projectConfig.endsWith('jsconfig.json') ? 'jsconfig.json' : 'tsconfig.json';
  writeFileSync(join(copy, configName), `${JSON.stringify(untypedConfig, null, 2)}\n`);
  return copy;
}

function parseJsonWithComments(file: string): unknown {
  const read = ts.readConfigFile(file, (path) => ts.sys.readFile(path));
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  return read.config;
}

export function isTypeScriptSource(file: string): boolean {
  return /\.(ts|tsx|mts|cts)$/.test(file) && !file.endsWith('.d.ts');
}

export function toPosix(path: string): string {
  return path.split(sep).join('/');
}
