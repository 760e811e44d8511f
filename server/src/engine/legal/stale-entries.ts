// Finds register entries that no analysed code uses (the reverse check of the register): a pure function.
import * as path from 'node:path';
import type { DataFlow, StaleRegisterEntry } from '../model';
import { findRegisterEntries, relativeToRegister, type Register, type RegisterEntry } from './register';

/** What the analysis saw of one file: its functions' display names (`exportStudy`, `Reports.export`). */
export interface AnalysedFile {
  file: string;
  functionNames: string[];
  /** The file could not be analysed: its functions are unknown, so any `file#function` entry on it is given the benefit of the doubt. */
  skipped?: boolean;
}

/** `@processing <id>` written anywhere in a file (JSDoc on a function, a class or a statement). */
const PROCESSING_TAG = /@processing\s+([A-Za-z0-9][A-Za-z0-9._-]*)/g;

export function processingIdsIn(text: string): string[] {
  return [...text.matchAll(PROCESSING_TAG)].map((match) => match[1]!);
}

/**
 * An entry is stale when its appliesTo matches no analysed file or function, no `@processing` tag names it and no
 * flow is covered or judged by it: the processing it records is gone from the code, or its appliesTo is wrong.
 */
export function findStaleRegisterEntries(
  register: Register,
  files: readonly AnalysedFile[],
  referencedIds: ReadonlySet<string>,
  flows: readonly DataFlow[],
): StaleRegisterEntry[] {
  const used = new Set<RegisterEntry>();
  for (const analysed of files) {
    const relative = relativeToRegister(register, analysed.file);
    for (const entry of findRegisterEntries(register, relative, analysed.functionNames)) used.add(entry);
    if (analysed.skipped) {
      for (const entry of register.processings) {
        const filesOnly = { ...entry, appliesTo: entry.appliesTo.map((item) => item.split('#')[0]!) };
        if (findRegisterEntries({ ...register, processings: [filesOnly] }, relative, []).length > 0) used.add(entry);
      }
    }
  }
  const judged = new Set(flows.flatMap((flow) => (flow.basis ?? []).map((basis) => basis.processingId).filter((id) => id !== undefined)));
  const registerName = path.basename(register.file);
  return register.processings
    .filter((entry) => !used.has(entry) && !referencedIds.has(entry.id) && !judged.has(entry.id))
    .map((entry) => ({
      id: entry.id,
      location: entry.location,
      message:
        `register entry "${entry.id}" (${registerName}:${entry.location.line}) matches no analysed code: ` +
        (entry.appliesTo.length > 0 ? `no file or function in its appliesTo (${entry.appliesTo.join(', ')})` : 'it has no appliesTo') +
        `, no \`@processing ${entry.id}\` tag and no flow of health data; correct its appliesTo, or remove it if the processing has stopped.`,
    }));
}
