// client-side-storage: health data is stored in the browser (storage, IndexedDB, cookies) or put in a URL.
import { destination, whatFlows, whyHealth, type FlowMessageInput } from './messages';

export const id = 'client-side-storage' as const;

export function message(input: FlowMessageInput): string {
  return (
    `Health data ${whatFlows(input.labels)} is stored in the browser or put in a URL (${destination(input)}). ` +
    `Browser storage and URLs are readable by any script on the page, kept on shared devices, and URLs end up in history, proxies and server logs (GDPR Art. 5(1)(f), 32); no legal basis covers it. ` +
    `Fix: keep the data in memory or on the server and pass an opaque id instead. ${whyHealth(input.labels)}`
  );
}
