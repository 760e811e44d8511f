// Monthly job: the diabetes cohort for the registry study declared under MR-004 (register entry diabetes-cohort).
import { partnerClient } from '../clients';
import { buildStudyDataset } from '../research/study-dataset';
import { logger } from '../lib';

const COHORT_ID = 'diabetes-registry';

export async function runDiabetesCohortExport(since: Date): Promise<void> {
  const rows = await buildStudyDataset(COHORT_ID, since);
  const cohort = rows.filter((row) => row.diagnosisCodes.some((code) => code.startsWith('E11')));
  const receipt = await partnerClient.sendCohort(COHORT_ID, cohort);
  logger.info(`diabetes cohort: ${receipt.rows} participants sent`);
}
