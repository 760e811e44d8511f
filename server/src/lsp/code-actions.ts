// Quick fixes for a finding: a justified suppression comment, a `@legalBasis` JSDoc tag, the rule's documentation.
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, RuleId } from '../engine/model';
import { rangeOf } from './diagnostics';
import { addJsDocTagsEdit } from './jsdoc-target';
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

export function codeActionsFor(finding: Finding, diagnostic: Diagnostic, document: TextDocument, documentationUrl: string): CodeAction[] {
  const actions: CodeAction[] = [];
  const legalBasis = LEGAL_BASIS_RULES.has(finding.ruleId) ? legalBasisActions(finding, diagnostic, document) : [];
  actions.push(...legalBasis, suppressionAction(finding, diagnostic, document), documentationAction(finding, diagnostic, documentationUrl));
  return actions;
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
    const textEdit: TextEdit = { range: { start: document.positionAt(edit.start), end: document.positionAt(edit.end) }, newText: edit.newText };
    return [
      {
        title: `Record a legal basis: @legalBasis ${choice.ids} (${choice.label})${recipientTag.length > 0 ? ` for ${finding.recipient}` : ''}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: index === 0,
        edit: { changes: { [document.uri]: [textEdit] } },
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
