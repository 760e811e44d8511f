// The field view in the engine: schema-file parsers, field declarations mapped from data-flow sources, overrides, and
// the exported-health-field rule's severity (off by default in the CLI).
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { MemoryStore, scan } from '../server/src/engine/index';
import type { AnalysisResult } from '../server/src/engine/model';
import { loadConfig } from '../server/src/engine/load-config';
import { parsePrismaSchema } from '../server/src/engine/fields/schemas/prisma';
import { parseGraphqlSchema } from '../server/src/engine/fields/schemas/graphql';
import { parseSqlSchema } from '../server/src/engine/fields/schemas/sql';
import { parseOpenApiSchema } from '../server/src/engine/fields/schemas/openapi';
import { typeNameOf } from '../server/src/engine/fields/schemas';
import { findRepositoryRoot } from './support/fixtures';

const root = findRepositoryRoot();
const names = (fields: { container: string; field: string; line: number }[]) => fields.map((f) => `${f.container}.${f.field}@${f.line}`);

describe('schema parsers', () => {
  test('Prisma: model fields with their line, block attributes and comments skipped, `///` tags read', () => {
    const fields = parsePrismaSchema('model Patient {\n  id String @id\n  // a comment\n  /// @healthData allergy\n  notes String?\n  @@map("patients")\n}\nenum Role {\n  ADMIN\n}\n');
    assert.deepEqual(names(fields), ['Patient.id@2', 'Patient.notes@5']);
    assert.deepEqual(fields[1].tag, { kind: 'health', categories: ['allergy'] });
  });

  test('GraphQL: object and input types, not the operation roots; descriptions are not fields', () => {
    const fields = parseGraphqlSchema('type Query {\n  patient(id: ID!): Patient\n}\n"""\nA patient\n"""\ntype Patient {\n  "the main one"\n  diagnosis(lang: String): String @healthData\n}\ninput NewVisit { reason: String }\n');
    assert.deepEqual(names(fields), ['Patient.diagnosis@9']);
    assert.equal(fields[0].tag?.kind, 'health');
  });

  test('SQL: columns of CREATE TABLE, constraints skipped, a trailing comment tags its own column only', () => {
    const fields = parseSqlSchema('CREATE TABLE IF NOT EXISTS "public"."labs" (\n  id INT PRIMARY KEY,\n  value NUMERIC(5, 2), -- @healthData lab-result\n  taken_on DATE,\n  PRIMARY KEY (id),\n  CONSTRAINT c CHECK (value > 0)\n);\nINSERT INTO labs VALUES (1, 2);\n');
    assert.deepEqual(names(fields), ['labs.id@2', 'labs.value@3', 'labs.taken_on@4']);
    assert.equal(fields[1].tag?.kind, 'health');
    assert.equal(fields[2].tag, undefined);
  });

  test('OpenAPI: components.schemas properties (allOf included) at their key line; x-health-data tags', () => {
    const yaml = 'openapi: 3.0.0\ncomponents:\n  schemas:\n    Lab:\n      allOf:\n        - properties:\n            code:\n              type: string\n      properties:\n        value:\n          x-health-data: false\n';
    const fields = parseOpenApiSchema(yaml);
    assert.deepEqual(names(fields).sort(), ['Lab.code@7', 'Lab.value@10']);
    assert.deepEqual(fields.find((f) => f.field === 'value')?.tag, { kind: 'not', categories: [] });
    assert.deepEqual(names(parseOpenApiSchema('{"swagger": "2.0", "definitions": {"P": {"properties": {"allergy": {}}}}}')), ['P.allergy@1']);
  });

  test('table names map to type names for merging', () => {
    assert.equal(typeNameOf('mood_entries'), 'MoodEntry');
    assert.equal(typeNameOf('patients'), 'Patient');
    assert.equal(typeNameOf('diagnosis'), 'Diagnosis');
  });
});

describe('fields in the engine', () => {
  const scanCase = (directory: string, rules?: Record<string, string>) => {
    const loaded = loadConfig(directory);
    return scan({ paths: [directory], config: { ...loaded.config, ...(rules && { rules: { ...loaded.config.rules, ...rules } as never }) }, configDirectory: loaded.directory });
  };
  const partner = join(root, 'test', 'fixtures', 'rules', 'exported-health-field', 'pos-partner-export');

  test('a field read at an uncovered sink gets a route and the rule marks its declaration, with the sink in related locations', () => {
    const result = scanCase(partner);
    const field = result.fields?.find((f) => f.field === 'diagnosisCodes');
    assert.ok(field);
    assert.equal(field.container, 'StudyRow');
    assert.deepEqual(field.routes.map((r) => [r.status, r.ruleId, r.recipient]), [['uncovered', 'unprotected-export', 'partner.example.com']]);
    const finding = result.findings.find((f) => f.ruleId === 'exported-health-field' && f.location.line === field.location.line);
    assert.ok(finding);
    assert.equal(finding.severity, 'information');
    assert.match(finding.message, /`StudyRow\.diagnosisCodes` \(diagnosis\)/);
    assert.deepEqual(finding.related.map((r) => r.location.line), [field.routes[0].location.line]);
    assert.equal(result.fields?.find((f) => f.field === 'patientKey'), undefined);
  });

  test('off by default in the CLI configuration: fields are still listed, no finding', () => {
    const result = scanCase(partner, { 'exported-health-field': 'off' });
    assert.equal(result.findings.filter((f) => f.ruleId === 'exported-health-field').length, 0);
    assert.equal(result.fields?.length, 2);
  });

  test('a covered route and an anonymised route give routes but no marker', () => {
    for (const name of ['neg-covered-by-basis', 'neg-anonymised-path']) {
      const result = scanCase(join(root, 'test', 'fixtures', 'rules', 'exported-health-field', name));
      assert.ok(result.fields?.some((f) => f.routes.length > 0), `${name}: a route`);
      assert.ok(result.fields?.every((f) => f.routes.every((r) => r.status === 'covered' || r.status === 'anonymised')), name);
      assert.equal(result.findings.length, 0, name);
    }
  });
  test('methods and function-valued members are behaviour, not fields, whatever their name', () => {
    const directory = mkdtempSync(join(tmpdir(), 'hdl-fields-methods-'));
    mkdirSync(join(directory, 'src'));
    writeFileSync(join(directory, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', lib: ['ES2022'] }, include: ['src'] }));
    writeFileSync(
      join(directory, 'src', 'repository.ts'),
      [
        'export interface Condition { code: string; diagnosis: string }',
        'export class ConditionRepository {',
        '  diagnosisCache: Condition[] = [];',
        '  async conditionsOf(patientId: string): Promise<Condition[]> { return this.diagnosisCache.filter((c) => c.code === patientId); }',
        '  onDiagnosis = (c: Condition) => c.code;',
        '}',
        'export interface DiagnosisHandlers { diagnose(c: Condition): void; onPrescription: (id: string) => void }',
        '',
      ].join('\n'),
    );
    const result = scan({ paths: [directory], config: {} });
    const names = (result.fields ?? []).map((f) => `${f.container}.${f.field}`).sort();
    assert.deepEqual(names, ['Condition.diagnosis', 'ConditionRepository.diagnosisCache']);
  });
});

/** Everything a report is made of, without the cache statistics. */
function comparable(result: AnalysisResult): unknown {
  const { incremental: _incremental, ...rest } = result;
  return JSON.parse(JSON.stringify(rest));
}

describe('schema fields and the TypeScript type of the same name', () => {
  // A Prisma model beside the TypeScript type the code uses, and a model no TypeScript type mirrors.
  const project = (): string => {
    const directory = mkdtempSync(join(tmpdir(), 'hdl-schema-fields-'));
    mkdirSync(join(directory, 'src'));
    mkdirSync(join(directory, 'prisma'));
    const stubs = join(root, 'test', 'fixtures', 'stubs');
    writeFileSync(join(directory, 'tsconfig.json'), JSON.stringify({ extends: join(root, 'test', 'fixtures', 'tsconfig.base.json'), include: ['src/**/*', join(stubs, 'axios.d.ts')] }));
    writeFileSync(join(directory, 'health-data-lint.config.json'), JSON.stringify({ rules: { 'exported-health-field': 'information' } }));
    writeFileSync(
      join(directory, 'prisma', 'schema.prisma'),
      'model Patient {\n  id        String @id\n  diagnosis String\n  /// @healthData clinical-note\n  carePlan  String\n}\n\nmodel LabOrder {\n  id       String @id\n  /// @healthData lab-result\n  testCode String\n}\n',
    );
    writeFileSync(join(directory, 'src', 'patient.ts'), 'export interface Patient {\n  id: string;\n  diagnosis: string;\n  carePlan: string;\n}\n');
    writeFileSync(
      join(directory, 'src', 'partner-client.ts'),
      [
        "import axios from 'axios';",
        "import type { Patient } from './patient';",
        '',
        'export async function sendPatient(patient: Patient): Promise<void> {',
        "  await axios.post('https://partner.example.com/v1/patients', patient);",
        '}',
        '',
      ].join('\n'),
    );
    return directory;
  };
  const scanProject = (directory: string) => {
    const loaded = loadConfig(directory);
    return scan({ paths: [directory], config: loaded.config, configDirectory: loaded.directory });
  };

  test('a schema field whose TypeScript member is health data is one field: the code\'s routes, the marker at the TypeScript declaration', () => {
    const directory = project();
    try {
      const result = scanProject(directory);
      const diagnosis = result.fields?.filter((f) => f.field === 'diagnosis') ?? [];
      assert.equal(diagnosis.length, 1);
      assert.deepEqual(diagnosis[0].declarations.map((d) => d.origin).sort(), ['prisma', 'typescript']);
      assert.equal(diagnosis[0].location.file, join(directory, 'src', 'patient.ts'));
      assert.deepEqual(diagnosis[0].routes.map((r) => `${r.status} ${r.recipient} ${r.location.line}`), ['uncovered partner.example.com 5']);
      const marker = result.findings.find((f) => f.ruleId === 'exported-health-field' && f.message.includes('`Patient.diagnosis`'));
      assert.equal(marker?.location.file, join(directory, 'src', 'patient.ts'));
      assert.equal(marker?.location.line, 3);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  test('in the editor, kept schema fields and merges follow an edited schema file and an edited route', () => {
    const directory = project();
    try {
      const loaded = loadConfig(directory);
      // As the language server scans: caches kept between scans.
      const options = { paths: [directory], config: loaded.config, configDirectory: loaded.directory, cache: new MemoryStore(), parseCaches: new Map() };
      const full = () => comparable(scanProject(directory));
      const first = scan(options);
      assert.deepEqual(comparable(first), full());
      assert.deepEqual(comparable(scan(options)), full(), 'nothing changed');
      const schema = join(directory, 'prisma', 'schema.prisma');
      writeFileSync(schema, readFileSync(schema, 'utf8').replace('  testCode String\n', '  testCode String\n  /// @healthData lab-result\n  specimen String\n'));
      const withSpecimen = scan(options);
      assert.ok(withSpecimen.fields?.some((f) => f.field === 'specimen'), 'a field added to the schema file');
      assert.deepEqual(comparable(withSpecimen), full());
      const client = join(directory, 'src', 'partner-client.ts');
      writeFileSync(client, readFileSync(client, 'utf8').replace(', patient);', ', { id: patient.id });'));
      const fixed = scan(options);
      assert.deepEqual(fixed.fields?.find((f) => f.field === 'diagnosis')?.routes, [], 'the route is gone');
      assert.ok(!fixed.findings.some((f) => f.ruleId === 'exported-health-field'), 'and so is the marker');
      assert.deepEqual(comparable(fixed), full());
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  test('a field declared only in a schema file has no route and no marker: routes come from the code\'s data flows', () => {
    const directory = project();
    try {
      const result = scanProject(directory);
      const testCode = result.fields?.find((f) => f.field === 'testCode');
      assert.ok(testCode, 'the schema field is in the inventory');
      assert.deepEqual(testCode.declarations.map((d) => d.origin), ['prisma']);
      assert.deepEqual(testCode.routes, []);
      assert.ok(!result.findings.some((f) => f.message.includes('testCode')));
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  test(
    'a schema tag on a field whose TypeScript member is not health data by itself: the record that holds it leaves, so does the field',
    { todo: 'the TypeScript member is only kept when TypeScript alone classifies it, so the tagged field gets neither its TypeScript declaration nor the routes of the record (project-fields.ts / merge.ts)' },
    () => {
      const directory = project();
      try {
        const carePlan = scanProject(directory).fields?.find((f) => f.field === 'carePlan');
        assert.ok(carePlan, 'the tagged field is in the inventory');
        assert.deepEqual(carePlan.declarations.map((d) => d.origin).sort(), ['prisma', 'typescript']);
        assert.deepEqual(carePlan.routes.map((r) => `${r.status} ${r.recipient}`), ['uncovered partner.example.com']);
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    },
  );
});
