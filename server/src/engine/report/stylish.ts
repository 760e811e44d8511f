// The human report (ESLint's "stylish" layout): findings grouped by file, then totals.
import type { AnalysisResult, Finding } from '../model';
import { baselineSummary } from './baseline-summary';
import { countFindings, plural } from './counts';
import { displayFilePath } from './paths';

export interface StylishOptions {
  /** ANSI colours (when writing to a terminal that wants them). */
  color: boolean;
}

const ANSI = { red: 31, yellow: 33, blue: 34, dim: 2, bold: 1, underline: 4 } as const;

export function formatStylish(result: AnalysisResult, cwd: string, options: StylishOptions): string {
  const paint = (style: keyof typeof ANSI, text: string): string =>
    options.color ? `\u001b[${ANSI[style]}m${text}\u001b[0m` : text;
  const reported = sortFindings(result.findings.filter((finding) => !finding.suppressed && finding.baselineState !== 'unchanged'));
  const byFile = new Map<string, Finding[]>();
  for (const finding of reported) {
    const list = byFile.get(finding.location.file) ?? [];
    list.push(finding);
    byFile.set(finding.location.file, list);
  }

  const lines: string[] = [];
  for (const [file, findings] of byFile) {
    lines.push('', paint('underline', displayFilePath(cwd, file)));
    const rows = findings.map((finding) => [
      `${finding.location.line}:${finding.location.column}`,
      finding.severity,
      finding.message,
      finding.ruleId,
    ]);
    const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column].length)));
    for (const [position, severity, message, ruleId] of rows) {
      const severityStyle = severity === 'error' ? 'red' : severity === 'warning' ? 'yellow' : 'blue';
      lines.push(
        `  ${paint('dim', position.padEnd(widths[0]))}  ${paint(severityStyle, severity.padEnd(widths[1]))}  ` +
          `${message.padEnd(widths[2])}  ${paint('dim', ruleId)}`,
      );
    }
  }

  const counts = countFindings(result.findings);
  const total = counts.errors + counts.warnings + counts.information;
  if (total > 0) {
    const summary =
      `\u2716 ${plural(total, 'problem')} (${plural(counts.errors, 'error')}, ` +
      `${plural(counts.warnings, 'warning')}, ${counts.information} information)`;
    lines.push('', paint('bold', counts.errors > 0 ? paint('red', summary) : paint('yellow', summary)));
  }
  if (counts.suppressed > 0) {
    lines.push(`${total > 0 ? '  ' : '\n'}${plural(counts.suppressed, 'finding')} suppressed with a justification`);
  }
  if (result.baseline) lines.push(`${total > 0 || counts.suppressed > 0 ? '  ' : '\n'}${baselineSummary(result.baseline)}`);
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** By file, then position: the order people read a report in and CI logs diff well. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      a.location.file.localeCompare(b.location.file) ||
      a.location.line - b.location.line ||
      a.location.column - b.location.column ||
      a.ruleId.localeCompare(b.ruleId),
  );
}
