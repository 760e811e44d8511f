// Browser-side cache of the patients opened in the clinicians' front end, to make switching between tabs instant.
import type { Condition, Patient } from 'fhir/r4';

const CACHE_PREFIX = 'clinic:patient:';

interface PatientRecord {
  patient: Patient;
  conditions: Condition[];
}

export async function loadPatientRecord(patientId: string): Promise<PatientRecord> {
  const cached = localStorage.getItem(CACHE_PREFIX + patientId);
  if (cached) return JSON.parse(cached) as PatientRecord;

  // the app's own backend: internal traffic, not an export
  const response = await fetch(`/api/patients/${encodeURIComponent(patientId)}`, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`Could not load the patient record (HTTP ${response.status})`);
  const record = (await response.json()) as PatientRecord;

  // expect: client-side-storage
  localStorage.setItem(CACHE_PREFIX + patientId, JSON.stringify(record));
  return record;
}

export function forgetCachedPatients(): void {
  for (const key of Object.keys(localStorage)) {
    if (key.startsWith(CACHE_PREFIX)) localStorage.removeItem(key);
  }
}
