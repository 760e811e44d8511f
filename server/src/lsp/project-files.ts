// The project's own Health Data Lint files in the editor: the processing register (YAML) and the configuration
// (JSON). They are validated as they are typed, with the same checks as the CLI, and get completion of the values
// people otherwise look up (legal-basis ids, formalities, categories, rule ids, severities), without any other
// extension installed.
import * as path from 'node:path';
import { LineCounter, parseDocument, isMap, isScalar, isPair, type Node } from 'yaml';
import {
  CompletionItemKind,
  DiagnosticSeverity,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type Diagnostic,
  type Position,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import configSchema from '../../../schemas/config.schema.json';
import registerSchema from '../../../schemas/register.schema.json';
import { CONFIG_FILE_NAME, locateJsonError, locatedConfigProblems } from '../engine/load-config';
import { LEGAL_BASES } from '../engine/legal/ids';
import { loadRegister } from '../engine/legal/register';
import { HEALTH_CATEGORIES, RULE_IDS } from '../engine/model';
import { RULE_META } from '../../../rules/meta';
import { DIAGNOSTIC_SOURCE } from './diagnostics';

export const INVALID_REGISTER_CODE = 'invalid-register';
export const INVALID_CONFIGURATION_CODE = 'invalid-configuration';

export type ProjectFileKind = 'register' | 'configuration';

const REGISTER_FILE = /^health-data-register\.ya?ml$/;

export function projectFileKind(file: string): ProjectFileKind | undefined {
  const name = path.basename(file);
  if (REGISTER_FILE.test(name)) return 'register';
  if (name === CONFIG_FILE_NAME) return 'configuration';
  return undefined;
}

/** Problems of a register or configuration, where they are. */
export function validateProjectFile(kind: ProjectFileKind, file: string, text: string): Diagnostic[] {
  return kind === 'register' ? validateRegister(file, text) : validateConfiguration(text);
}

function validateRegister(file: string, text: string): Diagnostic[] {
  const { problems } = loadRegister(file, text);
  return problems.map((problem) => {
    const line = Math.max(0, problem.line - 1);
    const character = Math.max(0, problem.column - 1);
    return {
      range: { start: { line, character }, end: { line, character: character + tokenLength(text, line, character) } },
      severity: DiagnosticSeverity.Error,
      source: DIAGNOSTIC_SOURCE,
      code: INVALID_REGISTER_CODE,
      message: `${problem.path === '' ? '' : `${problem.path}: `}${problem.message} (flows in this project are not analysed until the register is fixed)`,
    };
  });
}

function validateConfiguration(text: string): Diagnostic[] {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const { line, column, detail } = locateJsonError(text, (error as Error).message);
    return [configurationDiagnostic(line - 1, column - 1, 1, `invalid JSON: ${detail}`)];
  }
  const problems = locatedConfigProblems(value, '', 'the configuration');
  if (problems.length === 0) return [];
  const lineCounter = new LineCounter();
  // JSON is YAML 1.2: the YAML parser gives every key and value its offsets, which JSON.parse does not.
  const document = parseDocument(text, { lineCounter, keepSourceTokens: false });
  return problems.map((problem) => {
    const [start, end] = rangeOfPointer(document.contents, problem.pointer, problem.atKey) ?? [0, 0];
    const position = lineCounter.linePos(start);
    const endPosition = lineCounter.linePos(Math.max(start, end));
    return {
      range: { start: { line: position.line - 1, character: position.col - 1 }, end: { line: endPosition.line - 1, character: endPosition.col - 1 } },
      severity: DiagnosticSeverity.Error,
      source: DIAGNOSTIC_SOURCE,
      code: INVALID_CONFIGURATION_CODE,
      message: `${problem.message} (the project is not analysed until the configuration is fixed)`,
    };
  });
}

function configurationDiagnostic(line: number, character: number, length: number, message: string): Diagnostic {
  return {
    range: { start: { line: Math.max(0, line), character: Math.max(0, character) }, end: { line: Math.max(0, line), character: Math.max(0, character) + length } },
    severity: DiagnosticSeverity.Error,
    source: DIAGNOSTIC_SOURCE,
    code: INVALID_CONFIGURATION_CODE,
    message,
  };
}

/** The offsets of the node a JSON pointer names (its key when `atKey`), the nearest existing ancestor otherwise. */
function rangeOfPointer(root: Node | null, pointer: string, atKey: boolean): [number, number] | undefined {
  const segments = pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: unknown = root;
  let range = (root as Node | null)?.range;
  for (const [index, segment] of segments.entries()) {
    const last = index === segments.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === segment);
      if (!pair) break;
      const target = last && atKey ? pair.key : pair.value;
      node = target;
      range = (target as Node | null)?.range ?? range;
    } else if (node && typeof node === 'object' && 'items' in node && Array.isArray((node as { items: unknown[] }).items)) {
      const item = (node as { items: unknown[] }).items[Number(segment)];
      if (!item) break;
      node = item;
      range = (item as Node).range ?? range;
    } else break;
  }
  return range ? [range[0], range[1]] : undefined;
}

function tokenLength(text: string, line: number, character: number): number {
  const lineText = text.split(/\r\n|\r|\n/)[line] ?? '';
  const token = /^[^\s,\]}]+/.exec(lineText.slice(character))?.[0] ?? '';
  return Math.max(1, token.length);
}

// ---------------------------------------------------------------------------------------------------------------
// Completion

interface ValueChoice {
  value: string;
  detail: string;
  documentation?: string;
}

const BASIS_CHOICES: ValueChoice[] = LEGAL_BASES.filter((basis) => basis.kind !== 'french-formality').map((basis) => ({
  value: basis.id,
  detail: basis.article,
  documentation: basis.label,
}));
const FORMALITY_CHOICES: ValueChoice[] = [
  ...LEGAL_BASES.filter((basis) => basis.kind === 'french-formality').map((basis) => ({ value: basis.id, detail: basis.article, documentation: basis.label })),
];
const CATEGORY_CHOICES: ValueChoice[] = HEALTH_CATEGORIES.map((category) => ({ value: category, detail: 'health-data category' }));
const JURISDICTION_CHOICES: ValueChoice[] = [
  { value: 'EU', detail: 'GDPR', documentation: 'The GDPR applies (Art. 6 and Art. 9).' },
  { value: 'FR', detail: 'Loi Informatique et Libertés', documentation: 'France: research and statistics on health data need a formality (MR-00x, CNIL authorisation, EDS reference framework).' },
];
const SEVERITY_CHOICES: ValueChoice[] = ['error', 'warning', 'information', 'off'].map((value) => ({ value, detail: 'severity' }));
const SINK_KIND_CHOICES: ValueChoice[] = [
  { value: 'export', detail: 'data leaves to a partner, a file, a queue, an HTTP response' },
  { value: 'third-party', detail: 'a third-party SDK or API (needs a basis naming the recipient)' },
  { value: 'log', detail: 'a log (a legal basis never covers it)' },
  { value: 'browser', detail: 'browser storage or URL (a legal basis never covers it)' },
];
const RULE_CHOICES: ValueChoice[] = RULE_IDS.map((id) => ({ value: id, detail: 'rule', documentation: RULE_META[id].shortDescription }));

/** Completion items at `position` in a register or configuration document. */
export function completeProjectFile(kind: ProjectFileKind, document: TextDocument, position: Position): CompletionItem[] {
  const text = document.getText();
  const offset = document.offsetAt(position);
  return kind === 'register' ? completeRegister(text, offset) : completeConfiguration(text, offset);
}

// --- register (YAML): decided from the lines above the cursor, because the document is usually half-typed.

const REGISTER_VALUE_CHOICES: Record<string, ValueChoice[]> = {
  legalBasis: BASIS_CHOICES,
  formalities: FORMALITY_CHOICES,
  dataCategories: CATEGORY_CHOICES,
  jurisdictions: JURISDICTION_CHOICES,
};

function completeRegister(text: string, offset: number): CompletionItem[] {
  const before = text.slice(0, offset);
  const lines = before.split(/\r\n|\r|\n/);
  const current = lines[lines.length - 1] ?? '';
  // `legalBasis: [gdpr-6-1-e, |` or `legalBasis: |`: the key is on this line.
  const inline = /^\s*(?:-\s+)?([A-Za-z]+)\s*:\s*(\[(?:[^\],]*,)*\s*)?([\w:-]*)$/.exec(current);
  if (inline && REGISTER_VALUE_CHOICES[inline[1]]) return valueItems(REGISTER_VALUE_CHOICES[inline[1]], inline[3], alreadyListed(inline[2] ?? ''));
  // `  - gdpr-9|` under a `legalBasis:` line: the key is the nearest less-indented line above that ends with `key:`.
  const item = /^(\s*)-\s+([\w:-]*)$/.exec(current);
  if (item) {
    const indent = item[1].length;
    const siblings: string[] = [];
    for (let i = lines.length - 2; i >= 0; i--) {
      const line = lines[i];
      if (line.trim() === '' || line.trim().startsWith('#')) continue;
      const lineIndent = /^\s*/.exec(line)![0].length;
      const sibling = /^\s*-\s+([\w:-]+)\s*$/.exec(line);
      if (lineIndent === indent && sibling) {
        siblings.push(sibling[1]);
        continue;
      }
      const key = /^\s*(?:-\s+)?([A-Za-z]+)\s*:\s*$/.exec(line);
      if (key && lineIndent <= indent && REGISTER_VALUE_CHOICES[key[1]]) return valueItems(REGISTER_VALUE_CHOICES[key[1]], item[2], new Set(siblings));
      if (lineIndent < indent || key) break;
    }
  }
  // A new key inside a processing entry (`  purpose: ...` lines around): offer the keys it does not have yet.
  const keyStart = /^(\s*)(-\s+)?([A-Za-z]*)$/.exec(current);
  if (keyStart) return registerKeyItems(text, lines, keyStart[1].length + (keyStart[2]?.length ?? 0), keyStart[3]);
  return [];
}

function alreadyListed(flowList: string): Set<string> {
  return new Set(flowList.replace(/^\[/, '').split(',').map((item) => item.trim()).filter((item) => item !== ''));
}

function registerKeyItems(text: string, lines: string[], column: number, typed: string): CompletionItem[] {
  const processingProperties = (registerSchema.definitions.processing.properties ?? {}) as Record<string, { description?: string }>;
  const topProperties = registerSchema.properties as Record<string, { description?: string }>;
  // Inside a processing entry when a line above at the same column (or the `- ` item line) has processing keys.
  const inEntry = column > 0 && lines.slice(0, -1).some((line) => /^\s*-\s+id\s*:/.test(line) || /^\s+(id|purpose|legalBasis)\s*:/.test(line));
  const properties = inEntry ? processingProperties : topProperties;
  const present = new Set<string>();
  if (inEntry) {
    // Keys of the entry the cursor is in: from the last `- ` line at a lower column down to the cursor.
    for (let i = lines.length - 2; i >= 0; i--) {
      const match = /^(\s*)(-\s+)?([A-Za-z]+)\s*:/.exec(lines[i]);
      if (!match) continue;
      const keyColumn = match[1].length + (match[2]?.length ?? 0);
      if (keyColumn === column) present.add(match[3]);
      if (match[2] && keyColumn === column) break;
      if (keyColumn < column) break;
    }
  } else {
    for (const match of text.matchAll(/^([A-Za-z$]+)\s*:/gm)) present.add(match[1]);
  }
  return Object.entries(properties)
    .filter(([key]) => !present.has(key) && key !== '$schema' && key.startsWith(typed))
    .map(([key, schema]) => ({
      label: key,
      kind: CompletionItemKind.Property,
      documentation: schema.description ? { kind: MarkupKind.Markdown, value: schema.description } : undefined,
      insertText: `${key}: `,
    }));
}

function valueItems(choices: readonly ValueChoice[], typed: string, exclude: ReadonlySet<string>, quote = false): CompletionItem[] {
  return choices
    .filter((choice) => !exclude.has(choice.value) && choice.value.startsWith(typed.replace(/^"/, '')))
    .map((choice, index) => ({
      label: choice.value,
      kind: CompletionItemKind.EnumMember,
      detail: choice.detail,
      ...(choice.documentation && { documentation: { kind: MarkupKind.Markdown, value: choice.documentation } }),
      sortText: String(index).padStart(3, '0'),
      ...(quote && { insertText: `"${choice.value}"`, filterText: `"${choice.value}"` }),
    }));
}

// --- configuration (JSON): the enclosing keys are found by scanning the text up to the cursor.

interface JsonContext {
  /** Keys from the root to the container holding the cursor (array items add no key). */
  path: string[];
  /** Where the cursor is: writing a key of an object, or a value (of a key or an array item). */
  expecting: 'key' | 'value';
  /** The property the value belongs to (for `"kind": |`), when expecting a value in an object. */
  property?: string;
  /** What is typed of the current token (after its opening quote). */
  typed: string;
  /** The current token is inside quotes already. */
  quoted: boolean;
}

function completeConfiguration(text: string, offset: number): CompletionItem[] {
  const context = jsonContextAt(text, offset);
  if (!context) return [];
  const quote = !context.quoted;
  const { path: keys, expecting, property } = context;
  if (expecting === 'key') {
    if (keys.length === 0) return keyItems(configSchema.properties as Record<string, { description?: string }>, context, quote);
    if (keys.length === 1 && keys[0] === 'rules') return valueItems(RULE_CHOICES, context.typed, new Set(), quote);
    if (keys[0] === 'sinks' && keys.length === 1) {
      const sink = (configSchema.properties.sinks.items as { properties: Record<string, { description?: string }> }).properties;
      return keyItems(sink, context, quote);
    }
    return [];
  }
  const owner = property ?? keys[keys.length - 1];
  if (keys[0] === 'rules' && keys.length === 1 && property) return valueItems(SEVERITY_CHOICES, context.typed, new Set(), quote);
  if (owner === 'categories' || (keys[0] === 'healthTypes' && keys.length === 2)) return valueItems(CATEGORY_CHOICES, context.typed, new Set(), quote);
  if (owner === 'kind' && keys[0] === 'sinks') return valueItems(SINK_KIND_CHOICES, context.typed, new Set(), quote);
  if (owner === 'jurisdictions') return valueItems(JURISDICTION_CHOICES, context.typed, new Set(), quote);
  return [];
}

function keyItems(properties: Record<string, { description?: string }>, context: JsonContext, quote: boolean): CompletionItem[] {
  return Object.entries(properties)
    .filter(([key]) => key !== '$schema' && key.startsWith(context.typed))
    .map(([key, schema]) => ({
      label: key,
      kind: CompletionItemKind.Property,
      ...(schema.description && { documentation: { kind: MarkupKind.Markdown, value: schema.description } }),
      insertText: quote ? `"${key}": $0` : `${key}`,
      insertTextFormat: InsertTextFormat.Snippet,
    }));
}

/** A small forward scan of (possibly half-typed) JSON up to `offset`: the containers and keys around the cursor. */
export function jsonContextAt(text: string, offset: number): JsonContext | undefined {
  type Container = { kind: 'object' | 'array'; key?: string; expecting: 'key' | 'value'; lastKey?: string };
  const stack: Container[] = [];
  let i = 0;
  let lastString: string | undefined;
  while (i < offset) {
    const ch = text[i];
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= offset) {
        // The cursor is inside this string.
        const top = stack[stack.length - 1];
        if (!top) return undefined;
        return contextOf(stack, text.slice(i + 1, offset), true);
      }
      lastString = text.slice(i + 1, j);
      i = j + 1;
      continue;
    }
    const top = stack[stack.length - 1];
    if (ch === '{' || ch === '[') {
      const key = top?.kind === 'object' ? top.lastKey : top?.key;
      stack.push({ kind: ch === '{' ? 'object' : 'array', key: top?.kind === 'array' ? top.key : key, expecting: ch === '{' ? 'key' : 'value' });
    } else if (ch === '}' || ch === ']') {
      stack.pop();
    } else if (ch === ':' && top?.kind === 'object') {
      top.lastKey = lastString;
      top.expecting = 'value';
    } else if (ch === ',' && top) {
      top.expecting = top.kind === 'object' ? 'key' : 'value';
    }
    i++;
  }
  if (stack.length === 0) return undefined;
  const typed = /[\w-]*$/.exec(text.slice(0, offset))?.[0] ?? '';
  return contextOf(stack, typed, false);
}

function contextOf(stack: { kind: 'object' | 'array'; key?: string; expecting: 'key' | 'value'; lastKey?: string }[], typed: string, quoted: boolean): JsonContext {
  const top = stack[stack.length - 1];
  // Keys of the containers below the top (the root object has no key).
  const keys = stack.slice(1).map((container) => container.key ?? '');
  // Array items are nested under their array's key already; collapse consecutive duplicates from array nesting.
  const path = keys.filter((key, index) => key !== '' && key !== keys[index - 1]);
  return {
    path,
    expecting: top.expecting,
    ...(top.kind === 'object' && top.expecting === 'value' && top.lastKey !== undefined && { property: top.lastKey }),
    typed,
    quoted,
  };
}
