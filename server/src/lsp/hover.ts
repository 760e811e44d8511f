// Explains a finding on hover: the rule, why the data counts as health data, its categories and its path.
import * as path from 'node:path';
import type { Finding, RelatedLocation } from '../engine/model';
import { RULE_META } from '../../../rules/meta';

/** Markdown for the findings under the cursor; `root` makes file names in the path short. */
export function hoverMarkdown(findings: readonly Finding[], documentationUrl: (finding: Finding) => string, root: string): string {
  return findings.map((finding) => explainFinding(finding, documentationUrl(finding), root)).join('\n\n---\n\n');
}

function explainFinding(finding: Finding, documentationUrl: string, root: string): string {
  const lines = [`**Health Data Lint: \`${finding.ruleId}\`**: ${RULE_META[finding.ruleId].shortDescription}`, ''];
  const reasons = whyHealthData(finding);
  if (reasons.length > 0) {
    lines.push('**Why this is health data**', '', ...reasons.map((reason) => `- ${reason}`), '');
  }
  if (finding.categories.length > 0) lines.push(`**Categories**: ${finding.categories.map((c) => `\`${c}\``).join(', ')}`, '');
  if (finding.recipient) lines.push(`**Recipient**: \`${finding.recipient}\``, '');
  finding.flows.forEach((flow, index) => {
    lines.push(finding.flows.length > 1 ? `**Path ${index + 1}**` : '**Path from the source to the sink**', '');
    flow.forEach((step, stepIndex) => lines.push(`${stepIndex + 1}. ${step.message} (${place(step, root)})`));
    lines.push('');
  });
  lines.push(finding.message, '', `[Rule documentation](${documentationUrl})`);
  return lines.join('\n');
}

/**
 * The classification reasons, taken from the source steps of the paths ("source: x (categories): reason"):
 * the message of a flow's first step is written by the engine from the label's reason.
 */
function whyHealthData(finding: Finding): string[] {
  const reasons = new Set<string>();
  for (const flow of finding.flows) {
    const source = flow[0];
    if (source) reasons.add(source.message.replace(/^source:\s*/, ''));
  }
  if (reasons.size === 0) {
    // Non-flow rules (hardcoded identifiers, anonymisers) say why in their message after "Why health data:".
    const why = /Why health data:\s*(.+)$/s.exec(finding.message)?.[1];
    if (why) reasons.add(why.trim());
  }
  return [...reasons];
}

function place(step: RelatedLocation, root: string): string {
  const relative = path.relative(root, step.location.file).split(path.sep).join('/');
  return `${relative}:${step.location.line}`;
}

/**
 * Markdown for a health-data source under the cursor (`patient.diagnosis` where it is read): why it is health
 * data, and every place its data leaves that is a finding.
 */
export function sourceHoverMarkdown(file: string, findings: readonly Finding[], root: string): string {
  const sources = findings.flatMap((finding) => (finding.sources ?? []).filter((source) => path.normalize(source.location.file) === path.normalize(file)).map((source) => ({ source, finding })));
  const first = sources[0]?.source;
  if (!first) return '';
  const lines = [`**Health Data Lint: health-data source** \`${first.text}\``, '', `**Why this is health data**: ${first.reason.text}`, ''];
  const categories = [...new Set(sources.flatMap(({ source }) => source.categories))];
  if (categories.length > 0) lines.push(`**Categories**: ${categories.map((c) => `\`${c}\``).join(', ')}`, '');
  lines.push('**Where it leaves without anonymisation or a recorded legal basis**', '');
  const seen = new Set<Finding>();
  for (const { finding } of sources) {
    if (seen.has(finding)) continue;
    seen.add(finding);
    const sink = finding.sink ? `${finding.sink.label}${finding.recipient ? ` → \`${finding.recipient}\`` : ''}` : 'a sink';
    lines.push(`- ${sink} at ${place({ location: finding.location, message: '' }, root)} (\`${finding.ruleId}\`)`);
  }
  return lines.join('\n');
}
