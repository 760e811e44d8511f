// Quick fixes for a finding: a `@legalBasis` or `@processing` JSDoc tag, wrapping the value in a configured
// anonymiser, a justified suppression comment, the rule's documentation.
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { FLOW_RULE_IDS, type Finding, type RuleId } from '../engine/model';
import { rangeOf } from './diagnostics';
import { addJsDocTagsEdit } from './jsdoc-target';
import type { AnonymiserChoice, ProcessingChoice, ProjectContext } from './project-context';
import { SERVER_COMMANDS } from './protocol';

/** Rules a recorded legal basis can resolve (logs and the browser never are: contract). */
const LEGAL_BASIS_RULES: ReadonlySet<RuleId> = new Set(['unprotected-export', 'pseudonymised-export', 'third-party-disclosure', 'insufficient-legal-basis']);

/** The common Art. 9(2) conditions for health data, each with the Art. 6(1) basis it usually goes with. */
export const LEGAL_BASIS_CHOICES = [
  { ids: 'gdpr-6-1-e gdpr-9-2-h', label: 'health or social care, Art. 9(2)(h)' },
  { ids: 'gdpr-6-1-a gdpr-9-2-a', label: 'explicit consent, Art. 9(2)(a)' },
  { ids: 'gdpr-6-1-e gdpr-9-2-i', label: 'public health, Art. 9(2)(i)' },
  { ids: 'gdpr-6-1-e gdpr-9-2-j', label: 'research or statistics, Art. 9(2)(j)' },
] as const;

export const SUPPRESSION_REASON_PLACEHOLDER = '<reason>';

/** Rules whose data could be anonymised before it leaves (every data-flow rule). */
const FLOW_RULES = FLOW_RULE_IDS;

export function codeActionsFor(
  finding: Finding,
  diagnostic: Diagnostic,
  document: TextDocument,
  documentationUrl: string,
  project: ProjectContext = { processings: [], anonymisers: [] },
): CodeAction[] {
  const coverable = LEGAL_BASIS_RULES.has(finding.ruleId);
  return [
    ...(coverable ? legalBasisActions(finding, diagnostic, document) : []),
    ...(coverable ? processingActions(finding, diagnostic, document, project.processings) : []),
    ...(FLOW_RULES.has(finding.ruleId) ? anonymiserActions(finding, diagnostic, document, project.anonymisers) : []),
    suppressionAction(finding, diagnostic, document),
    documentationAction(finding, diagnostic, documentationUrl),
  ];
}

/** `@processing <id>` for each entry of the register: the flow is then judged against that entry. */
function processingActions(finding: Finding, diagnostic: Diagnostic, document: TextDocument, processings: readonly ProcessingChoice[]): CodeAction[] {
  const offset = document.offsetAt(rangeOf(finding.location).start);
  return processings.flatMap((processing) => {
    const edit = addJsDocTagsEdit(filePathOf(document.uri), document.getText(), offset, [`@processing ${processing.id}`]);
    if (!edit) return [];
    const purpose = processing.purpose ? ` (${processing.purpose.length > 60 ? `${processing.purpose.slice(0, 57)}...` : processing.purpose})` : '';
    return [
      {
        title: `Record the processing: @processing ${processing.id}${purpose}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        edit: { changes: { [document.uri]: [toTextEdit(document, edit)] } },
      },
    ];
  });
}

/** Wraps the value that leaves (the diagnostic's range) in a configured anonymiser, importing it when needed. */
function anonymiserActions(finding: Finding, diagnostic: Diagnostic, document: TextDocument, anonymisers: readonly AnonymiserChoice[]): CodeAction[] {
  const range = rangeOf(finding.location);
  const { start, end } = range;
  if (start.line !== end.line || start.character === end.character) return [];
  const value = document.getText(range);
  const text = document.getText();
  return anonymisers.map((anonymiser) => {
    const edits: TextEdit[] = [{ range, newText: `${anonymiser.name}(${value})` }];
    const importEdit = anonymiser.importFrom ? importEditFor(text, anonymiser.name, anonymiser.importFrom) : undefined;
    if (importEdit) edits.push({ range: { start: document.positionAt(importEdit.offset), end: document.positionAt(importEdit.offset) }, newText: importEdit.text });
    return {
      title: `Anonymise before it leaves: ${anonymiser.name}(${value.length > 40 ? `${value.slice(0, 37)}...` : value})`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      edit: { changes: { [document.uri]: edits } },
    };
  });
}

/** An `import { name } from 'module'` after the last import, unless `name` is imported or declared already. */
function importEditFor(text: string, name: string, module: string): { offset: number; text: string } | undefined {
  const escaped = name.replace(/[$]/g, '\\$&');
  if (new RegExp(`(import[^;]*\\b${escaped}\\b[^;]*from)|((function|const|let|var|class)\\s+${escaped}\\b)`).test(text)) return undefined;
  // Each import ends at its module specifier (with or without a semicolon), so code after the imports is never swallowed.
  const imports = [...text.matchAll(/^import\b[\s\S]*?(?:\bfrom\s*)?['"][^'"\n]+['"];?[ \t]*$/gm)];
  const last = imports.at(-1);
  const offset = last ? last.index! + last[0].length + 1 : 0;
  const line = `import { ${name} } from '${module}';\n`;
  return { offset: Math.min(offset, text.length), text: last && offset > text.length ? `\n${line}` : line };
}

function toTextEdit(document: TextDocument, edit: { start: number; end: number; newText: string }): TextEdit {
  return { range: { start: document.positionAt(edit.start), end: document.positionAt(edit.end) }, newText: edit.newText };
}

function suppressionAction(finding: Finding, diagnostic: Diagnostic, document: TextDocument): CodeAction {
  const line = diagnostic.range.start.line;
  const lineText = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  const indent = /^[ \t]*/.exec(lineText)?.[0] ?? '';
  const comment = `${indent}// health-data-lint-disable-next-line ${finding.ruleId} -- ${SUPPRESSION_REASON_PLACEHOLDER}\n`;
  return {
    title: `Suppress ${finding.ruleId} on this line (a justification is required)`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: { changes: { [document.uri]: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: comment }] } },
  };
}

function legalBasisActions(finding: Finding, diagnostic: Diagnostic, document: TextDocument): CodeAction[] {
  const recipientTag = finding.ruleId === 'third-party-disclosure' && finding.recipient ? [`@recipient ${finding.recipient}`] : [];
  // The finding's own position: the client's copy of the range may be in other units (Neovim 0.7 sends bytes).
  const offset = document.offsetAt(rangeOf(finding.location).start);
  return LEGAL_BASIS_CHOICES.flatMap((choice, index) => {
    const tags = [`@legalBasis ${choice.ids}`, ...recipientTag];
    const edit = addJsDocTagsEdit(filePathOf(document.uri), document.getText(), offset, tags);
    if (!edit) return [];
    return [
      {
        title: `Record a legal basis: @legalBasis ${choice.ids} (${choice.label})${recipientTag.length > 0 ? ` for ${finding.recipient}` : ''}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: index === 0,
        edit: { changes: { [document.uri]: [toTextEdit(document, edit)] } },
      },
    ];
  });
}

function documentationAction(finding: Finding, diagnostic: Diagnostic, documentationUrl: string): CodeAction {
  return {
    title: `Show documentation for ${finding.ruleId}`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    command: { title: `Show documentation for ${finding.ruleId}`, command: SERVER_COMMANDS.openRuleDocumentation, arguments: [documentationUrl] },
  };
}

function filePathOf(uri: string): string {
  return decodeURIComponent(uri.replace(/^file:\/\//, ''));
}
