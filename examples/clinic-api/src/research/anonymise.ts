// Anonymisation for the regional health observatory: aggregated tables, and the list of notifiable cases.
import type { Condition, Patient } from 'fhir/r4';

export interface AgeBandCell {
  ageBand: string;
  diagnosisChapter: string;
  patients: number;
}

export interface NotifiableCase {
  birthDate?: string;
  sex?: Patient['gender'];
  diagnosisCode?: string;
  department?: string;
}

/** Cells with fewer patients than this are suppressed: below it, a cell can point at a person. */
const MINIMUM_CELL_SIZE = 11;

function ageBandOf(birthDate: string | undefined, today: Date): string {
  if (!birthDate) return 'unknown';
  const age = today.getUTCFullYear() - Number(birthDate.slice(0, 4));
  const lower = Math.min(Math.floor(age / 10) * 10, 90);
  return lower === 90 ? '90+' : `${lower}-${lower + 9}`;
}

/**
 * Patients per age band and ICD-10 chapter; no identifier, no date, small cells suppressed.
 * @anonymises
 */
export function aggregateByAgeBand(patients: Patient[], conditions: Condition[], today: Date): AgeBandCell[] {
  const ageBandByReference = new Map(patients.map((patient) => [`Patient/${patient.id}`, ageBandOf(patient.birthDate, today)]));
  const cells = new Map<string, { ageBand: string; diagnosisChapter: string; patients: Set<string> }>();
  for (const condition of conditions) {
    const reference = condition.subject.reference ?? '';
    const ageBand = ageBandByReference.get(reference) ?? 'unknown';
    const diagnosisChapter = condition.code?.coding?.[0]?.code?.charAt(0) ?? '?';
    const key = `${ageBand}|${diagnosisChapter}`;
    const cell = cells.get(key) ?? { ageBand, diagnosisChapter, patients: new Set<string>() };
    cell.patients.add(reference);
    cells.set(key, cell);
  }
  return [...cells.values()]
    .map(({ ageBand, diagnosisChapter, patients: members }) => ({ ageBand, diagnosisChapter, patients: members.size }))
    .filter((cell) => cell.patients >= MINIMUM_CELL_SIZE);
}

/**
 * One line per notifiable case, "anonymous because there is no name".
 * @anonymises
 */
export function toNotifiableCase(patient: Patient, condition: Condition): NotifiableCase {
  const postalCode = patient.address?.[0]?.postalCode;
  // expect: linkable-anonymisation
  return {
    birthDate: patient.birthDate,
    sex: patient.gender,
    diagnosisCode: condition.code?.coding?.[0]?.code,
    department: postalCode?.slice(0, 2),
  };
}
