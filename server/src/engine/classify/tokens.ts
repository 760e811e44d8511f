// Splits identifiers, paths and phrases into lower-case, accent-free word tokens that the vocabulary matches on.
import { BoundedCache, memoised } from './bounded-cache';

/** Code systems whose number is part of the name: `cim_10` is one code ("cim10"), not "cim" and "10". */
const CODE_SYSTEMS_WITH_NUMBER = new Set(['icd', 'cim', 'atc', 'snomed', 'loinc', 'brca', 'covid', 'phq', 'gad']);

/**
 * Medical tokens that camelCase splitting tears apart ("HbA1c" -> "hb" "a1c", "SpO2" -> "sp" "o2"):
 * consecutive tokens whose concatenation is one of these are joined back.
 */
const COMPOUND_TOKENS = new Set(['hba1c', 'a1c', 'spo2', 'sao2', 'pao2', 'fio2', 'covid19', 'brca1', 'brca2', 'phq9', 'gad7', 'hl7']);

const cache = new BoundedCache<string, readonly string[]>(20_000);

/** The tokens of a name; the array is shared by every caller (cached): read-only. */
export function tokenize(identifier: string): readonly string[] {
  return memoised(cache, identifier, (text) => joinMedicalCodes(splitWords(text)));
}

/** Removes accents and folds ligatures so "médicament" and "medicament", "cœur" and "coeur" match. */
export function foldAccents(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\u0153/g, 'oe')
    .replace(/\u0152/g, 'OE')
    .replace(/\u00e6/g, 'ae')
    .replace(/\u00c6/g, 'AE')
    .replace(/\u00df/g, 'ss');
}

function splitWords(identifier: string): string[] {
  const spaced = foldAccents(identifier)
    // "HIVStatus" -> "HIV Status": an acronym ends where a capitalised word starts
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    // "bloodType" -> "blood Type", "icd10Code" -> "icd10 Code"
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2');
  return spaced
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((token) => token.length > 0);
}

function joinMedicalCodes(tokens: string[]): string[] {
  const joined: string[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    const next = tokens[index + 1];
    if (next !== undefined && /^\d+$/.test(next) && CODE_SYSTEMS_WITH_NUMBER.has(token)) {
      joined.push(token + next);
      index++;
      continue;
    }
    const compound = findCompound(tokens, index);
    if (compound) {
      joined.push(compound.token);
      index += compound.length - 1;
      continue;
    }
    joined.push(token);
  }
  return joined;
}

function findCompound(tokens: string[], start: number): { token: string; length: number } | undefined {
  for (let length = 3; length >= 2; length--) {
    if (start + length > tokens.length) continue;
    const candidate = tokens.slice(start, start + length).join('');
    if (COMPOUND_TOKENS.has(candidate)) return { token: candidate, length };
  }
  return undefined;
}
