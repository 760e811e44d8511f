// Batch entry point, started by the scheduler's cron jobs: `node dist/worker.js <job> [argument]`.
import { daysAgo, logger, previousMonth } from './lib';
import { runNightlyResearchExport } from './jobs/nightly-research-export';
import { runDiabetesCohortExport } from './jobs/diabetes-cohort-export';
import { writeObservatoryReport } from './jobs/observatory-report';
import { exportQualityRegistry } from './exports/quality-registry-export';
import { seedDevDatabase } from './seed/dev-patients';

const jobs: Record<string, (argument?: string) => Promise<unknown>> = {
  'nightly-research-export': () => runNightlyResearchExport(daysAgo(1)),
  'diabetes-cohort-export': () => runDiabetesCohortExport(daysAgo(31)),
  'observatory-report': (month) => writeObservatoryReport(month ?? previousMonth()),
  'quality-registry-export': (argument) => {
    const year = Number(argument ?? new Date().getUTCFullYear() - 1);
    return exportQualityRegistry(year, `./outbox/quality-registry-${year}.csv`);
  },
  'seed-dev-database': () => seedDevDatabase(),
};

async function main(jobName: string | undefined, argument: string | undefined): Promise<number> {
  const job = jobName ? jobs[jobName] : undefined;
  if (!job) {
    logger.error(`unknown job "${jobName ?? ''}"; known jobs: ${Object.keys(jobs).join(', ')}`);
    return 2;
  }
  await job(argument);
  return 0;
}

main(process.argv[2], process.argv[3]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    logger.error('job failed', { job: process.argv[2], error: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  },
);
