// Study pseudonyms: a keyed hash of the patient id, stable within a study so that the partner can follow a cohort.
import { createHmac } from 'node:crypto';

/** @pseudonymises */
export function studyPseudonym(studyId: string, patientId: string): string {
  const key = process.env.STUDY_PSEUDONYM_KEY ?? '';
  return createHmac('sha256', key).update(`${studyId}:${patientId}`).digest('hex');
}
