// The draft record of processing (`--format register`): a health-data-register.yaml skeleton built from what the code
// does, one entry per recipient and purpose, for the data-protection officer to complete. It loads with the register
// loader; the only problems left are the empty `legalBasis` lists the officer must fill (kept empty on purpose, so
// the flows stay reported until a real basis is recorded).
import { basename, dirname, extname } from 'node:path';
import { parseBasisId } from '../legal/ids';
import { HEALTH_CATEGORIES } from '../model';
import type { AnalysisResult, DataFlow, HealthCategory } from '../model';
import { GROUPS, groupOf, processingOf, recipientOf, type GroupId } from './data-map';
import { maskHealthIdentifiers } from './mask';
import { displayFilePath, relativePosixPath } from './paths';
import { TOOL_NAME, TOOL_VERSION } from './tool';

export interface RegisterDraftOptions {
  /** Where the register is (or would be): appliesTo paths are relative to its directory. */
  registerFile: string;
  /** The scanned directory, for the paths shown in comments and the header. */
  root: string;
  /** Used when no register exists yet (from the configuration); default [EU]. */
  jurisdictions?: string[];
}

interface DraftEntry {
  id: string;
  recipient?: string;
  group: GroupId;
  groupTitle: string;
  flows: DataFlow[];
  appliesTo: string[];
  categories: HealthCategory[];
  /** Ids recorded in the code with @legalBasis when every flow of the entry is covered by them. */
  recordedInCode?: string[];
}

/** Not covered by the register, and a register entry could cover it (logs and the browser never are). */
function needsEntry(flow: DataFlow): boolean {
  if (flow.sink.kind !== 'export' && flow.sink.kind !== 'third-party') return false;
  if (flow.status === 'anonymised') return false;
  return !(flow.basis ?? []).some((basis) => basis.origin === 'register' && basis.ids.length > 0);
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/\([^)]*\)/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'processing'
  );
}

function quote(text: string): string {
  return JSON.stringify(text);
}

function comment(text: string): string {
  return maskHealthIdentifiers(text).replace(/\r?\n/g, ' ');
}

function appliesToOf(flow: DataFlow, registerDirectory: string): string {
  const processing = processingOf(flow, registerDirectory);
  const [file, name] = processing.key.split('#') as [string, string];
  const relative = relativePosixPath(registerDirectory, file) ?? file;
  return name ? `${relative}#${name}` : relative;
}

function buildEntries(flows: readonly DataFlow[], registerDirectory: string, takenIds: ReadonlySet<string>): DraftEntry[] {
  const groups = new Map<string, DataFlow[]>();
  for (const flow of flows.filter(needsEntry)) {
    // One entry per recipient and purpose; the file of the processing function stands for the purpose.
    const processingFile = processingOf(flow, registerDirectory).key.split('#')[0]!;
    const key = `${groupOf(flow)}\0${recipientOf(flow)}\0${processingFile}`;
    const list = groups.get(key);
    if (list) list.push(flow);
    else groups.set(key, [flow]);
  }
  const used = new Set(takenIds);
  const entries: DraftEntry[] = [];
  const sortedKeys = [...groups.keys()].sort((a, b) => a.localeCompare(b));
  for (const key of sortedKeys) {
    const groupFlows = groups.get(key)!;
    const first = groupFlows[0]!;
    const group = groupOf(first);
    const processingFile = processingOf(first, registerDirectory).key.split('#')[0]!;
    const base = `${slug(first.recipient ?? group)}-${slug(basename(processingFile, extname(processingFile)))}`;
    let id = base;
    for (let suffix = 2; used.has(id); suffix++) id = `${base}-${suffix}`;
    used.add(id);
    const appliesTo = [...new Set(groupFlows.map((flow) => appliesToOf(flow, registerDirectory)))];
    const wholeFiles = new Set(appliesTo.filter((item) => !item.includes('#')));
    const categories = new Set(groupFlows.flatMap((flow) => flow.categories));
    const recordedInCode = groupFlows.every((flow) => flow.status === 'covered')
      ? [...new Set(groupFlows.flatMap((flow) => (flow.basis ?? []).filter((basis) => basis.origin === 'jsdoc').flatMap((basis) => basis.ids)))]
      : undefined;
    entries.push({
      id,
      ...(first.recipient !== undefined && { recipient: first.recipient }),
      group,
      groupTitle: GROUPS.find((candidate) => candidate.id === group)?.title ?? group,
      flows: groupFlows,
      appliesTo: appliesTo.filter((item) => !item.includes('#') || !wholeFiles.has(item.split('#')[0]!)).sort(),
      categories: HEALTH_CATEGORIES.filter((category) => categories.has(category)),
      ...(recordedInCode && recordedInCode.length > 0 && { recordedInCode }),
    });
  }
  return entries;
}

function statusText(flow: DataFlow): string {
  if (flow.status === 'covered') return 'covered by @legalBasis in the code';
  if (flow.status === 'insufficient') return `legal basis insufficient (${flow.ruleId ?? 'insufficient-legal-basis'})`;
  return `gap (${flow.ruleId ?? 'unprotected-export'})`;
}

/** Where the data goes when no recipient is named, for sentences. */
const DESTINATIONS: Record<GroupId, string> = {
  'partner-apis': 'a partner API',
  'third-parties': 'a third party',
  'api-clients': 'the clients of the API',
  files: 'files',
  'cloud-storage': 'cloud storage',
  messaging: 'queues and streams',
  email: 'e-mail',
  realtime: 'WebSockets and other windows',
  'other-exports': 'an export',
  logs: 'logs',
  browser: 'the browser',
};

function entryLines(entry: DraftEntry, options: RegisterDraftOptions): string[] {
  const lines = [`  - id: ${entry.id}`];
  const who = entry.recipient ?? DESTINATIONS[entry.group];
  const kind = entry.recipient !== undefined ? ` (${entry.groupTitle})` : '';
  lines.push(`    # Health data going to ${comment(who)}${comment(kind)}, seen in the code at:`);
  for (const flow of entry.flows) {
    const where = `${displayFilePath(options.root, flow.location.file)}:${flow.location.line}`;
    lines.push(`    #   ${comment(`${where} ${flow.sink.label}, ${statusText(flow)}`)}`);
  }
  lines.push('    # TODO: say why, in words the patients would understand (Art. 30(1)(b) GDPR).');
  lines.push(`    purpose: ${quote(`TODO: why health data goes to ${who}`)}`);
  if (entry.recordedInCode) {
    const ids = entry.recordedInCode.filter((id) => parseBasisId(id)?.kind !== 'french-formality');
    const formalities = entry.recordedInCode.filter((id) => parseBasisId(id)?.kind === 'french-formality');
    lines.push('    # Recorded in the code with @legalBasis: check it before relying on it here.');
    lines.push(`    legalBasis: [${ids.join(', ')}]`);
    if (formalities.length > 0) lines.push(`    formalities: [${formalities.join(', ')}]`);
  } else {
    const inCode = [...new Set(entry.flows.flatMap((flow) => (flow.basis ?? []).filter((basis) => basis.origin === 'jsdoc' && basis.ids.length > 0)))];
    for (const basis of inCode) {
      const where = basis.location ? ` (${displayFilePath(options.root, basis.location.file)}:${basis.location.line})` : '';
      lines.push(`    # The code records @legalBasis ${comment(basis.ids.join(' '))}${comment(where)}: not enough for these flows (see the report).`);
    }
    lines.push('    # TODO: an Art. 6(1) basis and an Art. 9(2) condition, e.g. [gdpr-6-1-e, gdpr-9-2-h] for care;');
    lines.push('    # in France, research also needs formalities: [mr-004] (or cnil-authorisation:<reference>).');
    lines.push('    legalBasis: []');
  }
  lines.push(`    dataCategories: [${entry.categories.join(', ')}]`);
  lines.push('    # TODO: check; the categories of data subjects (Art. 30(1)(c)) could go here too: dataSubjects: [patients]');
  if (entry.recipient !== undefined) {
    lines.push(`    recipients: [${quote(entry.recipient)}]`);
  } else {
    // An empty list, not an absent one: absent would let this entry cover a third party the same code also sends to.
    lines.push('    recipients: []  # no named recipient: list any organisation that receives the data');
  }
  lines.push(`    appliesTo: [${entry.appliesTo.map(quote).join(', ')}]`);
  return lines;
}

export function formatRegisterDraft(result: AnalysisResult, options: RegisterDraftOptions): string {
  const registerDirectory = result.register ? dirname(result.register.file) : dirname(options.registerFile);
  const registerName = basename(result.register?.file ?? options.registerFile);
  const flows = result.flows ?? [];
  const takenIds = new Set((result.register?.entries ?? []).map((entry) => entry.id));
  const entries = buildEntries(flows, registerDirectory, takenIds);
  const project = basename(options.root);

  const lines = [
    `# Draft record of processing activities (GDPR Art. 30) for ${comment(project)}, written by ${TOOL_NAME} ${TOOL_VERSION}`,
    '# from what the code does. It is a starting point for the data-protection officer, not a record:',
    '#  - complete every TODO: the purpose, and the legal basis. An empty legalBasis list keeps an entry invalid on purpose,',
    `#    so ${TOOL_NAME} keeps reporting the flows it would cover until a real basis is written;`,
    '#  - check dataCategories, recipients and appliesTo: they list what the analysis saw, nothing more.',
  ];
  if (result.register) {
    lines.push(`# ${registerName} exists: its entries are not repeated here; merge the processings below into it.`);
    const stale = new Map((result.staleRegisterEntries ?? []).map((entry) => [entry.id, entry]));
    for (const entry of result.register.entries) {
      const covered = flows.filter((flow) => flow.status === 'covered' && (flow.basis ?? []).some((basis) => basis.processingId === entry.id)).length;
      const insufficient = flows.filter((flow) => flow.status === 'insufficient' && (flow.basis ?? []).some((basis) => basis.processingId === entry.id));
      const state = stale.has(entry.id)
        ? 'STALE: matches no analysed code (correct its appliesTo, or remove it)'
        : insufficient.length > 0
          ? `TODO: judged insufficient at ${insufficient.map((flow) => `${displayFilePath(options.root, flow.location.file)}:${flow.location.line}`).join(', ')} (see the report)`
          : `covers ${covered} path${covered === 1 ? '' : 's'}`;
      lines.push(`#   ${comment(`${entry.id} (line ${entry.location.line}): ${state}`)}`);
    }
  }
  const logs = flows.filter((flow) => flow.sink.kind === 'log').length;
  const browser = flows.filter((flow) => flow.sink.kind === 'browser').length;
  const anonymised = flows.filter((flow) => flow.status === 'anonymised').length;
  if (logs + browser > 0) {
    lines.push(`# Not listed: ${logs} path(s) to logs and ${browser} to the browser. A legal basis never covers them: the code must change.`);
  }
  if (anonymised > 0) lines.push(`# Not listed: ${anonymised} path(s) of anonymised data (no longer health data, if the anonymiser is sound).`);
  if (!result.register) {
    const jurisdictions = options.jurisdictions && options.jurisdictions.length > 0 ? options.jurisdictions : ['EU'];
    lines.push('# TODO: add FR if French law applies (research and statistics then need a formality).');
    lines.push(`jurisdictions: [${jurisdictions.join(', ')}]`);
  }
  if (entries.length === 0) {
    lines.push('# Every export and third-party flow the analysis found is already covered by the register.');
    lines.push('processings: []');
  } else {
    lines.push('processings:');
    entries.forEach((entry, index) => {
      if (index > 0) lines.push('');
      lines.push(...entryLines(entry, options));
    });
  }
  return `${lines.join('\n')}\n`;
}
