// Turns engine findings, skipped files and blocking problems into LSP diagnostics (pure data in, data out).
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation, type Range } from 'vscode-languageserver';
import type { Finding, RelatedLocation, Severity, SkippedFile, SourceLocation, StaleRegisterEntry } from '../engine/model';
import { RULE_META } from '../../../rules/meta';
import type { BlockingProblem } from './analysis-unit';

export const DIAGNOSTIC_SOURCE = 'health-data-lint';
export const ANALYSIS_SKIPPED_CODE = 'analysis-skipped';
/** Code of a diagnostic saying the analysis could not run (configuration, register or tsconfig problem). */
export const ANALYSIS_BLOCKED_CODE = 'analysis-blocked';
/** Related information is a list in the editor, not a report: long paths are cut. */
const MAX_RELATED = 40;

export function fileUri(file: string): string {
  return pathToFileURL(file).href;
}

export function rangeOf(location: SourceLocation): Range {
  return {
    start: { line: Math.max(0, location.line - 1), character: Math.max(0, location.column - 1) },
    end: { line: Math.max(0, location.endLine - 1), character: Math.max(0, location.endColumn - 1) },
  };
}

export function severityOf(severity: Exclude<Severity, 'off'>): DiagnosticSeverity {
  switch (severity) {
    case 'error':
      return DiagnosticSeverity.Error;
    case 'warning':
      return DiagnosticSeverity.Warning;
    case 'information':
      return DiagnosticSeverity.Information;
  }
}

export function ruleDocumentationUrl(ruleId: Finding['ruleId'], documentationBaseUrl: string): string {
  const base = documentationBaseUrl.endsWith('/') ? documentationBaseUrl : `${documentationBaseUrl}/`;
  return `${base}${RULE_META[ruleId].doc}`;
}

/** The key a code action or a hover uses to find the finding behind a diagnostic the client sends back. */
export function diagnosticKey(code: unknown, range: Range): string {
  return `${String(code)}@${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

export function diagnosticFromFinding(finding: Finding, documentationBaseUrl: string): Diagnostic {
  return {
    range: rangeOf(finding.location),
    severity: severityOf(finding.severity),
    source: DIAGNOSTIC_SOURCE,
    code: finding.ruleId,
    codeDescription: { href: ruleDocumentationUrl(finding.ruleId, documentationBaseUrl) },
    message: finding.message,
    relatedInformation: relatedInformationOf(finding),
  };
}

/** The path(s) from the health-data source to the sink, then the finding's other related locations. */
export function relatedInformationOf(finding: Finding): DiagnosticRelatedInformation[] {
  const several = finding.flows.length > 1;
  const fromFlows = finding.flows.flatMap((flow, index) =>
    flow.map((step, stepIndex) => related(step, several ? `path ${index + 1}, step ${stepIndex + 1}: ${step.message}` : step.message)),
  );
  return [...fromFlows, ...finding.related.map((r) => related(r, r.message))].slice(0, MAX_RELATED);
}

function related(location: RelatedLocation, message: string): DiagnosticRelatedInformation {
  return { location: { uri: fileUri(location.location.file), range: rangeOf(location.location) }, message };
}

export function diagnosticFromSkippedFile(skipped: SkippedFile): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    source: DIAGNOSTIC_SOURCE,
    code: ANALYSIS_SKIPPED_CODE,
    message: `Health Data Lint did not analyse this file (${skipped.reason}): ${skipped.message}. Other files were analysed.`,
  };
}

export function diagnosticFromBlockingProblem(problem: BlockingProblem): Diagnostic {
  const line = Math.max(0, (problem.line ?? 1) - 1);
  const character = Math.max(0, (problem.column ?? 1) - 1);
  return {
    range: { start: { line, character }, end: { line, character: problem.line === undefined ? 0 : character + 1 } },
    severity: DiagnosticSeverity.Error,
    source: DIAGNOSTIC_SOURCE,
    code: ANALYSIS_BLOCKED_CODE,
    message: `Health Data Lint cannot analyse this project until this is fixed: ${problem.message}`,
  };
}

export const STALE_REGISTER_ENTRY_CODE = 'stale-register-entry';

/** A register entry no analysed code uses: a warning on its `id` in the register. */
export function diagnosticFromStaleEntry(stale: StaleRegisterEntry): Diagnostic {
  return {
    range: rangeOf(stale.location),
    severity: DiagnosticSeverity.Warning,
    source: DIAGNOSTIC_SOURCE,
    code: STALE_REGISTER_ENTRY_CODE,
    message: stale.message,
  };
}
