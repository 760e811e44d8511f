// A Markdown summary for pull-request comments and job summaries: totals per rule and per recipient, the findings
// to look at (new ones when a baseline is used) with the path the data takes, and how to fix each rule. Bounded in
// size: a PR comment holds at most 65,536 characters, so long lists end with a count of what was left out.
import * as path from 'node:path';
import { RULE_IDS } from '../model';
import type { AnalysisResult, Finding, SinkKind } from '../model';
import { RULE_META } from '../../../../rules/meta';
import { baselineSummary } from './baseline-summary';
import { countFindings, plural } from './counts';
import { displayFilePath } from './paths';
import { ruleDocumentationUrl } from './rule-docs';
import { sortFindings } from './stylish';

export interface MarkdownOptions {
  documentationBaseUrl: string;
  /** Most findings listed one by one (default 50). */
  maxFindings?: number;
}

/** Well under GitHub's 65,536-character limit for a comment, leaving room for a bot's own header. */
const MAX_CHARACTERS = 60_000;

const KIND_LABELS: Record<SinkKind, string> = {
  export: 'Partner APIs and exports',
  'third-party': 'Third parties',
  log: 'Logs',
  browser: 'Browser storage and URLs',
};

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
    lines.push(...recipientTable(reported));
    lines.push('', result.baseline ? '### New findings' : '### Findings', '', '| Severity | Location | Rule | Message | Path |', '| --- | --- | --- | --- | --- |');
    const maxFindings = options.maxFindings ?? 50;
    const tail = [...howToFix(rulesWithFindings, options.documentationBaseUrl), ...skippedFiles(result, cwd)];
    let size = [...lines, ...tail].join('\n').length;
    let listed = 0;
    for (const finding of reported) {
      const row = findingRow(finding, cwd);
      if (listed >= maxFindings || size + row.length + 200 > MAX_CHARACTERS) break;
      lines.push(row);
      size += row.length + 1;
      listed++;
    }
    if (listed < reported.length) {
      lines.push('', `…and ${plural(reported.length - listed, 'more finding')}, in the SARIF, JSON or HTML report of the same run.`);
    }
    lines.push(...tail);
  } else {
    lines.push(...skippedFiles(result, cwd));
  }
  return `${lines.join('\n')}\n`;
}

/** Where health data goes: one row per recipient, grouped by kind (partner APIs, third parties, logs, browser). */
function recipientTable(findings: readonly Finding[]): string[] {
  const rows = new Map<string, { kind: SinkKind; recipient: string; count: number }>();
  for (const finding of findings) {
    if (!finding.sink) continue;
    const recipient = finding.recipient ?? finding.sink.label;
    const key = `${finding.sink.kind}\u0000${recipient}`;
    const row = rows.get(key) ?? { kind: finding.sink.kind, recipient, count: 0 };
    row.count++;
    rows.set(key, row);
  }
  if (rows.size === 0) return [];
  const order: SinkKind[] = ['export', 'third-party', 'log', 'browser'];
  const sorted = [...rows.values()].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || b.count - a.count || a.recipient.localeCompare(b.recipient));
  return ['', '| Where the data goes | Recipient | Findings |', '| --- | --- | ---: |', ...sorted.map((row) => `| ${KIND_LABELS[row.kind]} | ${escapeCell(row.recipient)} | ${row.count} |`)];
}

function findingRow(finding: Finding, cwd: string): string {
  const where = `${displayFilePath(cwd, finding.location.file)}:${finding.location.line}:${finding.location.column}`;
  return `| ${finding.severity} | \`${where}\` | \`${finding.ruleId}\` | ${escapeCell(firstSentences(finding.message))} | ${escapeCell(pathOf(finding))} |`;
}

/** The first flow as `file:line` steps from the source to the sink (files by base name: the location column has the full path). */
function pathOf(finding: Finding): string {
  const flow = finding.flows[0];
  if (!flow || flow.length < 2) return '';
  const steps = flow.map((step) => `${path.basename(step.location.file)}:${step.location.line}`);
  return steps.filter((step, index) => step !== steps[index - 1]).join(' → ');
}

/** What happened and why it matters; the "Fix:" and "Why health data:" parts are in the how-to-fix section and the other reports. */
function firstSentences(message: string): string {
  const cut = message.search(/ (Fix|Why health data): /);
  return cut > 0 ? message.slice(0, cut) : message;
}

function howToFix(ruleIds: readonly Finding['ruleId'][], documentationBaseUrl: string): string[] {
  if (ruleIds.length === 0) return [];
  return ['', '### How to fix', '', ...ruleIds.map((ruleId) => `- [\`${ruleId}\`](${ruleDocumentationUrl(ruleId, documentationBaseUrl)}): ${RULE_META[ruleId].fix}`)];
}

function skippedFiles(result: AnalysisResult, cwd: string): string[] {
  if (result.skipped.length === 0) return [];
  return ['', '### Files not analysed', '', ...result.skipped.map((skipped) => `- \`${displayFilePath(cwd, skipped.file)}\` (${skipped.reason}): ${escapeCell(skipped.message)}`)];
}

/** Pipes and line breaks would end a table cell early. */
function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
