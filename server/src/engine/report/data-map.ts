// The health-data map as data: every place health data leaves, grouped by recipient, with its protection or its gap.
// Pure: the HTML report renders it, tests can assert on it.
import { FLOW_RULE_IDS, HEALTH_CATEGORIES } from '../model';
import type { AnalysisResult, DataFlow, Finding, HealthCategory, SinkKind, SourceLocation } from '../model';
import { displayFilePath } from './paths';

/** Worst first: a place with one unprotected path is a gap whatever its other paths do. */
export const PLACE_STATUSES = ['gap', 'accepted', 'covered', 'anonymised'] as const;
export type PlaceStatus = (typeof PLACE_STATUSES)[number];

export type GroupId =
  | 'partner-apis'
  | 'third-parties'
  | 'api-clients'
  | 'files'
  | 'cloud-storage'
  | 'messaging'
  | 'email'
  | 'realtime'
  | 'other-exports'
  | 'logs'
  | 'browser';

/** Titles and explanations for readers who do not read code; the order is the report's. */
export const GROUPS: readonly { id: GroupId; title: string; description: string }[] = [
  { id: 'partner-apis', title: 'Partner and outbound APIs', description: 'Requests the application sends to other organisations or to its own other services.' },
  { id: 'third-parties', title: 'Third-party services', description: 'Software vendors whose SDK or API receives the data: error tracking, analytics, monitoring, AI, e-mail and SMS providers.' },
  { id: 'api-clients', title: 'Clients of the application’s API', description: 'Responses the application’s API returns to the front ends and systems that call it.' },
  { id: 'files', title: 'Files and exports', description: 'Files written by the application (CSV, spreadsheets, PDF, JSON) and file transfers.' },
  { id: 'cloud-storage', title: 'Cloud storage', description: 'The organisation’s own storage at a hosting provider (S3, Google Cloud Storage, Azure Blob).' },
  { id: 'messaging', title: 'Queues and event streams', description: 'Messages put on queues, topics and streams that other systems consume.' },
  { id: 'email', title: 'E-mail and SMS', description: 'Messages sent through the organisation’s own mail server.' },
  { id: 'realtime', title: 'WebSockets and other windows', description: 'Live connections and messages to other browser windows.' },
  { id: 'other-exports', title: 'Other exports', description: 'Other places where data leaves the application.' },
  { id: 'logs', title: 'Logs', description: 'Log lines and logged errors: read by operators and copied to log services. A legal basis never covers health data in logs.' },
  { id: 'browser', title: 'The user’s browser or device', description: 'Browser storage, cookies and URLs: a legal basis never covers health data left there.' },
];

/** Plural, readable names of the contract's categories (the register uses the ids). */
export const CATEGORY_NAMES: Record<HealthCategory, string> = {
  diagnosis: 'diagnoses',
  condition: 'conditions',
  medication: 'medications',
  allergy: 'allergies',
  'lab-result': 'lab results',
  'vital-sign': 'vital signs',
  procedure: 'procedures',
  immunization: 'immunisations',
  encounter: 'encounters and visits',
  'clinical-note': 'clinical notes',
  genetic: 'genetic data',
  'mental-health': 'mental health',
  'sexual-reproductive-health': 'sexual and reproductive health',
  disability: 'disability',
  'health-insurance': 'health insurance',
  'health-identifier': 'health identifiers',
  'patient-record': 'whole patient records',
};

/** The data-flow rules: their findings sit where a place is. */
const FLOW_RULES = FLOW_RULE_IDS;

export interface MapPlace {
  /** Stable anchor for links (`place-3`), in report order. */
  anchor: string;
  location: SourceLocation;
  /** `src/routes/observations.ts:40`, relative to the scanned directory. */
  where: string;
  sinkKind: SinkKind;
  sinkLabel: string;
  recipient: string;
  group: GroupId;
  /** The processing step as the diagram shows it (`runNightlyResearchExport`, `anonymous function in src/routes/x.ts`). */
  processing: { key: string; label: string; file: string };
  /** Each distinct path, outermost function first, as text. */
  paths: string[];
  categories: HealthCategory[];
  sources: { text: string; where: string; file: string }[];
  status: PlaceStatus;
  flows: DataFlow[];
  /** The finding reported at this place, if any (it may be suppressed). */
  finding?: Finding;
}

export interface MapRecipient {
  name: string;
  status: PlaceStatus;
  places: MapPlace[];
}

export interface MapGroup {
  id: GroupId;
  title: string;
  description: string;
  recipients: MapRecipient[];
}

export interface MapRegisterEntry {
  id: string;
  purpose: string;
  where: string;
  covered: number;
  insufficient: number;
  stale?: string;
}

export interface DataMap {
  places: MapPlace[];
  groups: MapGroup[];
  /** Findings that are not a place where data leaves (anonymisers, literals, field declarations), and unmatched ones. */
  otherFindings: Finding[];
  register?: { file: string; entries: MapRegisterEntry[] };
  counts: Record<PlaceStatus, number>;
}

export function worstStatus(statuses: Iterable<PlaceStatus>): PlaceStatus {
  let worst = PLACE_STATUSES.length - 1;
  for (const status of statuses) worst = Math.min(worst, PLACE_STATUSES.indexOf(status));
  return PLACE_STATUSES[worst]!;
}

export function groupOf(flow: Pick<DataFlow, 'sink'>): GroupId {
  const { kind, label } = flow.sink;
  if (kind === 'log') return 'logs';
  if (kind === 'browser') return 'browser';
  if (kind === 'third-party') return 'third-parties';
  if (label.startsWith('HTTP response')) return 'api-clients';
  if (label.startsWith('outbound request')) return 'partner-apis';
  if (/^(file |spreadsheet|PDF)/.test(label)) return 'files';
  if (label.startsWith('cloud storage')) return 'cloud-storage';
  if (/^(message queue|pub\/sub|job queue|event stream)/.test(label)) return 'messaging';
  if (/^(e-mail|SMS)/.test(label)) return 'email';
  if (/^(WebSocket|postMessage)/.test(label)) return 'realtime';
  return 'other-exports';
}

/** Who receives: the SDK id or host, else what the sink is (`HTTP response`, `file write (fs)`). */
export function recipientOf(flow: Pick<DataFlow, 'sink' | 'recipient'>): string {
  if (flow.recipient !== undefined) return flow.recipient;
  if (flow.sink.kind === 'log') return 'application logs';
  if (flow.sink.label.startsWith('HTTP response')) return 'API clients';
  return flow.sink.label;
}

function isNamed(name: string | undefined): name is string {
  return name !== undefined && name !== '(anonymous)' && name !== '(module)';
}

/** The first named function from where the data entered; a scheduler's anonymous callback says less than the job it runs. */
export function processingOf(flow: DataFlow, root: string): MapPlace['processing'] {
  const named = flow.functions.find((fn) => isNamed(fn.name));
  if (named) return { key: `${named.file}#${named.name}`, label: named.name!, file: displayFilePath(root, named.file) };
  const outermost = flow.functions[0] ?? { file: flow.location.file };
  const file = displayFilePath(root, outermost.file);
  return { key: `${outermost.file}#`, label: 'anonymous function', file };
}

function pathText(flow: DataFlow, root: string): string {
  let previousFile: string | undefined;
  return flow.functions
    .map((fn) => {
      const name = isNamed(fn.name) ? fn.name : fn.name === '(module)' ? 'module code' : 'anonymous function';
      const text = fn.file === previousFile ? name : `${name} (${displayFilePath(root, fn.file)})`;
      previousFile = fn.file;
      return text;
    })
    .join(' → ');
}

function sameLocation(a: SourceLocation, b: SourceLocation): boolean {
  return a.file === b.file && a.line === b.line && a.column === b.column;
}

function orderedCategories(categories: Iterable<HealthCategory>): HealthCategory[] {
  const set = new Set(categories);
  return HEALTH_CATEGORIES.filter((category) => set.has(category));
}

/** The anonymisers a flow went through (`aggregateByAgeBand`), from its anonymise steps. */
export function anonymiserNames(flow: DataFlow): string[] {
  return flow.steps.filter((step) => step.kind === 'anonymise').map((step) => /`([^`]+)`/.exec(step.description)?.[1] ?? step.description);
}

/**
 * Anonymisers that linkable-anonymisation reports (and nobody suppressed): what they output is still personal data,
 * so a place they feed is a gap, not an anonymised export. The finding names the function in its message.
 */
export function unsoundAnonymisers(findings: readonly Finding[]): Set<string> {
  const names = new Set<string>();
  for (const finding of findings) {
    if (finding.ruleId !== 'linkable-anonymisation' || finding.suppressed) continue;
    const name = /^`([^`]+)`/.exec(finding.message)?.[1];
    if (name) names.add(name);
  }
  return names;
}

export function buildDataMap(result: AnalysisResult, root: string): DataMap {
  const flows = result.flows ?? [];
  const byPlace = new Map<string, DataFlow[]>();
  for (const flow of flows) {
    const key = `${flow.location.file}:${flow.location.line}:${flow.location.column}:${flow.sink.kind}`;
    const list = byPlace.get(key);
    if (list) list.push(flow);
    else byPlace.set(key, [flow]);
  }
  const flowFindings = result.findings.filter((finding) => FLOW_RULES.has(finding.ruleId));
  const unsound = unsoundAnonymisers(result.findings);
  const matched = new Set<Finding>();
  const places: MapPlace[] = [];
  for (const placeFlows of byPlace.values()) {
    const first = placeFlows[0]!;
    const finding = flowFindings.find((candidate) => sameLocation(candidate.location, first.location) && placeFlows.some((flow) => flow.ruleId === candidate.ruleId));
    if (finding) matched.add(finding);
    const hasGap = placeFlows.some((flow) => flow.status === 'uncovered' || flow.status === 'insufficient');
    const status: PlaceStatus = hasGap
      ? finding?.suppressed
        ? 'accepted'
        : 'gap'
      : placeFlows.some((flow) => anonymiserNames(flow).some((name) => unsound.has(name)))
        ? 'gap'
        : placeFlows.every((flow) => flow.status === 'anonymised')
          ? 'anonymised'
          : 'covered';
    const sources = new Map<string, MapPlace['sources'][number]>();
    for (const flow of placeFlows) {
      for (const source of flow.sources) {
        const where = `${displayFilePath(root, source.location.file)}:${source.location.line}`;
        if (!sources.has(`${source.text}\0${where}`)) sources.set(`${source.text}\0${where}`, { text: source.text, where, file: displayFilePath(root, source.location.file) });
      }
    }
    places.push({
      anchor: '',
      location: first.location,
      where: `${displayFilePath(root, first.location.file)}:${first.location.line}`,
      sinkKind: first.sink.kind,
      sinkLabel: first.sink.label,
      recipient: recipientOf(first),
      group: groupOf(first),
      processing: processingOf(first, root),
      paths: [...new Set(placeFlows.map((flow) => pathText(flow, root)))],
      categories: orderedCategories(placeFlows.flatMap((flow) => flow.categories)),
      sources: [...sources.values()],
      status,
      flows: placeFlows,
      ...(finding && { finding }),
    });
  }

  const groups: MapGroup[] = [];
  for (const group of GROUPS) {
    const inGroup = places.filter((place) => place.group === group.id);
    if (inGroup.length === 0) continue;
    const names = [...new Set(inGroup.map((place) => place.recipient))].sort((a, b) => a.localeCompare(b));
    groups.push({
      ...group,
      recipients: names.map((name) => {
        const recipientPlaces = inGroup
          .filter((place) => place.recipient === name)
          .sort((a, b) => PLACE_STATUSES.indexOf(a.status) - PLACE_STATUSES.indexOf(b.status) || a.where.localeCompare(b.where, 'en', { numeric: true }));
        return { name, status: worstStatus(recipientPlaces.map((place) => place.status)), places: recipientPlaces };
      }),
    });
  }
  // Anchors follow the reading order of the report.
  const ordered = groups.flatMap((group) => group.recipients.flatMap((recipient) => recipient.places));
  ordered.forEach((place, index) => (place.anchor = `place-${index + 1}`));

  const counts: Record<PlaceStatus, number> = { gap: 0, accepted: 0, covered: 0, anonymised: 0 };
  for (const place of ordered) counts[place.status]++;

  return {
    places: ordered,
    groups,
    otherFindings: result.findings.filter((finding) => !matched.has(finding)),
    ...(result.register && { register: registerSummary(result, root) }),
    counts,
  };
}

function registerSummary(result: AnalysisResult, root: string): DataMap['register'] {
  const register = result.register!;
  const flows = result.flows ?? [];
  const stale = new Map((result.staleRegisterEntries ?? []).map((entry) => [entry.id, entry.message]));
  const countFor = (id: string, status: DataFlow['status']) =>
    flows.filter((flow) => flow.status === status && (flow.basis ?? []).some((basis) => basis.origin === 'register' && basis.processingId === id)).length;
  return {
    file: displayFilePath(root, register.file),
    entries: register.entries.map((entry) => ({
      id: entry.id,
      purpose: entry.purpose,
      where: `${displayFilePath(root, register.file)}:${entry.location.line}`,
      covered: countFor(entry.id, 'covered'),
      insufficient: countFor(entry.id, 'insufficient'),
      ...(stale.has(entry.id) && { stale: stale.get(entry.id)! }),
    })),
  };
}

export function categoryNames(categories: readonly HealthCategory[]): string {
  return categories.map((category) => CATEGORY_NAMES[category]).join(', ');
}
