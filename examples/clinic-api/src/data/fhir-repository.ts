// Reads and writes FHIR resources in the clinic's own database (storage, not an export).
import type { Pool } from 'pg';
import type { Condition, Observation, Patient } from 'fhir/r4';

interface ResourceRow<T> {
  resource: T;
}

export class FhirRepository {
  constructor(private readonly pool: Pool) {}

  async findPatient(id: string): Promise<Patient | undefined> {
    const { rows } = await this.pool.query<ResourceRow<Patient>>('SELECT resource FROM patient WHERE id = $1', [id]);
    return rows[0]?.resource;
  }

  async findPatients(ids: readonly string[]): Promise<Patient[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.pool.query<ResourceRow<Patient>>('SELECT resource FROM patient WHERE id = ANY($1)', [ids]);
    return rows.map((row) => row.resource);
  }

  async countPatients(): Promise<number> {
    const { rows } = await this.pool.query<{ total: number }>('SELECT count(*)::int AS total FROM patient WHERE active');
    return rows[0]?.total ?? 0;
  }

  async conditionsOf(patientId: string): Promise<Condition[]> {
    const { rows } = await this.pool.query<ResourceRow<Condition>>(
      'SELECT resource FROM condition WHERE patient_id = $1 ORDER BY recorded_at DESC',
      [patientId],
    );
    return rows.map((row) => row.resource);
  }

  async conditionsRecordedSince(since: Date): Promise<Condition[]> {
    const { rows } = await this.pool.query<ResourceRow<Condition>>(
      'SELECT resource FROM condition WHERE recorded_at >= $1',
      [since.toISOString()],
    );
    return rows.map((row) => row.resource);
  }

  async observationsOf(patientId: string, loincCodes: readonly string[]): Promise<Observation[]> {
    const { rows } = await this.pool.query<ResourceRow<Observation>>(
      `SELECT resource FROM observation
        WHERE patient_id = $1 AND code = ANY($2)
        ORDER BY effective_at DESC LIMIT 200`,
      [patientId, loincCodes],
    );
    return rows.map((row) => row.resource);
  }

  async observationsIssuedSince(since: Date, loincCodes: readonly string[]): Promise<Observation[]> {
    const { rows } = await this.pool.query<ResourceRow<Observation>>(
      'SELECT resource FROM observation WHERE issued_at >= $1 AND code = ANY($2)',
      [since.toISOString(), loincCodes],
    );
    return rows.map((row) => row.resource);
  }

  async savePatient(patient: Patient): Promise<void> {
    await this.pool.query(
      `INSERT INTO patient (id, active, resource) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET active = EXCLUDED.active, resource = EXCLUDED.resource`,
      [patient.id, patient.active ?? true, JSON.stringify(patient)],
    );
  }
}
