// The legal basis ids users write in JSDoc and in the register: GDPR Art. 6(1), Art. 9(2) and French formalities.

export type LegalBasisKind = 'art6' | 'art9' | 'french-formality';

export interface LegalBasisInfo {
  /** Canonical id, e.g. `gdpr-9-2-h`, `mr-004`, `cnil-authorisation:DR-2023-123`. */
  id: string;
  kind: LegalBasisKind;
  /** Where the basis comes from, e.g. "Art. 9(2)(h) GDPR", "MR-004 (CNIL reference methodology)". */
  article: string;
  /** A human sentence: "Art. 9(2)(h) GDPR: preventive or occupational medicine, medical diagnosis...". */
  label: string;
  /** The reference of a CNIL authorisation (`cnil-authorisation:<reference>`), when given. */
  reference?: string;
}

const ART6: Record<string, string> = {
  a: 'consent of the data subject',
  b: 'performance of a contract with the data subject',
  c: 'compliance with a legal obligation of the controller',
  d: 'vital interests of the data subject or of another person',
  e: 'a task carried out in the public interest or in the exercise of official authority',
  f: 'legitimate interests of the controller or of a third party',
};

const ART9: Record<string, string> = {
  a: 'explicit consent of the data subject',
  b: 'obligations and rights in employment, social security and social protection law',
  c: 'vital interests of a person physically or legally incapable of giving consent',
  d: 'legitimate activities of a not-for-profit body, about its members',
  e: 'data manifestly made public by the data subject',
  f: 'establishment, exercise or defence of legal claims',
  g: 'substantial public interest on the basis of Union or Member State law',
  h: 'preventive or occupational medicine, medical diagnosis, the provision of health or social care or treatment, or the management of health or social care systems',
  i: 'public interest in the area of public health',
  j: 'archiving in the public interest, scientific or historical research, or statistics (with Art. 89(1) safeguards)',
};

const REFERENCE_METHODOLOGIES: Record<string, string> = {
  '001': 'research involving people, with their consent',
  '002': 'studies of the performance of in-vitro diagnostic medical devices',
  '003': 'research involving people, without collecting their consent',
  '004': 'research not involving people (reuse of existing data), studies and evaluations',
  '005': 'hospital PMSI data accessed by health establishments and federations',
  '006': 'hospital PMSI data accessed by the health-product industry',
  // The two SNDS methodologies differ in who accesses the data and how; the CNIL deliberation sets each scope.
  '007': 'research, studies and evaluations using data of the national health data system (SNDS)',
  '008': 'research, studies and evaluations using data of the national health data system (SNDS), second methodology',
};

/** How an unknown id is explained: the accepted forms, in one line. */
export const EXPECTED_BASIS_IDS =
  'gdpr-6-1-a..f, gdpr-9-2-a..j, mr-001..mr-008, cnil-authorisation, cnil-referentiel-eds';
export const EXPECTED_FORMALITY_IDS = 'mr-001..mr-008, cnil-authorisation, cnil-referentiel-eds';

function buildCatalogue(): LegalBasisInfo[] {
  const bases: LegalBasisInfo[] = [];
  for (const [letter, text] of Object.entries(ART6)) {
    const article = `Art. 6(1)(${letter}) GDPR`;
    bases.push({ id: `gdpr-6-1-${letter}`, kind: 'art6', article, label: `${article}: ${text}` });
  }
  for (const [letter, text] of Object.entries(ART9)) {
    const article = `Art. 9(2)(${letter}) GDPR`;
    bases.push({ id: `gdpr-9-2-${letter}`, kind: 'art9', article, label: `${article}: ${text}` });
  }
  for (const [number, text] of Object.entries(REFERENCE_METHODOLOGIES)) {
    const article = `MR-${number} (CNIL reference methodology, Loi Informatique et Libertés Art. 66 and 72-73)`;
    bases.push({ id: `mr-${number}`, kind: 'french-formality', article, label: `MR-${number}: ${text}` });
  }
  bases.push({
    id: 'cnil-authorisation',
    kind: 'french-formality',
    article: 'CNIL authorisation (Loi Informatique et Libertés Art. 66)',
    label: 'CNIL authorisation of the processing',
  });
  bases.push({
    id: 'cnil-referentiel-eds',
    kind: 'french-formality',
    article: 'CNIL référentiel on health data warehouses (deliberation 2021-118, Loi Informatique et Libertés Art. 66)',
    label: 'declaration of conformity to the CNIL référentiel for health data warehouses (entrepôts de données de santé)',
  });
  return bases;
}

export const LEGAL_BASES: readonly LegalBasisInfo[] = buildCatalogue();
const BY_ID = new Map(LEGAL_BASES.map((basis) => [basis.id, basis]));

/**
 * Parses one id as written by a user (case-insensitive, surrounding spaces ignored).
 * `cnil-authorisation:<reference>` keeps the reference as written. Returns undefined for an unknown id.
 */
export function parseBasisId(text: string): LegalBasisInfo | undefined {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  if (colon >= 0) {
    const head = trimmed.slice(0, colon).toLowerCase();
    const reference = trimmed.slice(colon + 1).trim();
    if (head !== 'cnil-authorisation' || reference === '' || /\s/.test(reference)) return undefined;
    const base = BY_ID.get('cnil-authorisation')!;
    return { ...base, id: `cnil-authorisation:${reference}`, reference, label: `${base.label} (reference ${reference})` };
  }
  return BY_ID.get(trimmed.toLowerCase());
}

export function isKnownBasisId(text: string): boolean {
  return parseBasisId(text) !== undefined;
}

export function isArt6(id: string): boolean {
  return parseBasisId(id)?.kind === 'art6';
}

export function isArt9(id: string): boolean {
  return parseBasisId(id)?.kind === 'art9';
}

export function isFrenchFormality(id: string): boolean {
  return parseBasisId(id)?.kind === 'french-formality';
}

/** The ids of the catalogue (without the free `cnil-authorisation:<reference>` form), for schemas and completion. */
export function allBasisIds(kind?: LegalBasisKind): string[] {
  return LEGAL_BASES.filter((basis) => kind === undefined || basis.kind === kind).map((basis) => basis.id);
}
