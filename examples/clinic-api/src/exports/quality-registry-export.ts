// Yearly extract for the national diabetes quality registry: one CSV line per patient, uploaded by hand.
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { fhirRepository } from '../data';

const CSV_HEADER = 'patient_key;diagnosis_codes';

export async function exportQualityRegistry(year: number, outputFile: string): Promise<number> {
  const conditions = await fhirRepository.conditionsRecordedSince(new Date(Date.UTC(year, 0, 1)));
  const diagnosisCodesByPatient = new Map<string, string[]>();
  for (const condition of conditions) {
    const patientId = condition.subject.reference?.replace('Patient/', '') ?? '';
    const code = condition.code?.coding?.[0]?.code;
    if (code) diagnosisCodesByPatient.set(patientId, [...(diagnosisCodesByPatient.get(patientId) ?? []), code]);
  }

  // "Anonymised": the registry never sees our patient ids, only their SHA-256.
  const rows = [...diagnosisCodesByPatient].map(([patientId, diagnosisCodes]) => ({
    patientKey: createHash('sha256').update(patientId).digest('hex'),
    diagnosisCodes,
  }));
  const csv = [CSV_HEADER, ...rows.map((row) => `${row.patientKey};${row.diagnosisCodes.join('|')}`)].join('\n');

  // expect: pseudonymised-export
  await writeFile(outputFile, csv, 'utf8');
  return rows.length;
}
