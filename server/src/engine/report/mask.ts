// Masks health identifiers (NIR, INS, SSN) in any text a report prints: the tool never prints one in full.
import { findHealthIdentifiers } from '../identifiers';

/** `patient 2 85 07 75 112 048 17` -> `patient 2 ** ** ** *** *** 17`; other text is unchanged. */
export function maskHealthIdentifiers(text: string): string {
  const matches = findHealthIdentifiers(text);
  let masked = text;
  // From the end, so earlier offsets stay valid.
  for (const match of [...matches].reverse()) masked = masked.slice(0, match.start) + match.masked + masked.slice(match.end);
  return masked;
}
