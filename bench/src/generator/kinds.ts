// The clinical resource kinds a generated service package is built around (FHIR-like types declared in the
// shared package) and the care areas that name the packages.

export interface ResourceKind {
  /** FHIR resource type name, declared in `packages/shared/src/fhir.ts`. */
  type: string;
  /** kebab-case file stem and route segment. */
  slug: string;
  /** PascalCase stem of generated class names. */
  pascal: string;
  /** Field holding the clinical code (a CodeableConcept). */
  codeField: string;
  /** Field holding when it happened (an ISO date string). */
  dateField: string;
  /** Name of the clinical field in the DTOs and exports: health data by name as well as by origin. */
  healthField: string;
  /** A plausible code system URL for this kind. */
  codeSystem: string;
  /** Codes the generated code filters on. */
  codes: readonly string[];
}

export const RESOURCE_KINDS: readonly ResourceKind[] = [
  { type: 'Condition', slug: 'condition', pascal: 'Condition', codeField: 'code', dateField: 'onsetDateTime', healthField: 'diagnosis', codeSystem: 'http://hl7.org/fhir/sid/icd-10', codes: ['E11.9', 'I10', 'J45.909', 'F32.1', 'C50.911'] },
  { type: 'MedicationRequest', slug: 'prescription', pascal: 'Prescription', codeField: 'medicationCodeableConcept', dateField: 'authoredOn', healthField: 'medication', codeSystem: 'http://www.whocc.no/atc', codes: ['A10BA02', 'C09AA05', 'N06AB06', 'R03AC02', 'J01CA04'] },
  { type: 'AllergyIntolerance', slug: 'allergy', pascal: 'Allergy', codeField: 'code', dateField: 'recordedDate', healthField: 'allergen', codeSystem: 'http://snomed.info/sct', codes: ['91936005', '300913006', '417532002', '294505008'] },
  { type: 'Observation', slug: 'lab-result', pascal: 'LabResult', codeField: 'code', dateField: 'effectiveDateTime', healthField: 'labResult', codeSystem: 'http://loinc.org', codes: ['4548-4', '2345-7', '2093-3', '718-7', '33914-3'] },
  { type: 'Immunization', slug: 'immunization', pascal: 'Immunization', codeField: 'vaccineCode', dateField: 'occurrenceDateTime', healthField: 'vaccine', codeSystem: 'http://hl7.org/fhir/sid/cvx', codes: ['208', '140', '33', '115', '187'] },
  { type: 'Procedure', slug: 'procedure', pascal: 'Procedure', codeField: 'code', dateField: 'performedDateTime', healthField: 'procedure', codeSystem: 'http://snomed.info/sct', codes: ['80146002', '73761001', '387713003', '71388002'] },
  { type: 'Encounter', slug: 'encounter', pascal: 'Encounter', codeField: 'reasonCode', dateField: 'startedAt', healthField: 'visitReason', codeSystem: 'http://snomed.info/sct', codes: ['185349003', '390906007', '270427003'] },
];

export const CARE_AREAS: readonly string[] = [
  'cardiology', 'oncology', 'pediatrics', 'dermatology', 'neurology', 'psychiatry', 'nephrology', 'endocrinology',
  'pneumology', 'rheumatology', 'geriatrics', 'maternity', 'radiology', 'urology', 'ophthalmology', 'gastroenterology',
  'hematology', 'infectiology', 'orthopedics', 'emergency', 'anesthesia', 'pharmacy', 'laboratory', 'primary-care',
];

export function camel(kebab: string): string {
  return kebab.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function pascal(kebab: string): string {
  const c = camel(kebab);
  return c[0]!.toUpperCase() + c.slice(1);
}
