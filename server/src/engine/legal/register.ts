// Loads and validates the processing register (health-data-register.yaml) and finds the entries that apply to a function.
import * as path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import picomatch from 'picomatch';
import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import registerSchema from '../../../../schemas/register.schema.json';
import { HEALTH_CATEGORIES, type HealthCategory, type SourceLocation } from '../model';
import { EXPECTED_BASIS_IDS, EXPECTED_FORMALITY_IDS, parseBasisId } from './ids';

export interface RegisterEntry {
  id: string;
  purpose: string;
  /** Canonical legal basis ids (Art. 6(1), Art. 9(2), and French formalities if written here). */
  legalBasis: string[];
  /** Canonical French formality ids. */
  formalities: string[];
  /** Absent: every category. */
  dataCategories?: HealthCategory[];
  /** Absent: any recipient. */
  recipients?: string[];
  appliesTo: string[];
  /** Where the entry is declared (its `id`), for messages and reports. */
  location: SourceLocation;
}

export interface Register {
  /** The register file as given to loadRegister. */
  file: string;
  /** appliesTo globs are relative to this directory. */
  directory: string;
  /** Absent when the register does not say (configuration or the default [EU] then applies). */
  jurisdictions?: string[];
  processings: RegisterEntry[];
}

export interface RegisterProblem {
  file: string;
  line: number;
  column: number;
  /** Key path in the register: `processings[1].legalBasis[0]`; empty for the whole document. */
  path: string;
  message: string;
}

/** `health-data-register.yaml:7:17 processings[1].legalBasis[0]: unknown legal basis ...`. */
export function formatRegisterProblem(problem: RegisterProblem, displayFile = problem.file): string {
  const where = `${displayFile}:${problem.line}:${problem.column}`;
  return problem.path === '' ? `${where} ${problem.message}` : `${where} ${problem.path}: ${problem.message}`;
}

/** Thrown when the register cannot be used: the CLI exits with code 2 and prints `message`. */
export class RegisterError extends Error {
  constructor(readonly problems: RegisterProblem[]) {
    super(`invalid processing register:\n${problems.map((problem) => `  ${formatRegisterProblem(problem)}`).join('\n')}`);
    this.name = 'RegisterError';
  }
}

type PathSegment = string | number;

function formatPath(segments: readonly PathSegment[]): string {
  let text = '';
  for (const segment of segments) {
    text += typeof segment === 'number' ? `[${segment}]` : text === '' ? segment : `.${segment}`;
  }
  return text;
}

/** Positions of YAML nodes, for messages that point at the exact key or value. */
class Positions {
  constructor(
    private readonly document: Document,
    private readonly lineCounter: LineCounter,
  ) {}

  node(segments: readonly PathSegment[]): YamlNode | undefined {
    if (segments.length === 0) return (this.document.contents as YamlNode | null) ?? undefined;
    const found = this.document.getIn(segments, true);
    return found !== null && typeof found === 'object' && 'range' in (found as object) ? (found as YamlNode) : undefined;
  }

  /** The key node of `key` in the map at `segments` (to point at an unknown key). */
  keyNode(segments: readonly PathSegment[], key: string): YamlNode | undefined {
    const map = this.node(segments);
    if (!isMap(map)) return undefined;
    const pair = map.items.find((item) => isScalar(item.key) && item.key.value === key);
    return pair && isScalar(pair.key) ? pair.key : undefined;
  }

  start(node: YamlNode | undefined): { line: number; column: number } {
    const offset = node?.range?.[0] ?? 0;
    const position = this.lineCounter.linePos(offset);
    return { line: position.line, column: position.col };
  }

  location(file: string, node: YamlNode | undefined): SourceLocation {
    const start = this.start(node);
    const end = this.lineCounter.linePos(node?.range?.[1] ?? 0);
    return { file, line: start.line, column: start.column, endLine: end.line, endColumn: end.col };
  }
}

class ProblemList {
  readonly problems: RegisterProblem[] = [];
  private readonly seen = new Set<string>();

  constructor(
    private readonly file: string,
    private readonly positions: Positions,
  ) {}

  add(segments: readonly PathSegment[], message: string, node = this.positions.node(segments)): void {
    const keyPath = formatPath(segments);
    const signature = `${keyPath}\u0000${message}`;
    if (this.seen.has(signature)) return;
    this.seen.add(signature);
    this.problems.push({ file: this.file, ...this.positions.start(node), path: keyPath, message });
  }
}

let registerShapeValidator: ValidateFunction | undefined;

/** Compiled on first use: projects without a register never pay the ~0.1 s a schema compilation costs at start. */
function validateRegisterShape(): ValidateFunction {
  return (registerShapeValidator ??= new Ajv({ allErrors: true, strict: false }).compile(registerSchema));
}

/** What a value at a key must be, for type errors (`dataCategories must be an array of categories`). */
const EXPECTED_SHAPES: Record<string, string> = {
  '': 'the register must be a mapping with a `processings` list',
  jurisdictions: 'jurisdictions must be an array of jurisdiction codes (EU, FR...)',
  processings: 'processings must be an array of processing entries',
  processing: 'each processing must be a mapping with id, purpose and legalBasis',
  legalBasis: 'legalBasis must be an array of legal basis ids',
  formalities: 'formalities must be an array of French formality ids',
  dataCategories: 'dataCategories must be an array of categories',
  dataSubjects: 'dataSubjects must be an array of strings',
  recipients: 'recipients must be an array of recipient names',
  transfers: 'transfers must be an array of strings',
  appliesTo: 'appliesTo must be an array of file globs or file#function entries',
};

const TOP_LEVEL_KEYS = Object.keys(registerSchema.properties);
const PROCESSING_KEYS = Object.keys(registerSchema.definitions.processing.properties);

/** The key a segment list ends with, ignoring array indices, and whether it designates an array item. */
function describeSegments(segments: readonly PathSegment[]): { key: string; item: boolean } {
  const last = segments[segments.length - 1];
  if (typeof last === 'number') {
    const parent = segments[segments.length - 2];
    if (parent === 'processings') return { key: 'processing', item: false };
    return { key: String(parent ?? ''), item: true };
  }
  return { key: last ?? '', item: false };
}

function instanceSegments(instancePath: string): PathSegment[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((raw) => (/^\d+$/.test(raw) ? Number(raw) : raw));
}

/** Item values whose meaning (ids, categories, codes) is checked with tailored messages by checkValues. */
function isCheckedByValueRules(segments: readonly PathSegment[], keyword: string): boolean {
  const { key, item } = describeSegments(segments);
  return (
    item &&
    ['enum', 'pattern', 'anyOf'].includes(keyword) &&
    ['legalBasis', 'formalities', 'dataCategories', 'jurisdictions'].includes(key)
  );
}

function closeKey(unknown: string, known: readonly string[]): string | undefined {
  const folded = unknown.toLowerCase().replace(/[_-]/g, '');
  return known.find((candidate) => candidate.toLowerCase() === folded);
}

function schemaMessage(error: ErrorObject, segments: readonly PathSegment[]): { message: string; key?: string } | undefined {
  const { key, item } = describeSegments(segments);
  switch (error.keyword) {
    case 'additionalProperties': {
      const unknown = String((error.params as { additionalProperty: string }).additionalProperty);
      const known = segments.length === 0 ? TOP_LEVEL_KEYS : PROCESSING_KEYS;
      const suggestion = closeKey(unknown, known);
      const hint = suggestion ? ` (did you mean "${suggestion}"?)` : ` (expected one of: ${known.join(', ')})`;
      return { message: `unknown key "${unknown}"${hint}`, key: unknown };
    }
    case 'required':
      return { message: `missing required key "${(error.params as { missingProperty: string }).missingProperty}"` };
    case 'type':
      if (item) return { message: `each entry of ${key} must be a string` };
      return { message: EXPECTED_SHAPES[key] ?? `${key} must be ${error.params.type === 'string' ? 'a string' : `of type ${String(error.params.type)}`}` };
    case 'minItems':
      return {
        message:
          key === 'dataCategories'
            ? 'dataCategories must list at least one category (leave it out to cover every category)'
            : `${key} must list at least one legal basis id, e.g. [gdpr-6-1-e, gdpr-9-2-h]`,
      };
    case 'minLength':
      return { message: item ? `entries of ${key} must not be empty` : `${key} must not be empty` };
    case 'pattern':
      if (key === 'id') {
        return { message: 'a processing id is one word of letters, digits, ".", "_" or "-" (it is written in @processing tags)' };
      }
      return { message: `${key} ${error.message ?? 'is invalid'}` };
    default:
      return { message: `${key === '' ? 'the register' : key} ${error.message ?? 'is invalid'}` };
  }
}

function checkShape(value: unknown, problems: ProblemList, positions: Positions): void {
  const validate = validateRegisterShape();
  if (validate(value)) return;
  const errors = validate.errors ?? [];
  // `legalbasis` reported as unknown with "did you mean legalBasis" already explains the missing `legalBasis`.
  const misspelt = new Set(
    errors.flatMap((error) => {
      if (error.keyword !== 'additionalProperties') return [];
      const unknown = String((error.params as { additionalProperty: string }).additionalProperty);
      const suggestion = closeKey(unknown, error.instancePath === '' ? TOP_LEVEL_KEYS : PROCESSING_KEYS);
      return suggestion ? [`${error.instancePath}/${suggestion}`] : [];
    }),
  );
  for (const error of errors) {
    const segments = instanceSegments(error.instancePath);
    if (isCheckedByValueRules(segments, error.keyword)) continue;
    if (error.keyword === 'required' && misspelt.has(`${error.instancePath}/${(error.params as { missingProperty: string }).missingProperty}`)) continue;
    // anyOf reports its branches' errors too; the value rules below say it better.
    if (error.keyword === 'anyOf') continue;
    const described = schemaMessage(error, segments);
    if (!described) continue;
    const node = described.key !== undefined ? positions.keyNode(segments, described.key) : undefined;
    problems.add(segments, described.message, node ?? positions.node(segments));
  }
}

const CATEGORY_SET = new Set<string>(HEALTH_CATEGORIES);

function checkBasisValue(value: string, segments: PathSegment[], problems: ProblemList): void {
  const basis = parseBasisId(value);
  if (!basis) {
    problems.add(segments, `unknown legal basis "${value}" (expected ${EXPECTED_BASIS_IDS})`);
  } else if (basis.id !== value) {
    problems.add(segments, `legal basis ids are written in lower case: "${basis.id}"`);
  }
}

function checkFormalityValue(value: string, segments: PathSegment[], problems: ProblemList): void {
  const basis = parseBasisId(value);
  if (!basis) {
    problems.add(segments, `unknown French formality "${value}" (expected ${EXPECTED_FORMALITY_IDS})`);
  } else if (basis.kind !== 'french-formality') {
    problems.add(segments, `"${value}" is a GDPR legal basis, not a French formality: list it under legalBasis`);
  } else if (basis.id !== value) {
    problems.add(segments, `formality ids are written in lower case: "${basis.id}"`);
  }
}

/** Syntax of one appliesTo entry; undefined when it is usable. */
export function appliesToProblem(entry: string): string | undefined {
  if (entry.trim() === '') return 'an appliesTo entry must not be empty';
  if (entry.includes('\\')) return `use "/" in "${entry}": appliesTo paths are POSIX paths relative to the register's directory`;
  if (entry.startsWith('/') || /^[A-Za-z]:/.test(entry)) {
    return `"${entry}" must be relative to the register's directory, without a leading "/"`;
  }
  const parts = entry.split('#');
  if (parts.length > 2) return `"${entry}" has more than one "#": write file#function`;
  const [glob = '', functionName] = parts;
  if (glob === '') return `"${entry}" names no file before "#": write file#function`;
  if (glob.split('/').includes('..')) return `"${entry}" leaves the register's directory (".."): move the register up or list paths below it`;
  if (functionName !== undefined && !/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)?$/.test(functionName)) {
    return `"#${functionName}" in "${entry}" must name a function or a method: file#function or file#Class.method`;
  }
  for (const [open, close] of [['[', ']'], ['{', '}'], ['(', ')']] as const) {
    let depth = 0;
    for (let index = 0; index < glob.length; index++) {
      const char = glob[index];
      if (char === '\\') index++;
      else if (char === open) depth++;
      else if (char === close) depth--;
      if (depth < 0) break;
    }
    if (depth !== 0) return `unbalanced "${open}${close}" in the glob "${glob}"`;
  }
  try {
    picomatch.makeRe(glob);
  } catch (error) {
    return `"${glob}" is not a valid glob: ${(error as Error).message}`;
  }
  return undefined;
}

function stringItems(value: unknown): { value: string; index: number }[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item, index) => (typeof item === 'string' ? [{ value: item, index }] : []));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkValues(value: unknown, problems: ProblemList, positions: Positions): void {
  if (!isRecord(value)) return;
  for (const { value: code, index } of stringItems(value.jurisdictions)) {
    if (!/^(EU|[A-Z]{2})$/.test(code)) {
      problems.add(['jurisdictions', index], `"${code}" is not a jurisdiction: write EU or a two-letter country code in capitals (FR, DE...)`);
    }
  }
  const firstDeclared = new Map<string, number>();
  const processings = Array.isArray(value.processings) ? value.processings : [];
  processings.forEach((processing: unknown, index: number) => {
    if (!isRecord(processing)) return;
    const at = (...rest: PathSegment[]): PathSegment[] => ['processings', index, ...rest];
    if (typeof processing.id === 'string') {
      const first = firstDeclared.get(processing.id);
      if (first !== undefined) {
        problems.add(at('id'), `duplicate processing id "${processing.id}" (first declared at line ${first})`);
      } else {
        firstDeclared.set(processing.id, positions.start(positions.node(at('id'))).line);
      }
    }
    for (const item of stringItems(processing.legalBasis)) checkBasisValue(item.value, at('legalBasis', item.index), problems);
    for (const item of stringItems(processing.formalities)) checkFormalityValue(item.value, at('formalities', item.index), problems);
    for (const item of stringItems(processing.dataCategories)) {
      if (!CATEGORY_SET.has(item.value)) {
        problems.add(at('dataCategories', item.index), `unknown data category "${item.value}" (expected ${HEALTH_CATEGORIES.join(', ')})`);
      }
    }
    for (const item of stringItems(processing.appliesTo)) {
      const problem = appliesToProblem(item.value);
      if (problem) problems.add(at('appliesTo', item.index), problem);
    }
  });
}

function canonicalIds(value: unknown): string[] {
  return stringItems(value).flatMap((item) => {
    const basis = parseBasisId(item.value);
    return basis ? [basis.id] : [];
  });
}

/** The entries that are usable (a mapping with a string id), even when other parts of the register have problems. */
function buildRegister(file: string, value: unknown, positions: Positions): Register {
  const register: Register = { file, directory: path.dirname(file), processings: [] };
  if (!isRecord(value)) return register;
  if (Array.isArray(value.jurisdictions)) register.jurisdictions = stringItems(value.jurisdictions).map((item) => item.value);
  const processings = Array.isArray(value.processings) ? value.processings : [];
  processings.forEach((processing: unknown, index: number) => {
    if (!isRecord(processing) || typeof processing.id !== 'string') return;
    const entry: RegisterEntry = {
      id: processing.id,
      purpose: typeof processing.purpose === 'string' ? processing.purpose : '',
      legalBasis: canonicalIds(processing.legalBasis),
      formalities: canonicalIds(processing.formalities),
      appliesTo: stringItems(processing.appliesTo)
        .map((item) => item.value)
        .filter((item) => appliesToProblem(item) === undefined),
      location: positions.location(file, positions.node(['processings', index, 'id'])),
    };
    if (Array.isArray(processing.dataCategories)) {
      entry.dataCategories = stringItems(processing.dataCategories)
        .map((item) => item.value)
        .filter((category): category is HealthCategory => CATEGORY_SET.has(category));
    }
    if (Array.isArray(processing.recipients)) entry.recipients = stringItems(processing.recipients).map((item) => item.value);
    register.processings.push(entry);
  });
  return register;
}

/** First line of a YAML parser message, without the position the problem already carries. */
function yamlMessage(message: string): string {
  const firstLine = message.split('\n')[0] ?? message;
  return firstLine.replace(/ at line \d+, column \d+:?$/, '');
}

/**
 * Parses and validates a register. `file` is used in problems and as the base of appliesTo globs;
 * problems are sorted by position. A register with problems still returns its usable entries.
 */
export function loadRegister(file: string, text: string): { register: Register; problems: RegisterProblem[] } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: true });
  const positions = new Positions(document, lineCounter);
  const problems = new ProblemList(file, positions);
  if (document.errors.length > 0) {
    for (const error of document.errors) {
      const position = error.linePos?.[0] ?? { line: 1, col: 1 };
      problems.problems.push({ file, line: position.line, column: position.col, path: '', message: `YAML syntax error: ${yamlMessage(error.message)}` });
    }
    return { register: { file, directory: path.dirname(file), processings: [] }, problems: problems.problems };
  }
  const value: unknown = document.toJS();
  if (value === null || value === undefined) {
    problems.add([], 'the register is empty: expected a mapping with a `processings` list');
  } else {
    checkShape(value, problems, positions);
    checkValues(value, problems, positions);
  }
  const sorted = [...problems.problems].sort((a, b) => a.line - b.line || a.column - b.column);
  return { register: buildRegister(file, value, positions), problems: sorted };
}

/** For the CLI: the register, or a RegisterError listing every problem. */
export function requireValidRegister(file: string, text: string): Register {
  const { register, problems } = loadRegister(file, text);
  if (problems.length > 0) throw new RegisterError(problems);
  return register;
}

interface AppliesToMatcher {
  matchesFile: (relativeFile: string) => boolean;
  functionName?: string;
}

// Compiled globs per entry; entries are immutable data, so the cache never goes stale.
const matcherCache = new WeakMap<RegisterEntry, AppliesToMatcher[]>();

function matchersOf(entry: RegisterEntry): AppliesToMatcher[] {
  let matchers = matcherCache.get(entry);
  if (!matchers) {
    matchers = entry.appliesTo.map((item) => {
      const [rawGlob = '', functionName] = item.split('#');
      // `src/exports/` means everything below; `./src` is the same as `src`.
      const glob = rawGlob.replace(/^\.\//, '').replace(/\/$/, '/**');
      return { matchesFile: picomatch(glob, { dot: true }), functionName };
    });
    matcherCache.set(entry, matchers);
  }
  return matchers;
}

/** `exportStudy` matches `exportStudy` and `Reports.exportStudy`; `Reports` matches every method of `Reports`. */
function functionMatches(wanted: string, actual: string): boolean {
  return actual === wanted || actual.endsWith(`.${wanted}`) || actual.startsWith(`${wanted}.`);
}

function normaliseRelative(file: string): string {
  return file.replace(/\\/g, '/').replace(/^\.\//, '');
}

/**
 * The entries whose appliesTo covers a function of `relativeFile` (a path relative to the register's directory).
 * A file glob covers every function of the file; `file#function` covers the named function only.
 */
export function findRegisterEntries(register: Register, relativeFile: string, functionNames: readonly string[]): RegisterEntry[] {
  const file = normaliseRelative(relativeFile);
  return register.processings.filter((entry) =>
    matchersOf(entry).some(
      (matcher) =>
        matcher.matchesFile(file) &&
        (matcher.functionName === undefined || functionNames.some((name) => functionMatches(matcher.functionName!, name))),
    ),
  );
}

/** POSIX path of an absolute file relative to the register's directory. */
export function relativeToRegister(register: Register, absoluteFile: string): string {
  return path.relative(path.resolve(register.directory), absoluteFile).split(path.sep).join('/');
}

/** The entries whose appliesTo covers a sink's call chain (absolute files, innermost first), without duplicates. */
export function findRegisterEntriesForChain(
  register: Register,
  chain: readonly { file: string; functionName?: string }[],
): RegisterEntry[] {
  const found = new Set<RegisterEntry>();
  for (const link of chain) {
    const names = link.functionName ? [link.functionName] : [];
    for (const entry of findRegisterEntries(register, relativeToRegister(register, link.file), names)) found.add(entry);
  }
  return [...found];
}

/** Entries named by `@processing` tags, and the ids that name no entry. */
export function resolveProcessingIds(register: Register | undefined, ids: readonly string[]): { entries: RegisterEntry[]; unknown: string[] } {
  const entries: RegisterEntry[] = [];
  const unknown: string[] = [];
  for (const id of ids) {
    const entry = register?.processings.find((candidate) => candidate.id === id);
    if (entry) {
      if (!entries.includes(entry)) entries.push(entry);
    } else if (!unknown.includes(id)) {
      unknown.push(id);
    }
  }
  return { entries, unknown };
}
