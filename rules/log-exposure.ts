// log-exposure: health data is written to logs (console, logger libraries, logged or uncaught errors).
import { destination, whatFlows, whyHealth, type FlowMessageInput } from './messages';

export const id = 'log-exposure' as const;

export function message(input: FlowMessageInput): string {
  return (
    `Health data ${whatFlows(input.labels)} is written to logs (${destination(input)}). ` +
    `Logs are copied, shipped and kept far longer than the data needs; this breaks data minimisation and security (GDPR Art. 5(1)(c), 5(1)(f), 32), and no legal basis covers it. ` +
    `Fix: log an identifier or an event name instead of the health data. ${whyHealth(input.labels)}`
  );
}
