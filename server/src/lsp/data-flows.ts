// The findings as data flows for the "Health data flows" view: grouped by the kind of recipient, then by source field.
import { pathToFileURL } from 'node:url';
import type { Finding, SinkKind } from '../engine/model';
import { rangeOf } from './diagnostics';
import type { DataFlow, RecipientGroup } from './protocol';

const GROUP_OF_SINK: Record<SinkKind, RecipientGroup> = {
  export: 'partner-api',
  'third-party': 'third-party',
  log: 'log',
  browser: 'browser-storage',
};

/** Data flows of findings that have a sink (rules about anonymisers and hard-coded identifiers have none). */
export function dataFlowsOf(findings: readonly Finding[], uriOf: (file: string) => string = (file) => pathToFileURL(file).href): DataFlow[] {
  return findings.flatMap((finding): DataFlow[] => {
    if (!finding.sink || finding.severity === undefined) return [];
    return [
      {
        ruleId: finding.ruleId,
        severity: finding.severity,
        message: finding.message,
        uri: uriOf(finding.location.file),
        range: rangeOf(finding.location),
        group: GROUP_OF_SINK[finding.sink.kind],
        recipient: finding.recipient ?? recipientFromLabel(finding.sink.label),
        sinkLabel: finding.sink.label,
        sources: (finding.sources ?? []).map((source) => ({
          field: source.text,
          uri: uriOf(source.location.file),
          range: rangeOf(source.location),
          why: source.reason.text,
          categories: [...source.categories],
        })),
      },
    ];
  });
}

/** "log (console.log)" → "console.log": the part in brackets names the API; else the whole label. */
function recipientFromLabel(label: string): string {
  return /\(([^()]+)\)\s*$/.exec(label)?.[1] ?? label;
}
