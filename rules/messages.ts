// Shared wording of the data-flow rules' messages: what flows where, why it matters, how to fix it.
import type { HealthCategory, HealthLabel } from '../server/src/engine/model';

export interface FlowMessageInput {
  labels: HealthLabel[];
  sinkLabel: string;
  recipient?: string;
  /** The function on the chain where a basis would go (`exportStudy`). */
  functionName?: string;
  /** Problems with a recorded basis (insufficient-legal-basis). */
  problems?: string[];
  /** Notes about bases that were found but do not reach this sink. */
  notes?: string[];
}

export function categoriesOf(labels: HealthLabel[]): HealthCategory[] {
  return [...new Set(labels.flatMap((l) => l.categories))];
}

/** "diagnosis (`visit.diagnosis`), medication (`rx.drug`)": the first few sources. */
export function whatFlows(labels: HealthLabel[]): string {
  const parts: string[] = [];
  const seen = new Set<string>();
  for (const l of labels) {
    const key = l.sourceText;
    if (seen.has(key)) continue;
    seen.add(key);
    parts.push(`${l.categories.join('/')} (\`${l.sourceText}\`)`);
    if (parts.length === 3) break;
  }
  const more = seen.size < new Set(labels.map((l) => l.sourceText)).size ? ' and more' : '';
  return parts.join(', ') + more;
}

export function whyHealth(labels: HealthLabel[]): string {
  const first = labels[0];
  return first ? `Why health data: ${first.reason.text}.` : '';
}

export function destination(input: FlowMessageInput): string {
  return input.recipient ? `${input.sinkLabel} → ${input.recipient}` : input.sinkLabel;
}

export function basisExample(functionName: string | undefined, recipient?: string): string {
  const where = functionName && functionName !== '(anonymous)' && functionName !== '(module)' ? ` on \`${functionName}\`` : ' on the exporting function';
  const recipientTag = recipient ? ` @recipient ${recipient}` : '';
  return `record the legal basis${where} (e.g. \`/** @legalBasis gdpr-6-1-e gdpr-9-2-h${recipientTag} */\` or \`@processing <register-id>\`)`;
}
