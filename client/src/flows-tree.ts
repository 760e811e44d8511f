// The "Health data flows" tree as plain data: findings grouped by the kind of recipient, then the recipient, then the
// health-data source field, then the finding. Pure (no `vscode`), so the grouping and ordering are unit-tested; the
// view module only turns these nodes into tree items.
import type { DataFlow, DataFlowSource, RecipientGroup } from '../../server/src/lsp/protocol';

/** A place in a file, as the server sends it (LSP positions, 0-based). */
export interface FlowLocation {
  uri: string;
  range: DataFlow['range'];
}

interface NodeBase {
  /** Stable across refreshes while the finding stays put: the editor keeps expansion and selection by it. */
  id: string;
  label: string;
  description: string;
  /** Markdown. */
  tooltip: string;
}

export interface FlowGroupNode extends NodeBase {
  kind: 'group';
  group: RecipientGroup;
  /** Distinct findings under the group (a finding reached by two fields is counted once). */
  findingCount: number;
  children: FlowRecipientNode[];
}

export interface FlowRecipientNode extends NodeBase {
  kind: 'recipient';
  group: RecipientGroup;
  recipient: string;
  findingCount: number;
  children: FlowSourceNode[];
}

export interface FlowSourceNode extends NodeBase {
  kind: 'source';
  field: string;
  categories: string[];
  /** Where the field is read; absent for findings whose sources the server did not record. */
  location?: FlowLocation;
  children: FlowFindingNode[];
}

export interface FlowFindingNode extends NodeBase {
  kind: 'finding';
  ruleId: string;
  severity: DataFlow['severity'];
  /** Where the data leaves: the finding's primary location. */
  location: FlowLocation;
}

export type FlowTreeNode = FlowGroupNode | FlowRecipientNode | FlowSourceNode | FlowFindingNode;

export interface FlowTreeOptions {
  /**
   * How a file is named in tooltips (the view passes the workspace-relative path); default: the file name. Labels and
   * descriptions always use the file name: the side bar is narrow, and the tooltip has the whole path.
   */
  displayPath?: (uri: string) => string;
}

/** Display order of the groups: what leaves the company first, then logs and the browser. */
export const GROUP_ORDER: readonly RecipientGroup[] = ['partner-api', 'third-party', 'log', 'browser-storage'];

export const GROUP_LABELS: Record<RecipientGroup, string> = {
  'partner-api': 'Partner APIs and exports',
  'third-party': 'Third parties',
  log: 'Logs',
  'browser-storage': 'Browser storage',
};

const GROUP_EXPLANATIONS: Record<RecipientGroup, string> = {
  'partner-api': 'Outbound requests to partners and other services, HTTP responses, files, queues, cloud storage, e-mail.',
  'third-party': 'SDKs and APIs of other companies: analytics, error tracking, monitoring, LLM APIs, messaging providers.',
  log: 'Loggers and the console: logs are copied, shipped and kept far longer than the data needs.',
  'browser-storage': 'localStorage, sessionStorage, IndexedDB, cookies and URLs: readable by any script on the page.',
};

/** Label of the source node for findings the server sent without sources (kept visible rather than dropped). */
export const UNKNOWN_SOURCE = '(source not recorded)';

/** Builds the tree: groups in GROUP_ORDER (empty ones left out), everything below sorted so refreshes do not reshuffle it. */
export function buildFlowTree(flows: readonly DataFlow[], options: FlowTreeOptions = {}): FlowGroupNode[] {
  const displayPath = options.displayPath ?? fileNameOf;
  const unique = uniqueFlows(flows);
  return GROUP_ORDER.flatMap((group): FlowGroupNode[] => {
    const inGroup = unique.filter((flow) => flow.group === group);
    if (inGroup.length === 0) return [];
    const recipients = groupBy(inGroup, (flow) => flow.recipient)
      .map(([recipient, recipientFlows]) => recipientNode(group, recipient, recipientFlows, displayPath))
      .sort((a, b) => compareText(a.recipient, b.recipient));
    return [
      {
        kind: 'group',
        id: `group:${group}`,
        group,
        label: GROUP_LABELS[group],
        description: `${count(inGroup.length, 'finding')}, ${count(recipients.length, 'recipient')}`,
        tooltip: `**${GROUP_LABELS[group]}**\n\n${GROUP_EXPLANATIONS[group]}\n\n${count(inGroup.length, 'finding')} to ${count(recipients.length, 'recipient')}.`,
        findingCount: inGroup.length,
        children: recipients,
      },
    ];
  });
}

/** Every node of the tree, depth first (for lookups by id and for tests). */
export function allNodes(roots: readonly FlowTreeNode[]): FlowTreeNode[] {
  return roots.flatMap((node) => [node, ...('children' in node ? allNodes(node.children) : [])]);
}

/** Distinct findings in a tree (the same finding appears under each of its source fields). */
export function countFindings(roots: readonly FlowGroupNode[]): number {
  return roots.reduce((total, group) => total + group.findingCount, 0);
}

function recipientNode(group: RecipientGroup, recipient: string, flows: DataFlow[], displayPath: (uri: string) => string): FlowRecipientNode {
  const id = `recipient:${group}/${recipient}`;
  const sourceEntries = flows.flatMap((flow) => (flow.sources.length > 0 ? flow.sources : [undefined]).map((source) => ({ source, flow })));
  const sources = groupBy(sourceEntries, ({ source }) => (source ? `${source.field}\u0000${locationKey(source)}` : UNKNOWN_SOURCE))
    .map(([, entries]) => sourceNode(id, entries[0].source, entries.map((entry) => entry.flow), displayPath))
    .sort(compareSourceNodes);
  const sinkLabels = [...new Set(flows.map((flow) => flow.sinkLabel))].sort(compareText);
  return {
    kind: 'recipient',
    id,
    group,
    recipient,
    label: recipient,
    description: `${count(flows.length, 'finding')}, ${count(sources.length, 'field')}`,
    tooltip: [
      `**${escapeMarkdown(recipient)}** (${GROUP_LABELS[group]})`,
      `Reached through ${sinkLabels.map(code).join(', ')}.`,
      `${count(flows.length, 'finding')} from ${count(sources.length, 'health-data field')}.`,
    ].join('\n\n'),
    findingCount: flows.length,
    children: sources,
  };
}

function sourceNode(parentId: string, source: DataFlowSource | undefined, flows: DataFlow[], displayPath: (uri: string) => string): FlowSourceNode {
  const findings = flows.map((flow) => findingNode(`${parentId}/${source ? `${locationKey(source)}/${source.field}` : UNKNOWN_SOURCE}`, flow, displayPath)).sort(compareFindingNodes);
  if (!source) {
    return {
      kind: 'source',
      id: `source:${parentId}/${UNKNOWN_SOURCE}`,
      field: UNKNOWN_SOURCE,
      categories: [],
      label: UNKNOWN_SOURCE,
      description: count(findings.length, 'finding'),
      tooltip: 'The server did not say which health-data field reaches these sinks; open a finding to see its path.',
      children: findings,
    };
  }
  const categories = [...source.categories].sort(compareText);
  const line = source.range.start.line + 1;
  return {
    kind: 'source',
    id: `source:${parentId}/${locationKey(source)}/${source.field}`,
    field: source.field,
    categories,
    location: { uri: source.uri, range: source.range },
    label: source.field,
    description: [categories.join(', '), `${fileNameOf(source.uri)}:${line}`].filter(Boolean).join(' · '),
    tooltip: [
      code(source.field),
      `**Why this is health data**: ${escapeMarkdown(source.why)}`,
      categories.length > 0 ? `**Categories**: ${categories.map(code).join(', ')}` : '',
      `Read at ${escapeMarkdown(`${displayPath(source.uri)}:${line}`)}; reaches ${count(findings.length, 'sink')}.`,
    ]
      .filter(Boolean)
      .join('\n\n'),
    children: findings,
  };
}

function findingNode(parentId: string, flow: DataFlow, displayPath: (uri: string) => string): FlowFindingNode {
  const line = flow.range.start.line + 1;
  return {
    kind: 'finding',
    id: `finding:${parentId}/${flowKey(flow)}`,
    ruleId: flow.ruleId,
    severity: flow.severity,
    location: { uri: flow.uri, range: flow.range },
    label: `${fileNameOf(flow.uri)}:${line}`,
    description: `${flow.ruleId} · ${flow.sinkLabel}`,
    tooltip: [`**${flow.ruleId}** (${flow.severity}) at ${escapeMarkdown(`${displayPath(flow.uri)}:${line}`)}`, escapeMarkdown(flow.message)].join('\n\n'),
  };
}

/** One entry per finding: the server de-duplicates overlapping projects, but a view must not count twice either. */
function uniqueFlows(flows: readonly DataFlow[]): DataFlow[] {
  const seen = new Set<string>();
  return flows.filter((flow) => {
    const key = flowKey(flow);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function flowKey(flow: DataFlow): string {
  return `${locationKey(flow)}/${flow.ruleId}`;
}

function locationKey(location: FlowLocation): string {
  return `${location.uri}#${location.range.start.line}:${location.range.start.character}`;
}

/** Groups in first-seen order (callers sort the result). */
function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return [...groups];
}

function compareSourceNodes(a: FlowSourceNode, b: FlowSourceNode): number {
  // The placeholder for missing sources goes last: real fields are what people look for.
  if ((a.field === UNKNOWN_SOURCE) !== (b.field === UNKNOWN_SOURCE)) return a.field === UNKNOWN_SOURCE ? 1 : -1;
  return compareText(a.field, b.field) || compareLocations(a.location, b.location);
}

function compareFindingNodes(a: FlowFindingNode, b: FlowFindingNode): number {
  return compareLocations(a.location, b.location) || compareText(a.ruleId, b.ruleId);
}

function compareLocations(a: FlowLocation | undefined, b: FlowLocation | undefined): number {
  if (!a || !b) return a ? -1 : b ? 1 : 0;
  return (
    compareText(a.uri, b.uri) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character
  );
}

/** Case-insensitive, then exact, so the order does not depend on the locale of the machine. */
function compareText(a: string, b: string): number {
  const lower = a.toLowerCase().localeCompare(b.toLowerCase(), 'en');
  return lower !== 0 ? lower : a < b ? -1 : a > b ? 1 : 0;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function fileNameOf(uri: string): string {
  const path = uri.replace(/[?#].*$/, '');
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
}

/**
 * Backslash-escapes what Markdown would interpret, outside code spans: the engine's messages quote code with
 * backticks on purpose (`conditions[0]?.code`), and inside a span a backslash would be shown literally.
 */
export function escapeMarkdown(text: string): string {
  return text
    .split(/(`+[^`]*?`+)/)
    .map((part, index) => (index % 2 === 1 ? part : part.replace(/[\\*_[\]<>#|]/g, (character) => `\\${character}`)))
    .join('');
}

/** A code span that survives backticks inside the text (the fence is one longer than the longest run). */
function code(text: string): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}
