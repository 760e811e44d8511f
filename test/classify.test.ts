// Table-driven tests of the name classifier: tokenizer, field names in context, record names, type names, aggregates.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HealthCategory } from '../server/src/engine/model';
import {
  classifyName,
  classifyRecordName,
  classifyTypeName,
  isAggregateName,
  isClinicalContext,
  type ClassifierOptions,
  type NameContext,
} from '../server/src/engine/classify/names';
import { tokenize } from '../server/src/engine/classify/tokens';

describe('tokenize', () => {
  const cases: [string, string[]][] = [
    ['bloodType', ['blood', 'type']],
    ['BloodType', ['blood', 'type']],
    ['blood_type', ['blood', 'type']],
    ['blood-type', ['blood', 'type']],
    ['patient.blood type', ['patient', 'blood', 'type']],
    ['HIVStatus', ['hiv', 'status']],
    ['labResultsV2', ['lab', 'results', 'v2']],
    ['icd10Code', ['icd10', 'code']],
    ['ICD10Code', ['icd10', 'code']],
    ['cim_10', ['cim10']],
    ['CIM-10', ['cim10']],
    ['icd_9_cm', ['icd9', 'cm']],
    ['atc_5', ['atc5']],
    ['hba1c', ['hba1c']],
    ['HbA1c', ['hba1c']],
    ['HbA1C', ['hba1c']],
    ['SpO2', ['spo2']],
    ['covid-19', ['covid19']],
    ['médicament', ['medicament']],
    ['résultatsAnalyses', ['resultats', 'analyses']],
    ['numéroSécuritéSociale', ['numero', 'securite', 'sociale']],
    ['œdème', ['oedeme']],
    ['GROUPE_SANGUIN', ['groupe', 'sanguin']],
    ['address_line_2', ['address', 'line', '2']],
    ['/api/patients/:id', ['api', 'patients', 'id']],
    ['', []],
  ];
  for (const [identifier, expected] of cases) {
    it(`${JSON.stringify(identifier)} -> ${expected.join(' ')}`, () => assert.deepEqual(tokenize(identifier), expected));
  }
});

type NameCase = [name: string, context: NameContext | undefined, expected: HealthCategory[] | undefined];

function checkNames(cases: NameCase[], options?: ClassifierOptions): void {
  for (const [name, context, expected] of cases) {
    const where = context ? ` ${JSON.stringify(context)}` : '';
    it(`${name}${where} -> ${expected ? expected.join(', ') : 'not health data'}`, () => {
      const result = classifyName(name, context, options);
      if (expected === undefined) {
        assert.equal(result, undefined, result?.reason.text);
        return;
      }
      assert.ok(result, `expected ${name} to be classified`);
      assert.deepEqual(result.categories, expected);
      assert.match(result.reason.text, new RegExp('`' + name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '`'));
    });
  }
}

describe('classifyName: strong terms count without context', () => {
  checkNames([
    ['diagnosis', undefined, ['diagnosis']],
    ['diagnoses', undefined, ['diagnosis']],
    ['primaryDiagnosis', undefined, ['diagnosis']],
    ['diagnostic', undefined, ['diagnosis']],
    ['diagnosticPrincipal', undefined, ['diagnosis']],
    ['icd10Code', undefined, ['diagnosis']],
    ['codeCim10', undefined, ['diagnosis']],
    ['cim_10', undefined, ['diagnosis']],
    ['allergy', undefined, ['allergy']],
    ['allergies', undefined, ['allergy']],
    ['allergieAlimentaire', undefined, ['allergy']],
    ['knownAllergens', undefined, ['allergy']],
    ['medication', undefined, ['medication']],
    ['currentMedications', undefined, ['medication']],
    ['médicaments', undefined, ['medication']],
    ['drug', undefined, ['medication']],
    ['dosage', undefined, ['medication']],
    ['posologie', undefined, ['medication']],
    ['prescription', undefined, ['medication']],
    ['ordonnance', undefined, ['medication']],
    ['labResult', undefined, ['lab-result']],
    ['lab_results', undefined, ['lab-result']],
    ['resultatsAnalyses', undefined, ['lab-result']],
    ['résultatsAnalyses', undefined, ['lab-result']],
    ['bilanSanguin', undefined, ['lab-result']],
    ['bloodType', undefined, ['lab-result']],
    ['bloodGroup', undefined, ['lab-result']],
    ['groupeSanguin', undefined, ['lab-result']],
    ['hba1c', undefined, ['lab-result']],
    ['HbA1c', undefined, ['lab-result']],
    ['glucose', undefined, ['lab-result']],
    ['glycémie', undefined, ['lab-result']],
    ['cholesterol', undefined, ['lab-result']],
    ['vitals', undefined, ['vital-sign']],
    ['vitalSigns', undefined, ['vital-sign']],
    ['heartRate', undefined, ['vital-sign']],
    ['pulseRate', undefined, ['vital-sign']],
    ['bloodPressure', undefined, ['vital-sign']],
    ['tensionArterielle', undefined, ['vital-sign']],
    ['tension_artérielle', undefined, ['vital-sign']],
    ['pulse', undefined, ['vital-sign']],
    ['spo2', undefined, ['vital-sign']],
    ['SpO2', undefined, ['vital-sign']],
    ['bmi', undefined, ['vital-sign']],
    ['imc', undefined, ['vital-sign']],
    ['pregnancy', undefined, ['sexual-reproductive-health']],
    ['isPregnant', undefined, ['sexual-reproductive-health']],
    ['grossesse', undefined, ['sexual-reproductive-health']],
    ['gestationalAge', undefined, ['sexual-reproductive-health']],
    ['contraception', undefined, ['sexual-reproductive-health']],
    ['sexualOrientation', undefined, ['sexual-reproductive-health']],
    ['orientationSexuelle', undefined, ['sexual-reproductive-health']],
    ['hivStatus', undefined, ['condition', 'sexual-reproductive-health']],
    ['HIVStatus', undefined, ['condition', 'sexual-reproductive-health']],
    ['statutVih', undefined, ['condition', 'sexual-reproductive-health']],
    ['disability', undefined, ['disability']],
    ['handicap', undefined, ['disability']],
    ['tauxHandicap', undefined, ['disability']],
    ['mentalHealth', undefined, ['mental-health']],
    ['santeMentale', undefined, ['mental-health']],
    ['psychiatricHistory', undefined, ['condition', 'mental-health']],
    ['depression', undefined, ['mental-health']],
    ['anxietyScore', undefined, ['mental-health']],
    ['suicideRisk', undefined, ['mental-health']],
    ['risqueSuicidaire', undefined, ['mental-health']],
    ['geneticTest', undefined, ['genetic']],
    ['genomeSequence', undefined, ['genetic']],
    ['dna', undefined, ['genetic']],
    ['brca1Status', undefined, ['genetic']],
    ['genotype', undefined, ['genetic']],
    ['vaccination', undefined, ['immunization']],
    ['vaccines', undefined, ['immunization']],
    ['vaccinStatus', undefined, ['immunization']],
    ['immunizations', undefined, ['immunization']],
    ['antecedents', undefined, ['condition']],
    ['antécédentsMédicaux', undefined, ['condition']],
    ['medicalHistory', undefined, ['condition']],
    ['familyHistory', undefined, ['condition', 'genetic']],
    ['symptoms', undefined, ['condition']],
    ['symptômes', undefined, ['condition']],
    ['medicalRecordNumber', undefined, ['health-identifier']],
    ['mrn', undefined, ['health-identifier']],
    ['ipp', undefined, ['health-identifier']],
    ['insNir', undefined, ['health-identifier']],
    ['matriculeIns', undefined, ['health-identifier']],
    ['mutuelle', undefined, ['health-insurance']],
    ['healthInsurance', undefined, ['health-insurance']],
    ['ameliId', undefined, undefined], // a bare internal reference, not the membership
    ['assuranceMaladie', undefined, ['health-insurance']],
    ['carteVitale', undefined, ['health-insurance', 'health-identifier']],
    ['clinicalNotes', undefined, ['clinical-note']],
    ['observationsCliniques', undefined, ['clinical-note']],
    ['compteRendu', undefined, ['clinical-note']],
    ['surgery', undefined, ['procedure']],
    ['chirurgie', undefined, ['procedure']],
    ['sickLeave', undefined, ['condition']],
    ['arretMaladie', undefined, ['condition']],
    ['arretDeTravail', undefined, ['condition']],
    ['therapy', undefined, ['procedure']],
    ['consultation', undefined, ['encounter']],
    ['motifConsultation', undefined, ['encounter']],
    ['patient', undefined, ['patient-record']],
    ['selectedPatient', undefined, ['patient-record']],
    ['dossierMedical', undefined, ['patient-record']],
    ['allergyNotes', undefined, ['allergy', 'clinical-note']],
    ['covidTestResult', undefined, ['lab-result']],
    ['infection', undefined, ['condition']],
    ['effetsIndesirables', undefined, ['medication']],
    ['fertilityTreatment', undefined, ['medication', 'sexual-reproductive-health']],
    ['dosage', { container: 'MedicationRequest', siblings: ['medication', 'dosage', 'patientId'] }, ['medication']],
    ['dementiaStage', undefined, ['condition']],
    ['apneaHypopneaIndex', undefined, ['condition']],
    ['diagnosisIndex', undefined, undefined], // a position in a list, not a diagnosis
    ['inhaledCorticosteroids', undefined, ['medication']],
    ['pathogenicVariants', undefined, ['genetic']],
    ['readmittedWithin30Days', undefined, ['encounter']],
    ['notesPsy', undefined, ['clinical-note', 'mental-health']],
    ['clinicalInformation', undefined, ['clinical-note']],
    ['treatmentPlan', undefined, ['medication']],
    ['insuredNir', undefined, ['health-identifier']],
    ['patientSocialSecurityNumber', undefined, ['health-identifier']],
    ['geneticDisorder', undefined, ['genetic']],
  ]);
});

describe('classifyName: weak terms need a clinical context', () => {
  checkNames([
    ['condition', undefined, undefined],
    ['condition', { container: 'Patient' }, ['condition']],
    ['condition', { siblings: ['onsetDate', 'patientId', 'condition'] }, ['condition']],
    ['condition', { path: 'src/clinical/problems.ts' }, ['condition']],
    ['medicalCondition', undefined, ['condition']],
    ['treatment', undefined, undefined],
    ['treatment', { container: 'Consultation' }, ['medication']],
    ['traitement', { container: 'DossierPatient' }, ['medication']],
    ['notes', undefined, undefined],
    ['notes', { container: 'Encounter' }, ['clinical-note']],
    ['doctorNotes', undefined, ['clinical-note']],
    ['procedure', undefined, undefined],
    ['procedure', { container: 'Visit' }, ['procedure']],
    ['results', undefined, undefined],
    ['results', { container: 'Patient' }, ['lab-result']],
    ['testResult', undefined, undefined],
    ['testResults', { path: '/api/patients/:id/tests' }, ['lab-result']],
    ['history', undefined, undefined],
    ['history', { container: 'Patient' }, ['condition']],
    ['patientHistory', undefined, ['condition']],
    ['cold', undefined, undefined],
    ['cold', { container: 'Patient' }, ['condition']],
    ['weight', undefined, undefined],
    ['weight', { container: 'Patient' }, ['vital-sign']],
    ['height', { siblings: ['weight', 'bloodPressure'] }, ['vital-sign']],
    ['poids', { container: 'Consultation' }, ['vital-sign']],
    ['taille', { container: 'Consultation' }, ['vital-sign']],
    ['temperature', { container: 'Vitals' }, ['vital-sign']],
    ['diagnostics', undefined, undefined],
    ['diagnostics', { container: 'Consultation' }, ['diagnosis']],
    ['visitDate', { container: 'Patient' }, ['encounter']],
    ['nir', undefined, undefined],
    ['nir', { container: 'Patient' }, ['health-identifier']],
    ['numeroSecu', { container: 'Patient' }, ['health-identifier']],
    ['numeroSecuriteSociale', { path: 'src/patients/model.ts' }, ['health-identifier']],
    ['ssn', { container: 'PatientRecord' }, ['health-identifier']],
    ['ins', { container: 'Patient' }, ['health-identifier']],
    ['insurancePlan', { container: 'Patient' }, ['health-insurance']],
    ['insurancePlan', undefined, undefined],
    ['sideEffects', { container: 'MedicationRequest' }, ['medication']],
  ]);
});

describe('classifyName: traps that are not health data', () => {
  checkNames([
    ['health', undefined, undefined],
    ['healthCheck', undefined, undefined],
    ['healthz', undefined, undefined],
    ['healthStatus', undefined, undefined],
    ['isHealthy', undefined, undefined],
    ['healthCheckResults', { container: 'Patient' }, undefined],
    ['status', { container: 'Patient' }, undefined],
    ['code', { container: 'Condition' }, undefined],
    ['type', { container: 'Observation' }, undefined],
    ['treatment', { container: 'experiment' }, undefined],
    ['treatment', { container: 'FeatureFlag' }, undefined],
    ['treatment', { container: 'Patient', siblings: ['variant', 'rollout', 'treatment'] }, undefined],
    ['treatmentGroup', { container: 'Patient' }, undefined],
    ['variant', { container: 'experiment' }, undefined],
    ['diagnostics', { container: 'tsDiagnostics' }, undefined],
    ['diagnostic', { container: 'tsDiagnostics' }, undefined],
    ['diagnostic', { container: 'LintResult' }, undefined],
    ['diagnosticSeverity', undefined, undefined],
    ['diagnosticCollection', undefined, undefined],
    ['diagnostic', { path: 'src/compiler/checker.ts' }, undefined],
    ['diagnostic', { container: 'Consultation' }, ['diagnosis']],
    ['diagnostic', { path: 'src/consultations/model.ts' }, ['diagnosis']],
    ['diagnostic', { path: 'src/compiler/diagnostics.ts' }, undefined],
    ['treatment', { container: 'Consultation', path: 'src/features/consultation/form.tsx' }, ['medication']],
    ['procedure', { container: 'Visit', path: 'src/server/routes/visits.ts' }, ['procedure']],
    ['testResult', { container: 'TestRun', path: 'ci/report.ts' }, undefined],
    ['testResults', { container: 'JestReport' }, undefined],
    ['testResults', { container: 'Patient', siblings: ['suite', 'passed', 'failed'] }, undefined],
    ['cold', { container: 'cache' }, undefined],
    ['coldStart', { container: 'Patient' }, undefined],
    ['coldCache', undefined, undefined],
    ['coldStorage', { container: 'Patient' }, undefined],
    ['prescription', { container: 'PricingPolicy' }, undefined],
    ['prescription', { container: 'LintRule' }, undefined],
    ['prescription', { container: 'StyleConfig' }, undefined],
    ['prescriptionRules', undefined, undefined],
    ['condition', { container: 'Rule' }, undefined],
    ['condition', { container: 'featureFlag' }, undefined],
    ['condition', { container: 'QueryFilter' }, undefined],
    ['condition', { container: 'Patient', siblings: ['operator', 'value'] }, undefined],
    ['weatherCondition', { container: 'Patient' }, undefined],
    ['termsAndConditions', undefined, undefined],
    ['procedure', { container: 'appRouter', path: 'src/server/trpc/router.ts' }, undefined],
    ['storedProcedure', { container: 'Patient' }, undefined],
    ['publicProcedure', { container: 'Visit' }, undefined],
    ['patientId', undefined, undefined],
    ['userId', undefined, undefined],
    ['id', { container: 'Patient' }, undefined],
    ['diagnosisId', undefined, undefined],
    ['allergyService', undefined, undefined],
    ['labResultsUrl', undefined, undefined],
    ['firstName', { container: 'Patient' }, undefined],
    ['lastName', { container: 'Patient' }, undefined],
    ['email', { container: 'Patient' }, undefined],
    ['birthDate', { container: 'Patient' }, undefined],
    ['dateNaissance', { container: 'Patient' }, undefined],
    ['address', { container: 'Patient' }, undefined],
    ['phone', { container: 'Patient' }, undefined],
    ['gender', { container: 'Patient' }, undefined],
    ['patientName', undefined, undefined],
    ['patientCount', undefined, undefined],
    ['countsByDiagnosis', undefined, undefined],
    ['averageHeartRate', undefined, undefined],
    ['nbConsultations', undefined, undefined],
    ['vaccinationRate', undefined, undefined],
    ['temperature', { container: 'ChatCompletionRequest' }, undefined],
    ['temperature', undefined, undefined],
    ['modelWeights', { container: 'Patient' }, undefined],
    ['rowHeight', { container: 'PatientTable' }, undefined],
    ['pulseAnimation', undefined, undefined],
    ['notes', { container: 'ReleaseNotes' }, undefined],
    ['releaseNotes', { container: 'Patient' }, undefined],
    ['history', { container: 'Patient', path: 'src/router/history.ts' }, undefined],
    ['browserHistory', { container: 'Patient' }, undefined],
    ['insurance', { container: 'CarQuote' }, undefined],
    ['coverage', { container: 'Patient', path: 'jest.config.ts' }, undefined],
    ['ssn', { container: 'Employee', path: 'src/payroll/employees.ts' }, undefined],
    ['nir', { container: 'Salarie' }, undefined],
    ['inserts', undefined, undefined],
    ['insights', undefined, undefined],
    ['instance', { container: 'Patient' }, undefined],
    ['stdDev', { container: 'Patient' }, undefined],
    ['stdout', undefined, undefined],
    ['visitor', { container: 'Patient' }, undefined],
    ['pageVisits', { path: 'src/clinical/analytics.ts' }, undefined],
    ['ordonnance', { container: 'TexteJuridique' }, undefined],
    ['encounter', { container: 'Game', siblings: ['enemy', 'hp'] }, undefined],
    ['appointmentSlot', undefined, undefined],
    ['dossier', { container: 'UploadConfig' }, undefined],
    ['mutationResult', { container: 'Patient' }, undefined],
    ['dnaOfTheBrand', undefined, undefined],
    ['assetImpairment', undefined, undefined],
    ['geneticAlgorithm', undefined, undefined],
    ['genome', { container: 'GeneticOptimizer' }, undefined],
    ['covidBanner', undefined, undefined],
    ['infection', { container: 'MalwareScan', path: 'src/security/antivirus.ts' }, undefined],
    ['sideEffects', { container: 'packageJson' }, undefined],
    ['sideEffects', undefined, undefined],
    ['psychologicalSafety', undefined, undefined],
    ['soilFertility', undefined, undefined],
    ['xrayTraceId', undefined, undefined],
    ['greffe', { container: 'Tribunal' }, undefined],
    ['ehrVendor', undefined, undefined],
    ['emrSystem', undefined, undefined],
    ['diagnosis', { container: 'UpgradePrescription', siblings: ['repository', 'bumps', 'codemods', 'diagnosis'] }, undefined],
    ['diagnosis', { container: 'Incident', path: 'src/incidents/postmortem.ts' }, undefined],
    ['rootCauseDiagnosis', undefined, undefined],
    ['symptoms', { container: 'BugReport' }, undefined],
    ['dosage', { container: 'Prescription', path: 'src/policy/dependency-policy.ts', siblings: ['nodeVersion', 'lint', 'forbiddenPackages'] }, undefined],
    ['prescription', { container: 'upgradeBot' }, undefined],
    ['upgradePrescription', undefined, undefined],
    ['visitsPerDiagnosis', undefined, undefined],
  ]);
});

describe('classifyName: explanations', () => {
  it('names the term and its category for a strong term', () => {
    const result = classifyName('bloodType');
    assert.deepEqual(result?.reason, {
      kind: 'term',
      matched: 'blood type',
      text: "name `bloodType` matches the health term 'blood type' (lab-result)",
    });
  });

  it('names the context that made a weak term count', () => {
    const result = classifyName('condition', { container: 'Patient' });
    assert.equal(result?.reason.context, 'inside `Patient`');
    assert.equal(result?.reason.text, "name `condition` matches the health term 'condition' (condition), which counts here because it is inside `Patient`");
  });

  it('names the sibling that made a weak term count', () => {
    const result = classifyName('notes', { siblings: ['notes', 'diagnosis', 'createdAt'] });
    assert.equal(result?.reason.context, 'next to `diagnosis`');
    assert.deepEqual(result?.categories, ['clinical-note']);
  });

  it('names the path that made a weak term count', () => {
    assert.equal(classifyName('notes', { path: 'src/clinical/visits.ts' })?.reason.context, 'in `src/clinical/visits.ts`');
  });

  it('names a clinical word inside the name', () => {
    assert.equal(classifyName('patientNotes')?.reason.context, 'qualified by `patient` in the name');
  });

  it('shows the whole word for word beginnings', () => {
    assert.equal(classifyName('suicidalIdeation')?.reason.matched, 'suicidal');
  });
});

describe('classifyName: configuration', () => {
  const options: ClassifierOptions = { extraTerms: [{ term: 'sleepScore', categories: ['vital-sign'] }], ignoreTerms: ['cold', 'treatment'] };

  it('adds configured terms as strong terms and says they are configured', () => {
    const result = classifyName('sleepScore', undefined, options);
    assert.deepEqual(result?.categories, ['vital-sign']);
    assert.equal(result?.reason.kind, 'config');
    assert.match(result?.reason.text ?? '', /configured health term 'sleepScore'/);
  });

  it('matches configured terms in other spellings and inside longer names', () => {
    assert.deepEqual(classifyName('sleep_score', undefined, options)?.categories, ['vital-sign']);
    assert.deepEqual(classifyName('lastNightSleepScore', undefined, options)?.categories, ['vital-sign']);
  });

  it('ignores ignored terms even in a clinical context, with their plurals', () => {
    assert.equal(classifyName('cold', { container: 'Patient' }, options), undefined);
    assert.equal(classifyName('treatments', { container: 'Patient' }, options), undefined);
  });

  it('keeps the other terms when some are ignored', () => {
    assert.deepEqual(classifyName('diagnosis', undefined, options)?.categories, ['diagnosis']);
    assert.deepEqual(classifyName('notes', { container: 'Patient' }, options)?.categories, ['clinical-note']);
  });

  it('does not let configuration leak into calls without it', () => {
    assert.equal(classifyName('sleepScore'), undefined);
    assert.deepEqual(classifyName('cold', { container: 'Patient' })?.categories, ['condition']);
  });
});

describe('classifyRecordName', () => {
  const cases: [string, HealthCategory[] | undefined][] = [
    ['patient', ['patient-record']],
    ['patients', ['patient-record']],
    ['allPatients', ['patient-record']],
    ['patientRecord', ['patient-record']],
    ['patientRecords', ['patient-record']],
    ['patientsById', ['patient-record']],
    ['PatientModel', ['patient-record']],
    ['medicalRecord', ['patient-record']],
    ['medical_records', ['patient-record']],
    ['dossierMedical', ['patient-record']],
    ['dossiersMedicaux', ['patient-record']],
    ['dossierPatient', ['patient-record']],
    ['healthRecord', ['patient-record']],
    ['ehr', ['patient-record']],
    ['ehrRecords', ['patient-record']],
    ['emr', ['patient-record']],
    ['consultation', ['encounter']],
    ['consultations', ['encounter']],
    ['encounters', ['encounter']],
    ['prescriptions', ['medication']],
    ['ordonnances', ['medication']],
    ['medications', ['medication']],
    ['labResults', ['lab-result']],
    ['observations', ['lab-result', 'vital-sign']],
    ['conditions', ['condition']],
    ['allergies', ['allergy']],
    ['vaccinations', ['immunization']],
    ['diagnoses', ['diagnosis']],
    ['user', undefined],
    ['users', undefined],
    ['account', undefined],
    ['customer', undefined],
    ['doctor', undefined],
    ['practitioner', undefined],
    ['appointmentSlot', undefined],
    ['healthCheck', undefined],
    ['invoice', undefined],
    ['patientService', undefined],
    ['patientCount', undefined],
    ['treatments', undefined],
    ['visits', undefined],
    ['notes', undefined],
    ['diagnostics', undefined],
    ['procedures', undefined],
  ];
  for (const [name, expected] of cases) {
    it(`${name} -> ${expected ? expected.join(', ') : 'not a health record'}`, () => {
      const result = classifyRecordName(name);
      assert.deepEqual(result?.categories, expected, result?.reason.text);
      if (result) assert.match(result.reason.text, new RegExp(`record name \`${name}\``));
    });
  }

  it('uses configured terms and ignores ignored ones', () => {
    const options: ClassifierOptions = { extraTerms: [{ term: 'suivi', categories: ['encounter'] }], ignoreTerms: ['consultation'] };
    assert.deepEqual(classifyRecordName('suivis', options)?.categories, ['encounter']);
    assert.equal(classifyRecordName('suivis', options)?.reason.kind, 'config');
    assert.equal(classifyRecordName('consultations', options), undefined);
  });
});

describe('classifyTypeName', () => {
  const cases: [string, HealthCategory[] | undefined][] = [
    ['Patient', ['patient-record']],
    ['fhir4.Patient', ['patient-record']],
    ['R4.Patient', ['patient-record']],
    ['fhir.r4.Patient', ['patient-record']],
    ['Observation', ['lab-result', 'vital-sign']],
    ['fhir4.Observation', ['lab-result', 'vital-sign']],
    ['Condition', ['diagnosis', 'condition']],
    ['MedicationRequest', ['medication']],
    ['MedicationStatement', ['medication']],
    ['Medication', ['medication']],
    ['MedicationAdministration', ['medication']],
    ['AllergyIntolerance', ['allergy']],
    ['DiagnosticReport', ['diagnosis', 'lab-result']],
    ['Encounter', ['encounter']],
    ['Immunization', ['immunization']],
    ['Procedure', ['procedure']],
    ['CarePlan', ['procedure', 'clinical-note']],
    ['ClinicalImpression', ['diagnosis', 'clinical-note']],
    ['FamilyMemberHistory', ['condition', 'genetic']],
    ['Specimen', ['lab-result']],
    ['MolecularSequence', ['genetic']],
    ['fhir4.Coverage', ['health-insurance']],
    ['R4.Claim', ['health-insurance']],
    ['ExplanationOfBenefit', ['health-insurance']],
    ['QuestionnaireResponse', ['clinical-note']],
    ['fhir4.DocumentReference', ['clinical-note']],
    ['fhir4.Composition', ['clinical-note']],
    ['fhir4.Bundle', ['patient-record']],
    ['PatientRecord', ['patient-record']],
    ['MedicalRecord', ['patient-record']],
    ['LabResult', ['lab-result']],
    ['Prescription', ['medication']],
    ['DossierMedical', ['patient-record']],
    ['Ordonnance', ['medication']],
    ['Consultation', ['encounter']],
    ['VitalSigns', ['vital-sign']],
    ['PatientDto', ['patient-record']],
    ['CreatePatientInput', ['patient-record']],
    ['IPatient', ['patient-record']],
    ['PatientResponseV2', ['patient-record']],
    ['Patient[]', ['patient-record']],
    ['Promise<fhir4.Observation>', ['lab-result', 'vital-sign']],
    ['Patient | undefined', ['patient-record']],
    ['User', undefined],
    ['Practitioner', undefined],
    ['PractitionerRole', undefined],
    ['Organization', undefined],
    ['Location', undefined],
    ['HealthCheckResult', undefined],
    ['Diagnostic', undefined],
    ['ts.Diagnostic', undefined],
    ['vscode.Diagnostic', undefined],
    ['TestResult', undefined],
    ['FeatureFlag', undefined],
    ['Coverage', undefined],
    ['Claim', undefined],
    ['Bundle', undefined],
    ['DocumentReference', undefined],
    ['rules.Condition', undefined],
    ['PatientService', undefined],
    ['Patient | User', undefined],
  ];
  for (const [typeName, expected] of cases) {
    it(`${typeName} -> ${expected ? expected.join(', ') : 'not a health type'}`, () => {
      const result = classifyTypeName(typeName);
      assert.deepEqual(result?.categories, expected, result?.reason.text);
      if (result) assert.equal(result.reason.kind, 'type');
    });
  }

  it('trusts a clinical word only where it is declared for health', () => {
    assert.deepEqual(classifyTypeName('Condition', { declarationPath: 'node_modules/@types/fhir/r4.d.ts' })?.categories, ['diagnosis', 'condition']);
    assert.deepEqual(classifyTypeName('Condition', { declarationPath: 'src/clinical/model.ts' })?.categories, ['diagnosis', 'condition']);
    assert.equal(classifyTypeName('Condition', { declarationPath: 'src/rules/engine.ts' }), undefined);
    assert.deepEqual(classifyTypeName('Bundle', { declarationPath: '@medplum/fhirtypes' })?.categories, ['patient-record']);
  });

  it('reads the software sense of an app type from the file that declares it', () => {
    assert.equal(classifyTypeName('Prescription', { declarationPath: 'src/policy/dependency-policy.ts' }), undefined);
    assert.deepEqual(classifyTypeName('Prescription', { declarationPath: 'src/clinical/prescriptions.ts' })?.categories, ['medication']);
    assert.equal(classifyTypeName('UpgradePrescription'), undefined);
  });

  it('uses configured health types, qualified or not, and says they are configured', () => {
    const options = { healthTypes: { Dossier: ['patient-record'] as HealthCategory[] } };
    const result = classifyTypeName('models.Dossier', options);
    assert.deepEqual(result?.categories, ['patient-record']);
    assert.equal(result?.reason.kind, 'config');
  });

  it('explains FHIR resources', () => {
    assert.equal(classifyTypeName('fhir4.Observation')?.reason.text, 'type `fhir4.Observation` is the FHIR resource Observation (lab-result, vital-sign)');
  });
});

describe('isClinicalContext', () => {
  const cases: [string, boolean][] = [
    ['Patient', true],
    ['patient', true],
    ['visit', true],
    ['Consultation', true],
    ['Encounter', true],
    ['DossierPatient', true],
    ['MedicalRecord', true],
    ['ehr', true],
    ['fhirClient', true],
    ['hopital', true],
    ['soins', true],
    ['Observation', true],
    ['LabResult', true],
    ['/api/patients/:id', true],
    ['src/clinical/visits.ts', true],
    ['FeatureFlag', false],
    ['experiment', false],
    ['tsDiagnostics', false],
    ['health', false],
    ['/health', false],
    ['healthCheck', false],
    ['User', false],
    ['pageVisit', false],
    ['customerCare', false],
    ['GameEncounter', false],
    ['dossierUpload', false],
    ['consultationPublique', false],
  ];
  for (const [name, expected] of cases) {
    it(`${name} -> ${expected}`, () => assert.equal(isClinicalContext(name), expected));
  }
});

describe('isAggregateName', () => {
  const cases: [string, boolean][] = [
    ['count', true],
    ['total', true],
    ['patientCount', true],
    ['countsByDiagnosis', true],
    ['avgGlucose', true],
    ['meanBmi', true],
    ['medianAge', true],
    ['nbPatients', true],
    ['nombreConsultations', true],
    ['numberOfVisits', true],
    ['numPatients', true],
    ['vaccinationRate', true],
    ['diabetesPrevalence', true],
    ['diagnosisHistogram', true],
    ['stats', true],
    ['visitsPerDiagnosis', true],
    ['mgPerDl', false],
    ['diagnosis', false],
    ['patientId', false],
    ['heartRate', false],
    ['frequenceCardiaque', false],
    ['numSecu', false],
    ['phoneNumber', false],
    ['tauxGlycemie', false],
  ];
  for (const [name, expected] of cases) {
    it(`${name} -> ${expected}`, () => assert.equal(isAggregateName(name), expected));
  }
});
