// pseudonymised-export: pseudonymised (hashed, encrypted, mapped) health data leaves without a recorded legal basis.
import { basisExample, destination, whatFlows, whyHealth, type FlowMessageInput } from './messages';

export const id = 'pseudonymised-export' as const;

export function message(input: FlowMessageInput, pseudonymisation: string): string {
  return (
    `Pseudonymised health data ${whatFlows(input.labels)} leaves through ${destination(input)} without a recorded legal basis (${pseudonymisation}). ` +
    `Hashing, encryption or an ID mapping is pseudonymisation, not anonymisation: the records can still be linked and singled out, so they remain personal health data ` +
    `(GDPR Art. 4(5), Recital 26; CNIL SAN-2024-013 against Cegedim Santé). ` +
    `Fix: ${basisExample(input.functionName)}, or truly anonymise (aggregate with a k-threshold, drop the stable identifier). ${whyHealth(input.labels)}`
  );
}
