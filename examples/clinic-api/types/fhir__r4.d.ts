// Subset of @types/fhir (module "fhir/r4"): FHIR R4 resource and datatype interfaces.
declare module 'fhir/r4' {
  interface Element {
    id?: string;
    extension?: Extension[];
  }
  interface Extension extends Element {
    url: string;
    valueString?: string;
    valueCode?: string;
    valueBoolean?: boolean;
  }
  interface Meta extends Element {
    versionId?: string;
    lastUpdated?: string;
    profile?: string[];
  }
  interface Coding extends Element {
    system?: string;
    version?: string;
    code?: string;
    display?: string;
    userSelected?: boolean;
  }
  interface CodeableConcept extends Element {
    coding?: Coding[];
    text?: string;
  }
  interface Identifier extends Element {
    use?: 'usual' | 'official' | 'temp' | 'secondary' | 'old';
    type?: CodeableConcept;
    system?: string;
    value?: string;
    period?: Period;
    assigner?: Reference;
  }
  interface Reference extends Element {
    reference?: string;
    type?: string;
    identifier?: Identifier;
    display?: string;
  }
  interface Period extends Element {
    start?: string;
    end?: string;
  }
  interface Quantity extends Element {
    value?: number;
    comparator?: '<' | '<=' | '>=' | '>';
    unit?: string;
    system?: string;
    code?: string;
  }
  interface Range extends Element {
    low?: Quantity;
    high?: Quantity;
  }
  interface Annotation extends Element {
    authorReference?: Reference;
    authorString?: string;
    time?: string;
    text: string;
  }
  interface HumanName extends Element {
    use?: 'usual' | 'official' | 'temp' | 'nickname' | 'anonymous' | 'old' | 'maiden';
    text?: string;
    family?: string;
    given?: string[];
    prefix?: string[];
    suffix?: string[];
  }
  interface ContactPoint extends Element {
    system?: 'phone' | 'fax' | 'email' | 'pager' | 'url' | 'sms' | 'other';
    value?: string;
    use?: 'home' | 'work' | 'temp' | 'old' | 'mobile';
  }
  interface Address extends Element {
    use?: 'home' | 'work' | 'temp' | 'old' | 'billing';
    line?: string[];
    city?: string;
    postalCode?: string;
    country?: string;
  }
  interface Attachment extends Element {
    contentType?: string;
    data?: string;
    url?: string;
    title?: string;
  }
  interface Dosage extends Element {
    sequence?: number;
    text?: string;
    timing?: { code?: CodeableConcept };
    route?: CodeableConcept;
    doseAndRate?: { doseQuantity?: Quantity }[];
  }
  interface Resource {
    resourceType: string;
    id?: string;
    meta?: Meta;
  }
  interface DomainResource extends Resource {
    text?: { status: string; div: string };
    extension?: Extension[];
  }
  interface Patient extends DomainResource {
    resourceType: 'Patient';
    identifier?: Identifier[];
    active?: boolean;
    name?: HumanName[];
    telecom?: ContactPoint[];
    gender?: 'male' | 'female' | 'other' | 'unknown';
    birthDate?: string;
    deceasedBoolean?: boolean;
    address?: Address[];
    generalPractitioner?: Reference[];
  }
  interface Condition extends DomainResource {
    resourceType: 'Condition';
    identifier?: Identifier[];
    clinicalStatus?: CodeableConcept;
    verificationStatus?: CodeableConcept;
    category?: CodeableConcept[];
    severity?: CodeableConcept;
    code?: CodeableConcept;
    bodySite?: CodeableConcept[];
    subject: Reference;
    encounter?: Reference;
    onsetDateTime?: string;
    recordedDate?: string;
    note?: Annotation[];
  }
  interface Observation extends DomainResource {
    resourceType: 'Observation';
    identifier?: Identifier[];
    status: 'registered' | 'preliminary' | 'final' | 'amended' | 'corrected' | 'cancelled' | 'entered-in-error' | 'unknown';
    category?: CodeableConcept[];
    code: CodeableConcept;
    subject?: Reference;
    encounter?: Reference;
    effectiveDateTime?: string;
    issued?: string;
    valueQuantity?: Quantity;
    valueCodeableConcept?: CodeableConcept;
    valueString?: string;
    interpretation?: CodeableConcept[];
    note?: Annotation[];
    referenceRange?: { low?: Quantity; high?: Quantity; text?: string }[];
    component?: { code: CodeableConcept; valueQuantity?: Quantity }[];
  }
  interface MedicationRequest extends DomainResource {
    resourceType: 'MedicationRequest';
    identifier?: Identifier[];
    status: 'active' | 'on-hold' | 'cancelled' | 'completed' | 'entered-in-error' | 'stopped' | 'draft' | 'unknown';
    intent: 'proposal' | 'plan' | 'order' | 'original-order' | 'reflex-order' | 'filler-order' | 'instance-order' | 'option';
    medicationCodeableConcept?: CodeableConcept;
    medicationReference?: Reference;
    subject: Reference;
    encounter?: Reference;
    authoredOn?: string;
    requester?: Reference;
    reasonCode?: CodeableConcept[];
    note?: Annotation[];
    dosageInstruction?: Dosage[];
  }
  interface AllergyIntolerance extends DomainResource {
    resourceType: 'AllergyIntolerance';
    identifier?: Identifier[];
    clinicalStatus?: CodeableConcept;
    type?: 'allergy' | 'intolerance';
    category?: ('food' | 'medication' | 'environment' | 'biologic')[];
    criticality?: 'low' | 'high' | 'unable-to-assess';
    code?: CodeableConcept;
    patient: Reference;
    recordedDate?: string;
    reaction?: { substance?: CodeableConcept; manifestation: CodeableConcept[]; severity?: 'mild' | 'moderate' | 'severe' }[];
  }
  interface DiagnosticReport extends DomainResource {
    resourceType: 'DiagnosticReport';
    identifier?: Identifier[];
    status: 'registered' | 'partial' | 'preliminary' | 'final' | 'amended' | 'corrected' | 'appended' | 'cancelled' | 'entered-in-error' | 'unknown';
    category?: CodeableConcept[];
    code: CodeableConcept;
    subject?: Reference;
    encounter?: Reference;
    effectiveDateTime?: string;
    issued?: string;
    result?: Reference[];
    conclusion?: string;
    conclusionCode?: CodeableConcept[];
    presentedForm?: Attachment[];
  }
  interface Encounter extends DomainResource {
    resourceType: 'Encounter';
    identifier?: Identifier[];
    status: 'planned' | 'arrived' | 'triaged' | 'in-progress' | 'onleave' | 'finished' | 'cancelled' | 'entered-in-error' | 'unknown';
    class: Coding;
    type?: CodeableConcept[];
    subject?: Reference;
    participant?: { individual?: Reference }[];
    period?: Period;
    reasonCode?: CodeableConcept[];
    diagnosis?: { condition: Reference; rank?: number }[];
    serviceProvider?: Reference;
  }
  interface Immunization extends DomainResource {
    resourceType: 'Immunization';
    identifier?: Identifier[];
    status: 'completed' | 'entered-in-error' | 'not-done';
    vaccineCode: CodeableConcept;
    patient: Reference;
    occurrenceDateTime?: string;
    lotNumber?: string;
    site?: CodeableConcept;
    doseQuantity?: Quantity;
  }
  interface Procedure extends DomainResource {
    resourceType: 'Procedure';
    identifier?: Identifier[];
    status: 'preparation' | 'in-progress' | 'not-done' | 'on-hold' | 'stopped' | 'completed' | 'entered-in-error' | 'unknown';
    code?: CodeableConcept;
    subject: Reference;
    encounter?: Reference;
    performedDateTime?: string;
    reasonCode?: CodeableConcept[];
    bodySite?: CodeableConcept[];
    outcome?: CodeableConcept;
    note?: Annotation[];
  }
  interface Coverage extends DomainResource {
    resourceType: 'Coverage';
    identifier?: Identifier[];
    status: 'active' | 'cancelled' | 'draft' | 'entered-in-error';
    type?: CodeableConcept;
    subscriberId?: string;
    beneficiary: Reference;
    payor: Reference[];
    period?: Period;
  }
  type FhirResource =
    | Patient
    | Condition
    | Observation
    | MedicationRequest
    | AllergyIntolerance
    | DiagnosticReport
    | Encounter
    | Immunization
    | Procedure
    | Coverage;
  interface BundleEntry<T = FhirResource> extends Element {
    fullUrl?: string;
    resource?: T;
    search?: { mode?: 'match' | 'include' | 'outcome'; score?: number };
  }
  interface Bundle<T = FhirResource> extends Resource {
    resourceType: 'Bundle';
    type: 'document' | 'message' | 'transaction' | 'transaction-response' | 'batch' | 'batch-response' | 'history' | 'searchset' | 'collection';
    total?: number;
    timestamp?: string;
    entry?: BundleEntry<T>[];
  }
}
