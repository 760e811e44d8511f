// unprotected-export: health data reaches an export sink with neither anonymisation nor a recorded legal basis.
import { basisExample, destination, whatFlows, whyHealth, type FlowMessageInput } from './messages';

export const id = 'unprotected-export' as const;

export function message(input: FlowMessageInput): string {
  return (
    `Health data ${whatFlows(input.labels)} leaves through ${destination(input)} with neither anonymisation nor a recorded legal basis. ` +
    `Health data is a special category (GDPR Art. 9(1)): it may leave only with an Art. 9(2) condition and an Art. 6(1) basis. ` +
    `Fix: anonymise it first with an \`@anonymises\` function (aggregate, generalise), or ${basisExample(input.functionName)}. ${whyHealth(input.labels)}`
  );
}
