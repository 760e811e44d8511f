// Builds the rows of the research datasets: one row per patient with a study pseudonym and their diabetes follow-up.
import type { Condition, Observation, Patient } from 'fhir/r4';
import { fhirRepository } from '../data';
import { studyPseudonym } from './pseudonymise';

const HBA1C_LOINC = '4548-4';

export interface StudyRow {
  participant: string;
  birthYear?: number;
  sex?: Patient['gender'];
  diagnosisCodes: string[];
  hba1cValues: number[];
}

function patientIdOf(reference: string | undefined): string {
  return reference?.replace(/^Patient\//, '') ?? '';
}

function toStudyRow(studyId: string, patient: Patient, conditions: Condition[], observations: Observation[]): StudyRow {
  const reference = `Patient/${patient.id}`;
  return {
    participant: studyPseudonym(studyId, patient.id ?? ''),
    birthYear: patient.birthDate ? Number(patient.birthDate.slice(0, 4)) : undefined,
    sex: patient.gender,
    diagnosisCodes: conditions
      .filter((condition) => condition.subject.reference === reference)
      .map((condition) => condition.code?.coding?.[0]?.code ?? 'unknown'),
    hba1cValues: observations
      .filter((observation) => observation.subject?.reference === reference)
      .flatMap((observation) => (observation.valueQuantity?.value === undefined ? [] : [observation.valueQuantity.value])),
  };
}

export async function buildStudyDataset(studyId: string, since: Date): Promise<StudyRow[]> {
  const conditions = await fhirRepository.conditionsRecordedSince(since);
  const patientIds = [...new Set(conditions.map((condition) => patientIdOf(condition.subject.reference)))];
  const [patients, observations] = await Promise.all([
    fhirRepository.findPatients(patientIds),
    fhirRepository.observationsIssuedSince(since, [HBA1C_LOINC]),
  ]);
  return patients.map((patient) => toStudyRow(studyId, patient, conditions, observations));
}
