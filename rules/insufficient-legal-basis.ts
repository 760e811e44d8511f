// insufficient-legal-basis: a legal basis is recorded for the flow but is not valid for health data or for this flow.
import { destination, whatFlows, whyHealth, type FlowMessageInput } from './messages';

export const id = 'insufficient-legal-basis' as const;

export function message(input: FlowMessageInput): string {
  const problems = (input.problems ?? []).join(' ');
  return `The legal basis recorded for health data ${whatFlows(input.labels)} sent to ${destination(input)} is not sufficient: ${problems} ${whyHealth(input.labels)}`;
}
