// Monthly statement of consultations sent to the patient's complementary health insurer (mutuelle) for reimbursement.
import axios from 'axios';
import type { Condition } from 'fhir/r4';

const INSURER_API_URL = 'https://api.mutuelle-partenaire.example/v1';

export interface BilledConsultation {
  date: string;
  amountInCents: number;
  condition: Condition;
}

/**
 * Reimbursement is in the patient's interest and ours: legitimate interests.
 * @legalBasis gdpr-6-1-f
 */
export async function sendInsurerStatement(memberNumber: string, period: string, consultations: BilledConsultation[]): Promise<void> {
  const statement = {
    memberNumber,
    period,
    lines: consultations.map(({ date, amountInCents, condition }) => ({
      date,
      amountInCents,
      diagnosisCode: condition.code?.coding?.[0]?.code,
    })),
  };
  // expect: insufficient-legal-basis
  await axios.post(`${INSURER_API_URL}/statements`, statement, { headers: { 'X-Provider-Id': process.env.PROVIDER_ID ?? '' } });
}
