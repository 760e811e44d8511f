// Reads the legal-basis JSDoc tags (@legalBasis, @processing, @recipient, @anonymises, @pseudonymises) of one declaration.
import { parseBasisId } from './ids';

export interface JSDocTag {
  /** Tag name without `@`, as the compiler reports it (`legalBasis`). */
  name: string;
  /** The tag's comment text (`gdpr-6-1-e, gdpr-9-2-h - care of the patient`). */
  text: string;
}

export interface BasisTags {
  /** Known legal basis ids, canonical (lower case), in order, without duplicates. */
  bases: string[];
  processing: string[];
  recipients: string[];
  anonymises: boolean;
  pseudonymises: boolean;
  /** Words written as legal basis ids that are not ones (`gdpr-9-2-z`): the basis is then insufficient. */
  unknownIds: string[];
}

// US spellings are accepted too: people write both, and a silently ignored tag would hide a declared anonymiser.
const TAG_ALIASES: Record<string, 'legalBasis' | 'processing' | 'recipient' | 'anonymises' | 'pseudonymises'> = {
  legalbasis: 'legalBasis',
  processing: 'processing',
  recipient: 'recipient',
  anonymises: 'anonymises',
  anonymizes: 'anonymises',
  pseudonymises: 'pseudonymises',
  pseudonymizes: 'pseudonymises',
};

/** An id-shaped word: letters, then dash-separated parts, optionally `:<reference>` (`gdpr-6-1-e`, `cnil-authorisation:DR-1`). */
const ID_SHAPED = /^[A-Za-z]+(?:-[A-Za-z0-9]+)+(?::\S+)?$/;

function withoutProse(text: string): string {
  return text.split(/\s+[-\u2013\u2014]\s+/)[0] ?? '';
}

/** `@legalBasis` values: words separated by spaces, commas or `and`, up to the prose that follows ` - `. */
function basisWords(text: string): string[] {
  return withoutProse(text)
    .split(/[\s,;+&]+/)
    .map((word) => word.replace(/[.:]+$/, '')) // a sentence's full stop is not part of the id
    .filter((word) => word !== '' && !/^(and|et)$/i.test(word));
}

/**
 * `@processing` / `@recipient` values: one name, or several separated by commas; anything after a
 * name's first word is prose (`@recipient sentry error tracking` names `sentry`).
 */
function nameList(text: string): string[] {
  return withoutProse(text)
    .split(/[,;]/)
    .map((piece) => piece.trim().split(/\s+/)[0] ?? '')
    .filter((name) => name !== '');
}

function pushUnique(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

export function parseBasisTags(tags: readonly JSDocTag[]): BasisTags {
  const result: BasisTags = {
    bases: [],
    processing: [],
    recipients: [],
    anonymises: false,
    pseudonymises: false,
    unknownIds: [],
  };
  for (const tag of tags) {
    const kind = TAG_ALIASES[tag.name.replace(/^@/, '').toLowerCase()];
    if (kind === undefined) continue;
    const text = tag.text ?? '';
    switch (kind) {
      case 'legalBasis':
        for (const word of basisWords(text)) {
          // Prose written without a dash ends the list at its first word that cannot be an id.
          if (!ID_SHAPED.test(word)) break;
          const basis = parseBasisId(word);
          if (basis) pushUnique(result.bases, basis.id);
          else pushUnique(result.unknownIds, word);
        }
        break;
      case 'processing':
        for (const name of nameList(text)) pushUnique(result.processing, name);
        break;
      case 'recipient':
        for (const name of nameList(text)) pushUnique(result.recipients, name);
        break;
      case 'anonymises':
        result.anonymises = true;
        break;
      case 'pseudonymises':
        result.pseudonymises = true;
        break;
    }
  }
  return result;
}
