// third-party-disclosure: health data reaches a third-party SDK or API without a basis that names that recipient.
import { basisExample, destination, whatFlows, whyHealth, type FlowMessageInput } from './messages';

export const id = 'third-party-disclosure' as const;

export function message(input: FlowMessageInput): string {
  const notes = input.notes && input.notes.length > 0 ? ` Note: ${input.notes.join(' ')}` : '';
  return (
    `Health data ${whatFlows(input.labels)} is disclosed to a third party: ${destination(input)}, without a recorded legal basis naming that recipient. ` +
    `Disclosing health data to another company needs an Art. 9(2) condition and an Art. 6(1) basis (GDPR Art. 9(1)), and a processor contract (Art. 28). ` +
    `Fix: do not send health data to this service (send ids or counts), or ${basisExample(input.functionName, input.recipient)}.${notes} ${whyHealth(input.labels)}`
  );
}
