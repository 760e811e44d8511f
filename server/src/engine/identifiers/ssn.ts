// Recognises valid US Social Security Numbers in text (AAA-GG-SSSS, AAA GG SSSS, or nine digits in an SSN context).

/**
 * The SSA never issues area 000, 666 or 900-999, group 00 or serial 0000 (the contract's definition of valid).
 * Numbers the SSA voided after they circulated in advertising (078-05-1120, 219-09-9999) still have a valid shape and
 * are reported: people copy them into seeds believing they are safe, and a reviewer should decide.
 */

const SEPARATED = /(?<![0-9A-Za-z-])(\d{3})([- ])(\d{2})\2(\d{4})(?![0-9A-Za-z-])/g;
const BARE = /(?<![0-9A-Za-z])(\d{3})(\d{2})(\d{4})(?![0-9A-Za-z])/g;
/** Nine bare digits are too common (order numbers, SIREN, ZIP+4) to be an SSN without something saying so. */
const SSN_CONTEXT = /(?<![a-z])ssn(?![a-z])|social[\s_-]?security|(?<![a-z])socsec|(?<![a-z])ss[\s_-]?(no|num|number)(?![a-z])/i;

export interface SsnMatch {
  start: number;
  end: number;
  area: string;
  group: string;
  serial: string;
}

export function isValidSsnParts(area: string, group: string, serial: string): boolean {
  const areaNumber = Number(area);
  if (areaNumber === 0 || areaNumber === 666 || areaNumber >= 900) return false;
  return group !== '00' && serial !== '0000';
}

/** `contextName`: the variable or property the text is assigned to, which may say it holds an SSN. */
export function findSsns(text: string, contextName?: string): SsnMatch[] {
  const found: SsnMatch[] = [];
  for (const match of text.matchAll(SEPARATED)) {
    const [, area = '', , group = '', serial = ''] = match;
    if (!isValidSsnParts(area, group, serial)) continue;
    const start = match.index ?? 0;
    found.push({ start, end: start + match[0].length, area, group, serial });
  }
  const saysSsn = SSN_CONTEXT.test(text) || (contextName !== undefined && SSN_CONTEXT.test(splitWords(contextName)));
  if (saysSsn) {
    for (const match of text.matchAll(BARE)) {
      const [, area = '', group = '', serial = ''] = match;
      if (!isValidSsnParts(area, group, serial)) continue;
      const start = match.index ?? 0;
      found.push({ start, end: start + match[0].length, area, group, serial });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/** `patientSSN` -> `patient SSN`, `social_security_no` stays readable by SSN_CONTEXT. */
function splitWords(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
}
