// A Markdown summary for pull-request comments and job summaries: totals per rule, then one row per finding.
import { RULE_IDS } from '../model';
import type { AnalysisResult } from '../model';
import { baselineSummary } from './baseline-summary';
import { countFindings, plural } from './counts';
import { displayFilePath } from './paths';
import { ruleDocumentationUrl } from './rule-docs';
import { sortFindings } from './stylish';

export interface MarkdownOptions {
  documentationBaseUrl: string;
}

export function formatMarkdown(result: AnalysisResult, cwd: string, options: MarkdownOptions): string {
  const counts = countFindings(result.findings);
  const reported = sortFindings(result.findings.filter((finding) => !finding.suppressed && finding.baselineState !== 'unchanged'));
  const lines = [
    '## Health Data Lint',
    '',
    `${plural(counts.errors, 'error')}, ${plural(counts.warnings, 'warning')}, ${counts.information} information` +
      (counts.suppressed > 0 ? `, ${counts.suppressed} suppressed with a justification` : '') +
      (result.skipped.length > 0 ? `; ${plural(result.skipped.length, 'file')} not analysed` : '') +
      '.',
  ];
  if (result.baseline) lines.push('', `${baselineSummary(result.baseline)}.`);

  const rulesWithFindings = RULE_IDS.filter((ruleId) => reported.some((finding) => finding.ruleId === ruleId));
  if (rulesWithFindings.length > 0) {
    lines.push('', '| Rule | Errors | Warnings | Information |', '| --- | ---: | ---: | ---: |');
    for (const ruleId of rulesWithFindings) {
      const ofRule = countFindings(reported.filter((finding) => finding.ruleId === ruleId));
      const link = `[\`${ruleId}\`](${ruleDocumentationUrl(ruleId, options.documentationBaseUrl)})`;
      lines.push(`| ${link} | ${ofRule.errors} | ${ofRule.warnings} | ${ofRule.information} |`);
    }
    lines.push('', '| Severity | Location | Rule | Message |', '| --- | --- | --- | --- |');
    for (const finding of reported) {
      const where = `${displayFilePath(cwd, finding.location.file)}:${finding.location.line}:${finding.location.column}`;
      lines.push(`| ${finding.severity} | \`${where}\` | \`${finding.ruleId}\` | ${escapeCell(finding.message)} |`);
    }
  }

  if (result.skipped.length > 0) {
    lines.push('', '### Files not analysed', '');
    for (const skipped of result.skipped) {
      lines.push(`- \`${displayFilePath(cwd, skipped.file)}\` (${skipped.reason}): ${escapeCell(skipped.message)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Pipes and line breaks would end a table cell early. */
function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
