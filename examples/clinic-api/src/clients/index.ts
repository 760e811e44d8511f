// Clients of the external APIs the service talks to.
export { PartnerClient, partnerClient } from './partner-client';
export type { UploadReceipt } from './partner-client';
