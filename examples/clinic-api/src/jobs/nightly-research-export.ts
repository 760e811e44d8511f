// Nightly job: sends the previous day's study dataset to the research partner (register entry nightly-research-export).
import { partnerClient } from '../clients';
import { buildStudyDataset } from '../research/study-dataset';
import { logger } from '../lib';

const STUDY_ID = 'cardio-metabolic-2026';

export async function runNightlyResearchExport(since: Date): Promise<void> {
  const dataset = await buildStudyDataset(STUDY_ID, since);
  if (dataset.length === 0) {
    logger.info('nightly research export: nothing to send');
    return;
  }
  const receipt = await partnerClient.sendStudyDataset(STUDY_ID, dataset);
  logger.info(`nightly research export: ${receipt.rows} rows uploaded as ${receipt.uploadId}`);
}
