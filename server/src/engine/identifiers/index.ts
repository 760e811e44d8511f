// Finds health identifiers written in a string literal (French NIR / NIA, INS, US SSN) and masks them for messages.
import { findNirs } from './nir';
import { findSsns } from './ssn';

export type HealthIdentifierKind = 'nir' | 'ins' | 'ssn';

export interface HealthIdentifierMatch {
  kind: HealthIdentifierKind;
  /** Offsets in the literal's text (end exclusive). */
  start: number;
  end: number;
  /** The value with most characters replaced by `*`: never the full value, so messages and SARIF files do not spread it. */
  masked: string;
}

export interface IdentifierContext {
  /** The variable or property the literal is assigned to (`patientSsn`): lets nine bare digits count as an SSN. */
  name?: string;
}

/** INS qualification: OIDs of INS-NIR (.8), INS-NIA (.9) and test INS (.10), as written next to the number in HL7 / FHIR. */
const INS_OID = /(?<![\d.])1\.2\.250\.1\.213\.1\.4\.(?:8|9|10)(?![\d])/;

/**
 * Keeps the first character and the last `keepLast` letters or digits, masks the others and keeps separators:
 * `1 84 12 76 451 089 46` -> `1 ** ** ** *** *** 46`. Enough to find the literal, not enough to reuse the number.
 */
export function maskIdentifier(value: string, options: { keepFirst: boolean; keepLast: number }): string {
  const positions = [...value].map((char, index) => (/[0-9A-Za-z]/.test(char) ? index : -1)).filter((index) => index >= 0);
  const kept = new Set<number>(positions.slice(Math.max(positions.length - options.keepLast, 0)));
  if (options.keepFirst && positions.length > 0) kept.add(positions[0]!);
  return [...value].map((char, index) => (positions.includes(index) && !kept.has(index) ? '*' : char)).join('');
}

/**
 * The health identifiers in a string literal's text. NIR and NIA keep their first digit (sex, little information)
 * and their last 2; an SSN keeps its last 4, the usual US display convention (`***-**-6789`).
 */
export function findHealthIdentifiers(literal: string, context: IdentifierContext = {}): HealthIdentifierMatch[] {
  const insQualified = INS_OID.test(literal);
  const matches: HealthIdentifierMatch[] = findNirs(literal).map((nir) => ({
    kind: insQualified ? 'ins' : 'nir',
    start: nir.start,
    end: nir.end,
    masked: maskIdentifier(literal.slice(nir.start, nir.end), { keepFirst: true, keepLast: 2 }),
  }));
  for (const ssn of findSsns(literal, context.name)) {
    // A NIR's digits can contain an SSN-shaped run only with separators we do not accept inside a NIR; still, never report both.
    if (matches.some((found) => ssn.start < found.end && found.start < ssn.end)) continue;
    matches.push({
      kind: 'ssn',
      start: ssn.start,
      end: ssn.end,
      masked: maskIdentifier(literal.slice(ssn.start, ssn.end), { keepFirst: false, keepLast: 4 }),
    });
  }
  return matches.sort((a, b) => a.start - b.start);
}
