// Monthly report for the regional health observatory, written to the outbox that the SFTP agent uploads.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Condition } from 'fhir/r4';
import { fhirRepository } from '../data';
import { logger, startOfMonth } from '../lib';
import { aggregateByAgeBand, toNotifiableCase } from '../research/anonymise';

/** ICD-10 categories the observatory collects individual cases for (tuberculosis, measles, Lyme disease). */
const NOTIFIABLE_CATEGORIES = new Set(['A15', 'B05', 'A69']);

function isNotifiable(condition: Condition): boolean {
  return NOTIFIABLE_CATEGORIES.has(condition.code?.coding?.[0]?.code?.slice(0, 3) ?? '');
}

export async function writeObservatoryReport(month: string, outbox = process.env.OBSERVATORY_OUTBOX ?? './outbox'): Promise<void> {
  const conditions = await fhirRepository.conditionsRecordedSince(startOfMonth(month));
  const patientIds = [...new Set(conditions.map((condition) => condition.subject.reference?.replace('Patient/', '') ?? ''))];
  const patients = await fhirRepository.findPatients(patientIds);
  const patientByReference = new Map(patients.map((patient) => [`Patient/${patient.id}`, patient]));

  const table = aggregateByAgeBand(patients, conditions, new Date());
  const cases = conditions.filter(isNotifiable).flatMap((condition) => {
    const patient = patientByReference.get(condition.subject.reference ?? '');
    return patient ? [toNotifiableCase(patient, condition)] : [];
  });

  await mkdir(outbox, { recursive: true });
  await writeFile(join(outbox, `observatory-${month}.json`), JSON.stringify(table, null, 2));
  await writeFile(join(outbox, `notifiable-cases-${month}.json`), JSON.stringify(cases, null, 2));
  logger.info(`observatory report ${month}: ${table.length} cells, ${cases.length} notifiable cases`);
}
