// Decides whether the legal bases recorded for a health-data flow (JSDoc tags, register entries) cover it: a pure function.
import type { HealthCategory, LegalBasisRecord, SinkKind, SourceLocation } from '../model';
import { EXPECTED_BASIS_IDS, parseBasisId } from './ids';
import type { RegisterEntry } from './register';

/** The basis tags of one declaration on the call chain (see parseBasisTags). */
export interface JSDocBasis {
  bases: string[];
  processing: string[];
  recipients: string[];
  /** Id-shaped words of `@legalBasis` that are not legal basis ids. */
  unknownIds?: string[];
  /** The function, method or class carrying the tags, for messages (`exportStudy`, `Reports.export`). */
  functionName?: string;
  location?: SourceLocation;
}

export interface CoverageInput {
  sinkKind: SinkKind;
  /** SDK id, host, or configured name of who receives the data. */
  recipient?: string;
  /**
   * One array per health label reaching the sink, holding that label's categories as alternatives:
   * an `Observation` is `['lab-result', 'vital-sign']` and a register entry listing either covers it.
   * Add `['health-identifier']` when the flow carries a health identifier.
   */
  categories: HealthCategory[][];
  /** The data was only pseudonymised on the way (it is still personal data). */
  pseudonymised: boolean;
  /** Tags found on the call chain, innermost first. */
  jsdoc: JSDocBasis[];
  /** Entries whose appliesTo matched the chain, plus those named by `@processing`. */
  registerEntries: RegisterEntry[];
  /** `@processing` ids that name no register entry. */
  unknownProcessingIds: string[];
  /** Default ['EU']. */
  jurisdictions: string[];
  /** The register file, for messages ("add an entry to health-data-register.yaml"). */
  registerFile?: string;
}

export type CoverageVerdict =
  /** No basis covers the flow. `by` and `notes` explain bases that were found but cannot cover this sink. */
  | { status: 'uncovered'; by?: LegalBasisRecord[]; notes?: string[] }
  | { status: 'covered'; by: LegalBasisRecord[] }
  /** A basis is recorded but is not valid for this flow; `problems` are sentences saying what is missing and how to fix it. */
  | { status: 'insufficient'; by: LegalBasisRecord[]; problems: string[] };

/** One recorded basis and what it lacks for this flow. */
interface Candidate {
  record: LegalBasisRecord;
  /** Makes the basis invalid: insufficient-legal-basis. */
  invalid: string[];
  /** The basis is valid but does not reach this sink (a third party it does not name): the sink stays uncovered. */
  doesNotReach: string[];
}

const RESEARCH_PURPOSE = /(?<![\p{L}\p{N}])(research(es)?|stud(y|ies)|statistic(s|al)?|[e\u00e9]tudes?|recherches?|statistiques?)(?![\p{L}\p{N}])/iu;

const LOG_NOTE =
  'a recorded legal basis never covers logs: writing health data to logs is a security and data-minimisation failure ' +
  '(Art. 5(1)(c), 5(1)(f) and 32 GDPR), not a question of lawful purpose; keep the health data out of the log, or add a ' +
  'justified suppression.';
const BROWSER_NOTE =
  'a recorded legal basis never covers the browser: health data in localStorage, sessionStorage, IndexedDB, cookies or ' +
  'URLs is a security and data-minimisation failure (Art. 5(1)(c), 5(1)(f) and 32 GDPR), not a question of lawful ' +
  'purpose; keep it on the server, or add a justified suppression.';

function normaliseRecipient(recipient: string): string {
  const lower = recipient.trim().toLowerCase();
  const url = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]+)/.exec(lower);
  return (url?.[1] ?? lower).replace(/\/+$/, '');
}

function sameRecipient(a: string, b: string): boolean {
  return normaliseRecipient(a) === normaliseRecipient(b);
}

function quoteList(values: readonly string[]): string {
  return values.map((value) => `"${value}"`).join(', ');
}

function isResearchPurpose(purpose: string): boolean {
  return RESEARCH_PURPOSE.test(purpose);
}

/** What the Art. 6 / Art. 9 pairing of `ids` lacks, as sentences starting with `subject`. */
function pairingProblems(subject: string, ids: readonly string[]): string[] {
  const kinds = ids.map((id) => parseBasisId(id)?.kind);
  const hasArt6 = kinds.includes('art6');
  const hasArt9 = kinds.includes('art9');
  if (hasArt6 && hasArt9) return [];
  if (hasArt6) {
    return [
      `${subject} has no Art. 9(2) condition: an Art. 6(1) basis alone is never enough for health data (Art. 9(1) GDPR); ` +
        'add the Art. 9(2) condition, e.g. gdpr-9-2-h for care or gdpr-9-2-j for research.',
    ];
  }
  if (hasArt9) {
    return [
      `${subject} has no Art. 6(1) basis: an Art. 9(2) condition only lifts the prohibition of Art. 9(1) GDPR, the ` +
        'processing still needs a lawful basis under Art. 6(1); add it, e.g. gdpr-6-1-e for a public task or gdpr-6-1-a for consent.',
    ];
  }
  return [
    `${subject} has neither an Art. 6(1) basis nor an Art. 9(2) condition: health data needs both (Art. 6(1) and 9(2) GDPR), ` +
      'e.g. gdpr-6-1-e with gdpr-9-2-h for care; a French formality does not replace them.',
  ];
}

function unknownIdProblems(subject: string, unknownIds: readonly string[]): string[] {
  return unknownIds.map((id) => `${subject} names an unknown legal basis "${id}" (expected ${EXPECTED_BASIS_IDS}).`);
}

/** The French formality requirement for research and statistics (Loi Informatique et Libertés Art. 66). */
function researchProblem(
  subject: string,
  evidence: string,
  ids: readonly string[],
  input: CoverageInput,
  whereToAdd: string,
): string | undefined {
  const inFrance = input.jurisdictions.some((jurisdiction) => jurisdiction.trim().toUpperCase() === 'FR');
  if (!inFrance) return undefined;
  if (ids.some((id) => parseBasisId(id)?.kind === 'french-formality')) return undefined;
  const pseudonymisedNote = input.pseudonymised
    ? ' Pseudonymising the data does not lift this requirement: pseudonymised health data is still personal data ' +
      '(Recital 26 GDPR), as the CNIL held against Cegedim Santé in 2024 (SAN-2024-013).'
    : '';
  return (
    `${subject} is for research or statistics (${evidence}) and the jurisdictions include FR, but no French formality ` +
    'is recorded: in France, processing health data for research, studies or statistics needs a declaration of ' +
    'conformity to a CNIL reference methodology (e.g. mr-004 for the reuse of existing data), a CNIL authorisation ' +
    `or the health data warehouse référentiel (Art. 66 Loi Informatique et Libertés); add it to ${whereToAdd}.` +
    pseudonymisedNote
  );
}

function jsdocSubject(tags: JSDocBasis): string {
  const written = [...tags.bases, ...(tags.unknownIds ?? [])].join(' ');
  return `\`@legalBasis ${written}\`${tags.functionName ? ` on \`${tags.functionName}\`` : ''}`;
}

function judgeJSDoc(tags: JSDocBasis, input: CoverageInput): Candidate {
  const subject = jsdocSubject(tags);
  const matchingRecipient =
    input.recipient === undefined ? undefined : tags.recipients.find((recipient) => sameRecipient(recipient, input.recipient!));
  const record: LegalBasisRecord = {
    origin: 'jsdoc',
    ids: [...tags.bases, ...(tags.unknownIds ?? [])],
    ...(tags.recipients.length > 0 ? { recipient: matchingRecipient ?? tags.recipients[0] } : {}),
    ...(tags.location ? { location: tags.location } : {}),
  };
  const invalid = [...unknownIdProblems(subject, tags.unknownIds ?? []), ...pairingProblems(subject, tags.bases)];
  if (tags.bases.includes('gdpr-9-2-j')) {
    const problem = researchProblem(subject, 'gdpr-9-2-j', tags.bases, input, 'the same @legalBasis tag');
    if (problem) invalid.push(problem);
  }
  const doesNotReach: string[] = [];
  if (input.sinkKind === 'third-party') {
    const who = input.recipient ? `"${input.recipient}"` : 'this third party';
    const add = input.recipient ? `\`@recipient ${input.recipient}\`` : '`@recipient <name>`';
    if (tags.recipients.length === 0) {
      doesNotReach.push(
        `${subject} names no recipient, so it does not cover the disclosure to ${who}: a third party needs a basis that names it; add ${add} to the same JSDoc.`,
      );
    } else if (input.recipient !== undefined && matchingRecipient === undefined) {
      doesNotReach.push(
        `${subject} names the recipients ${quoteList(tags.recipients)}, not ${who}: add ${add} to the same JSDoc if this disclosure is intended.`,
      );
    }
  } else if (input.recipient !== undefined && tags.recipients.length > 0 && matchingRecipient === undefined) {
    // An explicit recipient list at an export is a statement of where the data may go, like a register entry's.
    invalid.push(
      `${subject} names the recipients ${quoteList(tags.recipients)}, but the data goes to "${input.recipient}": add \`@recipient ${input.recipient}\` or stop sending the data there.`,
    );
  }
  return { record, invalid, doesNotReach };
}

function describeGroup(group: readonly HealthCategory[]): string {
  return group.join(' or ');
}

/** Categories listed by an entry, with diagnosis and condition standing for each other. */
function listedCategories(entry: RegisterEntry): Set<HealthCategory> {
  const listed = new Set<HealthCategory>(entry.dataCategories ?? []);
  if (listed.has('diagnosis')) listed.add('condition');
  if (listed.has('condition')) listed.add('diagnosis');
  return listed;
}

function judgeRegisterEntry(entry: RegisterEntry, input: CoverageInput): Candidate {
  const subject = `register entry "${entry.id}"`;
  const matchingRecipient =
    input.recipient === undefined ? undefined : entry.recipients?.find((recipient) => sameRecipient(recipient, input.recipient!));
  const record: LegalBasisRecord = {
    origin: 'register',
    ids: [...entry.legalBasis, ...entry.formalities],
    processingId: entry.id,
    ...(matchingRecipient ? { recipient: matchingRecipient } : {}),
    location: entry.location,
  };
  const invalid = pairingProblems(subject, entry.legalBasis);

  const evidence = entry.legalBasis.includes('gdpr-9-2-j')
    ? 'gdpr-9-2-j'
    : isResearchPurpose(entry.purpose)
      ? `purpose "${entry.purpose}"`
      : undefined;
  if (evidence) {
    const problem = researchProblem(subject, evidence, [...entry.legalBasis, ...entry.formalities], input, 'its formalities');
    if (problem) invalid.push(problem);
  }

  if (entry.dataCategories) {
    const listed = listedCategories(entry);
    const missing = input.categories.filter((group) => group.length > 0 && !group.some((category) => listed.has(category)));
    const unique = [...new Set(missing.map(describeGroup))];
    if (unique.length > 0) {
      const one = unique.length === 1;
      invalid.push(
        `${subject} does not list the data categor${one ? 'y' : 'ies'} ${unique.join(', ')} that flow${one ? 's' : ''} to this sink: ` +
          `add ${one ? 'it' : 'them'} to its dataCategories (Art. 30(1)(c) GDPR) or stop sending that data.`,
      );
    }
  }

  if (entry.recipients && input.recipient !== undefined && matchingRecipient === undefined) {
    const listed = entry.recipients.length > 0 ? `lists the recipients ${quoteList(entry.recipients)} but not` : 'lists no recipient, yet the data goes to';
    invalid.push(
      `${subject} ${listed} "${input.recipient}", which receives the data here: add "${input.recipient}" to its recipients ` +
        '(Art. 30(1)(d) GDPR) or stop sending the data there.',
    );
  }
  return { record, invalid, doesNotReach: [] };
}

function judgeUnknownProcessing(id: string, input: CoverageInput): Candidate {
  const tags = input.jsdoc.find((candidate) => candidate.processing.includes(id));
  const where = tags?.functionName ? ` on \`${tags.functionName}\`` : '';
  const register = input.registerFile ?? 'the processing register';
  return {
    record: { origin: 'jsdoc', ids: [], processingId: id, ...(tags?.location ? { location: tags.location } : {}) },
    invalid: [`\`@processing ${id}\`${where} names no entry of ${register}: add an entry with id "${id}" there, or correct the tag.`],
    doesNotReach: [],
  };
}

/**
 * Judges the bases recorded on a flow's call chain. Logs and the browser are never covered. Otherwise the flow is
 * covered when one recorded basis is valid for it; when every recorded basis is invalid, it is insufficient.
 */
export function judgeCoverage(input: CoverageInput): CoverageVerdict {
  const candidates: Candidate[] = [
    ...input.jsdoc
      .filter((tags) => tags.bases.length > 0 || (tags.unknownIds ?? []).length > 0)
      .map((tags) => judgeJSDoc(tags, input)),
    ...input.registerEntries.map((entry) => judgeRegisterEntry(entry, input)),
    ...input.unknownProcessingIds.map((id) => judgeUnknownProcessing(id, input)),
  ];
  const records = candidates.map((candidate) => candidate.record);

  if (input.sinkKind === 'log' || input.sinkKind === 'browser') {
    if (candidates.length === 0) return { status: 'uncovered' };
    return { status: 'uncovered', by: records, notes: [input.sinkKind === 'log' ? LOG_NOTE : BROWSER_NOTE] };
  }
  if (candidates.length === 0) return { status: 'uncovered' };

  const valid = candidates.filter((candidate) => candidate.invalid.length === 0 && candidate.doesNotReach.length === 0);
  if (valid.length > 0) return { status: 'covered', by: valid.map((candidate) => candidate.record) };

  const invalid = candidates.filter((candidate) => candidate.invalid.length > 0);
  if (invalid.length > 0) {
    return {
      status: 'insufficient',
      by: records,
      problems: [
        ...invalid.flatMap((candidate) => [...candidate.invalid, ...candidate.doesNotReach]),
        ...candidates.filter((candidate) => candidate.invalid.length === 0).flatMap((candidate) => candidate.doesNotReach),
      ],
    };
  }
  return { status: 'uncovered', by: records, notes: candidates.flatMap((candidate) => candidate.doesNotReach) };
}
