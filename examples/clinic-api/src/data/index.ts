// The data layer's public surface: one repository over the shared pool.
import { pool } from './database';
import { FhirRepository } from './fhir-repository';

export { FhirRepository };
export const fhirRepository = new FhirRepository(pool);
