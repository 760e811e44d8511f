// Referrals to the regional hospital's patient record system, when a clinician sends a patient there for care.
import axios from 'axios';
import type { Condition, MedicationRequest, Patient } from 'fhir/r4';

const HOSPITAL_REFERRALS_URL = 'https://dpi.chu-regional.example/api/referrals';

export interface Referral {
  patient: Patient;
  reason: Condition;
  currentMedications: MedicationRequest[];
  letter: string;
}

/**
 * Sends the referral to the hospital that will treat the patient.
 * @legalBasis gdpr-6-1-e gdpr-9-2-h
 */
export async function sendReferral(referral: Referral): Promise<string> {
  const response = await axios.post<{ referralId: string }>(HOSPITAL_REFERRALS_URL, {
    patient: referral.patient,
    reason: referral.reason.code,
    medications: referral.currentMedications.map((request) => request.medicationCodeableConcept?.text),
    letter: referral.letter,
  });
  return response.data.referralId;
}
