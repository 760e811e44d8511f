// Activity figures for the clinic's dashboard: counts only, no record leaves.
import { Router } from 'express';
import { fhirRepository } from '../data';
import { daysAgo } from '../lib';

export const statisticsRouter = Router();

statisticsRouter.get('/statistics/activity', async (_req, res) => {
  const [patients, recentConditions] = await Promise.all([
    fhirRepository.countPatients(),
    fhirRepository.conditionsRecordedSince(daysAgo(30)),
  ]);
  const isType2Diabetes = (code: string | undefined) => code?.startsWith('E11') ?? false;

  res.json({
    patients,
    newDiagnosesLast30Days: recentConditions.length,
    newType2DiabetesLast30Days: recentConditions.filter((condition) =>
      condition.code?.coding?.some((coding) => isType2Diabetes(coding.code)),
    ).length,
  });
});
