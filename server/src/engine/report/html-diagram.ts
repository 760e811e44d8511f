// The data map's diagram: sources → processing steps → recipients, laid out in three columns as inline SVG,
// with the same arrows as rows of a table (its text alternative).
import { GROUPS, PLACE_STATUSES, worstStatus, type DataMap, type MapPlace, type PlaceStatus } from './data-map';
import { htmlText } from './html-text';

/** What each status looks like: the colour is never the only cue (dashes differ, and the text says it). */
export const STATUS_STYLE: Record<PlaceStatus, { word: string; colour: string; dash?: string; width: number }> = {
  gap: { word: 'gap', colour: '#b42318', width: 3 },
  accepted: { word: 'accepted with a justification', colour: '#8a5a00', dash: '8 4', width: 2 },
  covered: { word: 'covered', colour: '#1a7f37', width: 2 },
  anonymised: { word: 'anonymised', colour: '#0550ae', dash: '2 4', width: 2 },
};

export interface DiagramNode {
  key: string;
  label: string;
  detail: string;
  status?: PlaceStatus;
}

export interface DiagramEdge {
  from: string;
  to: string;
  status: PlaceStatus;
}

/** One row of the text alternative: a source, the step that processes it, the recipient, and how it is protected. */
export interface DiagramRow {
  source: string;
  processing: string;
  recipient: string;
  status: PlaceStatus;
  anchor: string;
}

export interface Diagram {
  sources: DiagramNode[];
  steps: DiagramNode[];
  recipients: DiagramNode[];
  edges: DiagramEdge[];
  rows: DiagramRow[];
}

const COLUMN_WIDTH = 260;
const COLUMN_GAP = 110;
const NODE_HEIGHT = 50;
const NODE_GAP = 14;
const TOP = 52;
const MARGIN = 12;
const LEGEND_HEIGHT = 64;

export function buildDiagram(map: DataMap): Diagram {
  const recipientKey = (place: MapPlace) => `${place.group}\0${place.recipient}`;
  const sourceKey = (file: string) => `source\0${file}`;
  const groupTitle = new Map(GROUPS.map((group) => [group.id, group.title]));

  // Recipients in report order; steps by the first recipient they feed; sources by the first step they feed.
  const recipients: DiagramNode[] = [];
  for (const group of map.groups) {
    for (const recipient of group.recipients) {
      recipients.push({ key: `${group.id}\0${recipient.name}`, label: recipient.name, detail: `${groupTitle.get(group.id)} · ${STATUS_STYLE[recipient.status].word}`, status: recipient.status });
    }
  }
  const recipientIndex = new Map(recipients.map((node, index) => [node.key, index]));

  const stepEdges = new Map<string, PlaceStatus[]>();
  const sourceEdges = new Map<string, PlaceStatus[]>();
  const stepInfo = new Map<string, { label: string; file: string; first: number }>();
  const sourceInfo = new Map<string, { file: string; categories: Set<string>; first: number }>();
  const rows = new Map<string, DiagramRow>();
  for (const place of map.places) {
    const step = place.processing;
    const toRecipient = recipientIndex.get(recipientKey(place)) ?? 0;
    const info = stepInfo.get(step.key);
    if (!info || toRecipient < info.first) stepInfo.set(step.key, { label: step.label, file: step.file, first: toRecipient });
    push(stepEdges, `${step.key}\u0001${recipientKey(place)}`, place.status);
    for (const source of place.sources) {
      const key = sourceKey(source.file);
      push(sourceEdges, `${key}\u0001${step.key}`, place.status);
      const known = sourceInfo.get(key) ?? { file: source.file, categories: new Set<string>(), first: Number.MAX_SAFE_INTEGER };
      for (const flow of place.flows) for (const flowSource of flow.sources) if (flowSource.text === source.text) for (const category of flowSource.categories) known.categories.add(category);
      sourceInfo.set(key, known);
      const rowKey = `${source.file}\0${step.key}\0${recipientKey(place)}`;
      const row = rows.get(rowKey);
      if (!row || PLACE_STATUSES.indexOf(place.status) < PLACE_STATUSES.indexOf(row.status)) {
        rows.set(rowKey, { source: source.file, processing: stepText(step), recipient: place.recipient, status: place.status, anchor: place.anchor });
      }
    }
  }
  const steps = [...stepInfo.entries()]
    .sort(([aKey, a], [bKey, b]) => a.first - b.first || a.label.localeCompare(b.label) || aKey.localeCompare(bKey))
    .map(([key, info]): DiagramNode => ({ key, label: info.label, detail: info.file }));
  const stepIndex = new Map(steps.map((node, index) => [node.key, index]));
  for (const edge of sourceEdges.keys()) {
    const [source, step] = edge.split('\u0001') as [string, string];
    const info = sourceInfo.get(source)!;
    info.first = Math.min(info.first, stepIndex.get(step) ?? 0);
  }
  const sources = [...sourceInfo.entries()]
    .sort(([, a], [, b]) => a.first - b.first || a.file.localeCompare(b.file))
    .map(([key, info]): DiagramNode => ({ key, label: info.file, detail: `${info.categories.size} ${info.categories.size === 1 ? 'category' : 'categories'} of health data` }));

  const edges: DiagramEdge[] = [...sourceEdges, ...stepEdges].map(([key, statuses]) => {
    const [from, to] = key.split('\u0001') as [string, string];
    return { from, to, status: worstStatus(statuses) };
  });
  return { sources, steps, recipients, edges, rows: [...rows.values()] };
}

function push(map: Map<string, PlaceStatus[]>, key: string, status: PlaceStatus): void {
  const list = map.get(key);
  if (list) list.push(status);
  else map.set(key, [status]);
}

function stepText(step: MapPlace['processing']): string {
  return `${step.label} (${step.file})`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Paths lose their beginning, not the file name: `…/exports/insurer-statement.ts`. */
function truncateStart(text: string, max: number): string {
  return text.length <= max ? text : `…${text.slice(text.length - max + 1)}`;
}

/** Sizes fit a 260-unit box: about 8 units per bold 14-unit character, 6.6 per 12-unit one. */
function fitLabel(node: DiagramNode, column: number): string {
  return column === 0 ? truncateStart(node.label, 28) : truncate(node.label, 28);
}

function fitDetail(node: DiagramNode, column: number): string {
  return column === 1 ? truncateStart(node.detail, 36) : truncate(node.detail, 36);
}

/** The SVG, with its title and a description that says where the equivalent table is. */
export function renderDiagramSvg(diagram: Diagram, summary: string): string {
  const columns = [diagram.sources, diagram.steps, diagram.recipients];
  const rowsNeeded = Math.max(1, ...columns.map((column) => column.length));
  const width = MARGIN * 2 + COLUMN_WIDTH * 3 + COLUMN_GAP * 2;
  const height = TOP + rowsNeeded * (NODE_HEIGHT + NODE_GAP) + LEGEND_HEIGHT;
  const x = (column: number) => MARGIN + column * (COLUMN_WIDTH + COLUMN_GAP);
  const y = (row: number) => TOP + row * (NODE_HEIGHT + NODE_GAP);
  const position = new Map<string, { column: number; row: number }>();
  columns.forEach((nodes, column) => nodes.forEach((node, row) => position.set(node.key, { column, row })));

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="diagram-title diagram-desc" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif">`,
    `<title id="diagram-title">Diagram of health-data flows: sources, processing steps and recipients</title>`,
    `<desc id="diagram-desc">${htmlText(summary)}</desc>`,
  );
  ['Sources (where the data is read)', 'Processing steps', 'Recipients'].forEach((heading, column) => {
    parts.push(`<text x="${x(column)}" y="${TOP - 20}" font-size="15" font-weight="700" fill="#1f2328">${htmlText(heading)}</text>`);
  });
  // Edges first, so the boxes are drawn over their ends.
  for (const edge of diagram.edges) {
    const from = position.get(edge.from);
    const to = position.get(edge.to);
    if (!from || !to) continue;
    const x1 = x(from.column) + COLUMN_WIDTH;
    const y1 = y(from.row) + NODE_HEIGHT / 2;
    const x2 = x(to.column);
    const y2 = y(to.row) + NODE_HEIGHT / 2;
    const style = STATUS_STYLE[edge.status];
    const bend = COLUMN_GAP / 2;
    parts.push(
      `<path d="M${x1} ${y1} C${x1 + bend} ${y1} ${x2 - bend} ${y2} ${x2} ${y2}" fill="none" stroke="${style.colour}" stroke-width="${style.width}"${style.dash ? ` stroke-dasharray="${style.dash}"` : ''}/>`,
    );
  }
  columns.forEach((nodes, column) =>
    nodes.forEach((node, row) => {
      const style = node.status ? STATUS_STYLE[node.status] : undefined;
      parts.push(
        `<g><title>${htmlText(`${node.label}: ${node.detail}`)}</title>` +
          `<rect x="${x(column)}" y="${y(row)}" width="${COLUMN_WIDTH}" height="${NODE_HEIGHT}" rx="6" fill="#ffffff" stroke="${style?.colour ?? '#59636e'}" stroke-width="${style ? 2.5 : 1.5}"${style?.dash ? ` stroke-dasharray="${style.dash}"` : ''}/>` +
          `<text x="${x(column) + 10}" y="${y(row) + 21}" font-size="14" font-weight="600" fill="#1f2328">${htmlText(fitLabel(node, column))}</text>` +
          `<text x="${x(column) + 10}" y="${y(row) + 39}" font-size="12" fill="#424a53">${htmlText(fitDetail(node, column))}</text></g>`,
      );
    }),
  );
  const legendY = TOP + rowsNeeded * (NODE_HEIGHT + NODE_GAP) + 16;
  PLACE_STATUSES.forEach((status, index) => {
    const style = STATUS_STYLE[status];
    const left = MARGIN + index * 270;
    parts.push(
      `<path d="M${left} ${legendY + 12} H${left + 40}" stroke="${style.colour}" stroke-width="${style.width}"${style.dash ? ` stroke-dasharray="${style.dash}"` : ''}/>` +
        `<text x="${left + 48}" y="${legendY + 17}" font-size="13" fill="#1f2328">${htmlText(style.word)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}
