// Recognises valid French NIR / NIA numbers (social security numbers) in text: structure and control key.

/**
 * What is accepted, and why:
 * - first digit: 1 and 2 (men, women); 3 and 4 (people born abroad whose registration is in progress);
 *   7 and 8 (temporary numbers, NIA, given by the health insurance funds before INSEE registration).
 *   Other digits are never assigned.
 * - month: 01-12; 20-42 (civil-status documents with an unknown or incomplete month: INSEE uses fictitious
 *   months); 50-99 (numbers assigned from documents without a month). 00, 13-19 and 43-49 are rejected.
 * - department: 01-99 (96-99 cover births abroad and in former territories), 2A and 2B for Corsica; 00 is rejected.
 *   Overseas departments (971-976) use 3 digits, the commune then has 2: the 5-character place block is the same.
 * - commune and order: 3 digits each, 000 rejected.
 * - key: 97 - (the 13-character number mod 97), with 2A counted as 19 and 2B as 18 (01-97).
 * Groups may be separated by single spaces (`1 84 12 76 451 089 46`), as NIRs are printed.
 */
const NIR_PATTERN =
  /(?<![0-9A-Za-z])([123478]) ?(\d{2}) ?(\d{2}) ?(\d{2}|2[ABab]) ?(\d{3}) ?(\d{3}) ?(\d{2})(?![0-9A-Za-z])/g;

export interface NirMatch {
  start: number;
  end: number;
  /** The 15 characters without spaces, letters in capitals. */
  compact: string;
}

function isAcceptedMonth(month: number): boolean {
  return (month >= 1 && month <= 12) || (month >= 20 && month <= 42) || (month >= 50 && month <= 99);
}

/** The control key of the 13 first characters (2A and 2B counted as 19 and 18). */
export function nirKey(first13: string): number {
  const numeric = first13.toUpperCase().replace(/^(.{5})2A/, '$119').replace(/^(.{5})2B/, '$118');
  return 97 - Number(BigInt(numeric) % 97n);
}

/** True when the whole text (spaces around ignored) is one valid NIR or NIA. */
export function isValidNir(text: string): boolean {
  const trimmed = text.trim();
  return findNirs(trimmed).some((match) => match.start === 0 && match.end === trimmed.length);
}

function isValidNirParts(match: RegExpExecArray): boolean {
  const [, sex, year, month, department, commune, order, key] = match as unknown as string[];
  if (!isAcceptedMonth(Number(month))) return false;
  if (department === '00' || commune === '000' || order === '000') return false;
  return nirKey(`${sex}${year}${month}${department}${commune}${order}`) === Number(key);
}

export function findNirs(text: string): NirMatch[] {
  const found: NirMatch[] = [];
  for (const match of text.matchAll(NIR_PATTERN)) {
    if (!isValidNirParts(match)) continue;
    const start = match.index ?? 0;
    found.push({ start, end: start + match[0].length, compact: match.slice(1).join('').toUpperCase() });
  }
  return found;
}
