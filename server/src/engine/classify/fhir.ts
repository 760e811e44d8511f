// FHIR resource types that hold data about a person's health, with their categories and how safe the bare name is.
import type { HealthCategory } from '../model';

/**
 * How much the bare (unqualified) resource name can be trusted:
 * - `distinctive`: only FHIR uses it (`AllergyIntolerance`, `Patient`): counts everywhere;
 * - `clinical-word`: a clinical word other software also uses (`Condition` in a rules engine, `Procedure`
 *   in tRPC): counts unless declared or qualified somewhere that is neither FHIR nor clinical;
 * - `generic`: a common software name (`Bundle`, `Claim`, `Coverage`, `DocumentReference`): counts only
 *   when qualified by a FHIR namespace (`fhir4.Bundle`) or declared in a FHIR module.
 */
export type FhirNameTrust = 'distinctive' | 'clinical-word' | 'generic';

export interface FhirResource {
  categories: HealthCategory[];
  trust: FhirNameTrust;
}

const resource = (trust: FhirNameTrust, ...categories: HealthCategory[]): FhirResource => ({ trust, categories });

/** Resources about a person's care (R4/R5). Practitioner, Organization, Location, ValueSet... are deliberately absent. */
export const FHIR_HEALTH_RESOURCES: Readonly<Record<string, FhirResource>> = {
  Patient: resource('distinctive', 'patient-record'),
  Observation: resource('distinctive', 'lab-result', 'vital-sign'),
  Condition: resource('clinical-word', 'condition', 'diagnosis'),
  Procedure: resource('clinical-word', 'procedure'),
  Encounter: resource('clinical-word', 'encounter'),
  EpisodeOfCare: resource('distinctive', 'encounter'),
  Appointment: resource('generic', 'encounter'),
  Medication: resource('clinical-word', 'medication'),
  MedicationRequest: resource('distinctive', 'medication'),
  MedicationStatement: resource('distinctive', 'medication'),
  MedicationAdministration: resource('distinctive', 'medication'),
  MedicationDispense: resource('distinctive', 'medication'),
  MedicationUsage: resource('distinctive', 'medication'),
  AllergyIntolerance: resource('distinctive', 'allergy'),
  DiagnosticReport: resource('distinctive', 'lab-result', 'diagnosis'),
  Specimen: resource('clinical-word', 'lab-result'),
  Immunization: resource('distinctive', 'immunization'),
  ImmunizationEvaluation: resource('distinctive', 'immunization'),
  ImmunizationRecommendation: resource('distinctive', 'immunization'),
  CarePlan: resource('distinctive', 'procedure', 'clinical-note'),
  CareTeam: resource('distinctive', 'encounter'),
  ClinicalImpression: resource('distinctive', 'clinical-note', 'diagnosis'),
  FamilyMemberHistory: resource('distinctive', 'condition', 'genetic'),
  MolecularSequence: resource('distinctive', 'genetic'),
  GenomicStudy: resource('distinctive', 'genetic'),
  ImagingStudy: resource('distinctive', 'procedure'),
  ServiceRequest: resource('generic', 'procedure'),
  NutritionOrder: resource('distinctive', 'procedure'),
  VisionPrescription: resource('distinctive', 'medication'),
  RiskAssessment: resource('generic', 'condition'),
  AdverseEvent: resource('distinctive', 'condition', 'medication'),
  DetectedIssue: resource('generic', 'medication'),
  BodyStructure: resource('distinctive', 'condition'),
  Goal: resource('generic', 'clinical-note'),
  Flag: resource('generic', 'clinical-note'),
  Communication: resource('generic', 'clinical-note'),
  Media: resource('generic', 'clinical-note'),
  Coverage: resource('generic', 'health-insurance'),
  CoverageEligibilityRequest: resource('distinctive', 'health-insurance'),
  CoverageEligibilityResponse: resource('distinctive', 'health-insurance'),
  Claim: resource('generic', 'health-insurance'),
  ClaimResponse: resource('generic', 'health-insurance'),
  ExplanationOfBenefit: resource('distinctive', 'health-insurance'),
  QuestionnaireResponse: resource('distinctive', 'clinical-note'),
  DocumentReference: resource('generic', 'clinical-note'),
  Composition: resource('generic', 'clinical-note'),
  Consent: resource('generic', 'patient-record'),
  Bundle: resource('generic', 'patient-record'),
};

/** Namespace segments that mean "this is the FHIR model": `fhir4.Patient`, `R4.Observation`, `fhir.r5.Encounter`. */
const FHIR_NAMESPACE = /^(fhir\d*|fhir[-_]?r\d+b?|r[2-5]b?|stu3|dstu2|hl7|medplum|fhirclient|fhirtypes|fhir[-_]?types)$/i;

export function isFhirNamespace(segment: string): boolean {
  return FHIR_NAMESPACE.test(segment);
}

/** True for a module specifier or declaration path of a FHIR model (`@types/fhir`, `@medplum/fhirtypes`, `fhir/r4`). */
export function isFhirModulePath(path: string): boolean {
  return /(^|[\\/@._-])(fhir|hl7|medplum)/i.test(path);
}

export function lookupFhirResource(name: string): FhirResource | undefined {
  return Object.prototype.hasOwnProperty.call(FHIR_HEALTH_RESOURCES, name) ? FHIR_HEALTH_RESOURCES[name] : undefined;
}
