// Connection pool to the clinic's PostgreSQL database, where FHIR resources are stored as JSONB documents.
import { Pool } from 'pg';

export const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
  idleTimeoutMillis: 30_000,
});
