// Patient record API for the clinicians' front end (covered by the care-api entry of the register).
import { Router } from 'express';
import { fhirRepository } from '../data';
import { logEvent } from '../lib';

export const patientsRouter = Router();

patientsRouter.get('/patients/:id', async (req, res) => {
  const patient = await fhirRepository.findPatient(req.params.id);
  if (!patient) {
    res.status(404).json({ error: 'Patient not found' });
    return;
  }
  const conditions = await fhirRepository.conditionsOf(req.params.id);

  logEvent('patient record opened', {
    patientId: patient.id,
    practitionerId: req.header('x-practitioner-id'),
    primaryDiagnosis: conditions[0]?.code?.text,
  });

  res.json({ patient, conditions });
});
