// HTTP client of the research partner's ingestion API: study datasets and cohort extracts.
import axios from 'axios';
import type { StudyRow } from '../research/study-dataset';

const PARTNER_API_URL = 'https://api.research-partner.example/v2';

export interface UploadReceipt {
  uploadId: string;
  rows: number;
}

export class PartnerClient {
  constructor(private readonly apiKey: string) {}

  private headers(): Record<string, string> {
    return { Authorization: `Bearer ${this.apiKey}`, 'Content-Type': 'application/json' };
  }

  async sendStudyDataset(studyId: string, rows: StudyRow[]): Promise<UploadReceipt> {
    const response = await axios.post<UploadReceipt>(
      `${PARTNER_API_URL}/studies/${encodeURIComponent(studyId)}/datasets`,
      // expect: insufficient-legal-basis
      { generatedAt: new Date().toISOString(), rows },
      { headers: this.headers(), timeout: 60_000 },
    );
    return response.data;
  }

  async sendCohort(cohortId: string, rows: StudyRow[]): Promise<UploadReceipt> {
    const response = await axios.post<UploadReceipt>(`${PARTNER_API_URL}/cohorts/${encodeURIComponent(cohortId)}`, rows, {
      headers: this.headers(),
    });
    return response.data;
  }
}

export const partnerClient = new PartnerClient(process.env.PARTNER_API_KEY ?? '');
