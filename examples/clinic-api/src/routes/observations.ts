// Lab results and vital signs of a patient, as a FHIR searchset Bundle, with the panels that matter for their conditions.
import { Router } from 'express';
import * as Sentry from '@sentry/node';
import type { Bundle, Condition, Observation } from 'fhir/r4';
import { fhirRepository } from '../data';

export const observationsRouter = Router();

/** LOINC codes followed for each ICD-10 category of the problem list. */
const PANELS_BY_ICD10_CATEGORY: Record<string, string[]> = {
  E11: ['4548-4', '2345-7'], // type 2 diabetes: HbA1c, fasting glucose
  I10: ['8480-6', '8462-4'], // hypertension: systolic and diastolic pressure
  N18: ['2160-0', '33914-3'], // chronic kidney disease: creatinine, eGFR
};
const ALWAYS_SHOWN = ['8867-4', '29463-7']; // heart rate, body weight

function panelCodesFor(conditions: Condition[]): string[] {
  const codes = conditions.flatMap((condition) => {
    const category = condition.code?.coding?.[0]?.code?.slice(0, 3) ?? '';
    return PANELS_BY_ICD10_CATEGORY[category] ?? [];
  });
  return [...new Set([...ALWAYS_SHOWN, ...codes])];
}

function toSearchset(observations: Observation[]): Bundle<Observation> {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: observations.length,
    entry: observations.map((resource) => ({ fullUrl: `Observation/${resource.id}`, resource })),
  };
}

// Not in the register: this route was added after the care-api entry, which only names patients.ts.
observationsRouter.get('/patients/:id/observations', async (req, res) => {
  const conditions = await fhirRepository.conditionsOf(req.params.id);
  try {
    const observations = await fhirRepository.observationsOf(req.params.id, panelCodesFor(conditions));
    // expect: unprotected-export
    res.json(toSearchset(observations));
  } catch (error) {
    // expect: third-party-disclosure
    Sentry.captureException(error, {
      tags: { route: 'observations' },
      extra: { patientId: req.params.id, activeConditions: conditions.map((condition) => condition.code?.text) },
    });
    res.status(500).json({ error: 'Could not load observations' });
  }
});
