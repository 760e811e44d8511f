// Development seed: a few patients for local runs, inserted into the local database only.
import type { Patient } from 'fhir/r4';
import { fhirRepository } from '../data';

/** OID of the INS built on the NIR; .10 is the test OID. */
const INS_NIR_OID = 'urn:oid:1.2.250.1.213.1.4.8';
const INS_TEST_OID = 'urn:oid:1.2.250.1.213.1.4.10';

export const DEV_PATIENTS: Patient[] = [
  {
    resourceType: 'Patient',
    id: 'dev-0001',
    active: true,
    identifier: [
      {
        system: INS_NIR_OID,
        // copied from a real record "to test the INS screen": the key is valid
        // expect: hardcoded-health-identifier
        value: '2 85 07 75 112 048 17',
      },
    ],
    name: [{ family: 'Lefèvre', given: ['Camille'] }],
    gender: 'female',
    birthDate: '1985-07-14',
  },
  {
    resourceType: 'Patient',
    id: 'dev-0002',
    active: true,
    // synthetic: test OID and a key that cannot be valid
    identifier: [{ system: INS_TEST_OID, value: '1 79 12 35 238 114 00' }],
    name: [{ family: 'Test', given: ['Patient'] }],
    gender: 'male',
    birthDate: '1979-12-01',
  },
];

export async function seedDevDatabase(): Promise<void> {
  for (const patient of DEV_PATIENTS) await fhirRepository.savePatient(patient);
}
