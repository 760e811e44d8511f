// Tests loading, validating and matching the processing register (health-data-register.yaml).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import registerSchema from '../schemas/register.schema.json';
import { HEALTH_CATEGORIES } from '../server/src/engine/model';
import { allBasisIds } from '../server/src/engine/legal/ids';
import {
  appliesToProblem,
  findRegisterEntries,
  findRegisterEntriesForChain,
  formatRegisterProblem,
  loadRegister,
  RegisterError,
  requireValidRegister,
  resolveProcessingIds,
} from '../server/src/engine/legal/register';

const FILE = 'health-data-register.yaml';

function messages(text: string): string[] {
  return loadRegister(FILE, text).problems.map((problem) => formatRegisterProblem(problem));
}

const VALID = `jurisdictions: [EU, FR]
processings:
  - id: research-export
    purpose: Statistics for research partners
    legalBasis: [gdpr-6-1-f, gdpr-9-2-j]
    formalities: [mr-004]
    dataCategories: [diagnosis, medication, lab-result]
    recipients: [research-partner]
    appliesTo: ["src/exports/**", "src/jobs/nightly.ts#exportStudy"]
  - id: care-api
    purpose: Care of patients through the clinic API
    legalBasis:
      - gdpr-6-1-e
      - gdpr-9-2-h
    appliesTo: ["src/routes/", "src/api.ts#Reports"]
`;

describe('loadRegister', () => {
  it('loads a valid register with positions and canonical ids', () => {
    const { register, problems } = loadRegister('/repo/health-data-register.yaml', VALID);
    assert.deepEqual(problems, []);
    assert.equal(register.directory, '/repo');
    assert.deepEqual(register.jurisdictions, ['EU', 'FR']);
    assert.deepEqual(register.processings[0], {
      id: 'research-export',
      purpose: 'Statistics for research partners',
      legalBasis: ['gdpr-6-1-f', 'gdpr-9-2-j'],
      formalities: ['mr-004'],
      dataCategories: ['diagnosis', 'medication', 'lab-result'],
      recipients: ['research-partner'],
      appliesTo: ['src/exports/**', 'src/jobs/nightly.ts#exportStudy'],
      location: { file: '/repo/health-data-register.yaml', line: 3, column: 9, endLine: 3, endColumn: 24 },
    });
    assert.equal(register.processings[1]!.dataCategories, undefined);
    assert.equal(register.processings[1]!.recipients, undefined);
  });

  it('reports an unknown legal basis at its exact position', () => {
    const text = `processings:
  - id: care-api
    purpose: Care
    legalBasis: [gdpr-6-1-e, gdpr-9-2-h]
  - id: research-export
    purpose: Research
    legalBasis: [gdpr-9-2-z, gdpr-6-1-f]
`;
    assert.deepEqual(messages(text), [
      'health-data-register.yaml:7:18 processings[1].legalBasis[0]: unknown legal basis "gdpr-9-2-z" (expected gdpr-6-1-a..f, gdpr-9-2-a..j, mr-001..mr-008, cnil-authorisation, cnil-referentiel-eds)',
    ]);
  });

  it('reports a duplicate processing id with the line of the first one', () => {
    const text = `processings:
  - id: research-export
    purpose: Research
    legalBasis: [gdpr-6-1-f, gdpr-9-2-j]
  - id: research-export
    purpose: Research again
    legalBasis: [gdpr-6-1-f, gdpr-9-2-j]
`;
    assert.deepEqual(messages(text), [
      'health-data-register.yaml:5:9 processings[1].id: duplicate processing id "research-export" (first declared at line 2)',
    ]);
  });

  it('reports an unknown key at the key, with a suggestion, and no separate missing key', () => {
    const text = `processings:
  - id: care-api
    purpose: Care
    legalbasis: [gdpr-6-1-e, gdpr-9-2-h]
    owner: DPO
`;
    assert.deepEqual(messages(text), [
      'health-data-register.yaml:4:5 processings[0]: unknown key "legalbasis" (did you mean "legalBasis"?)',
      'health-data-register.yaml:5:5 processings[0]: unknown key "owner" (expected one of: id, purpose, description, legalBasis, formalities, dataCategories, dataSubjects, recipients, transfers, retention, security, dpia, appliesTo)',
    ]);
  });

  it('reports wrong types with the expected form', () => {
    const text = `jurisdictions: FR
processings:
  - id: care-api
    purpose: Care
    legalBasis: gdpr-6-1-e
    dataCategories: diagnosis
    recipients: [sentry, 42]
  - just a string
`;
    assert.deepEqual(messages(text), [
      'health-data-register.yaml:1:16 jurisdictions: jurisdictions must be an array of jurisdiction codes (EU, FR...)',
      'health-data-register.yaml:5:17 processings[0].legalBasis: legalBasis must be an array of legal basis ids',
      'health-data-register.yaml:6:21 processings[0].dataCategories: dataCategories must be an array of categories',
      'health-data-register.yaml:7:26 processings[0].recipients[1]: each entry of recipients must be a string',
      'health-data-register.yaml:8:5 processings[1]: each processing must be a mapping with id, purpose and legalBasis',
    ]);
  });

  it('reports missing required keys, empty lists and a bad id', () => {
    const text = `processings:
  - id: care api
    legalBasis: []
    dataCategories: []
`;
    assert.deepEqual(messages(text), [
      'health-data-register.yaml:2:5 processings[0]: missing required key "purpose"',
      'health-data-register.yaml:2:9 processings[0].id: a processing id is one word of letters, digits, ".", "_" or "-" (it is written in @processing tags)',
      'health-data-register.yaml:3:17 processings[0].legalBasis: legalBasis must list at least one legal basis id, e.g. [gdpr-6-1-e, gdpr-9-2-h]',
      'health-data-register.yaml:4:21 processings[0].dataCategories: dataCategories must list at least one category (leave it out to cover every category)',
    ]);
  });

  it('checks formalities, categories, jurisdictions and the case of ids', () => {
    const text = `jurisdictions: [EU, fr]
processings:
  - id: study
    purpose: Study
    legalBasis: [GDPR-6-1-F, gdpr-9-2-j]
    formalities: [gdpr-9-2-j, mr-009]
    dataCategories: [diagnosis, labs]
`;
    assert.deepEqual(messages(text), [
      'health-data-register.yaml:1:21 jurisdictions[1]: "fr" is not a jurisdiction: write EU or a two-letter country code in capitals (FR, DE...)',
      'health-data-register.yaml:5:18 processings[0].legalBasis[0]: legal basis ids are written in lower case: "gdpr-6-1-f"',
      'health-data-register.yaml:6:19 processings[0].formalities[0]: "gdpr-9-2-j" is a GDPR legal basis, not a French formality: list it under legalBasis',
      'health-data-register.yaml:6:31 processings[0].formalities[1]: unknown French formality "mr-009" (expected mr-001..mr-008, cnil-authorisation, cnil-referentiel-eds)',
      `health-data-register.yaml:7:33 processings[0].dataCategories[1]: unknown data category "labs" (expected ${HEALTH_CATEGORIES.join(', ')})`,
    ]);
  });

  it('checks the syntax of appliesTo entries', () => {
    const text = `processings:
  - id: care
    purpose: Care
    legalBasis: [gdpr-6-1-e, gdpr-9-2-h]
    appliesTo:
      - "src\\\\routes\\\\**"
      - /abs/path.ts
      - src/a.ts#b#c
      - "src/{a,b"
      - src/a.ts#not-a-name
      - ../outside/**
`;
    assert.deepEqual(messages(text), [
      'health-data-register.yaml:6:9 processings[0].appliesTo[0]: use "/" in "src\\routes\\**": appliesTo paths are POSIX paths relative to the register\'s directory',
      'health-data-register.yaml:7:9 processings[0].appliesTo[1]: "/abs/path.ts" must be relative to the register\'s directory, without a leading "/"',
      'health-data-register.yaml:8:9 processings[0].appliesTo[2]: "src/a.ts#b#c" has more than one "#": write file#function',
      'health-data-register.yaml:9:9 processings[0].appliesTo[3]: unbalanced "{}" in the glob "src/{a,b"',
      'health-data-register.yaml:10:9 processings[0].appliesTo[4]: "#not-a-name" in "src/a.ts#not-a-name" must name a function or a method: file#function or file#Class.method',
      'health-data-register.yaml:11:9 processings[0].appliesTo[5]: "../outside/**" leaves the register\'s directory (".."): move the register up or list paths below it',
    ]);
    assert.equal(appliesToProblem('src/**/*.{ts,tsx}#handler'), undefined);
  });

  it('reports YAML syntax errors and duplicate keys with their position', () => {
    assert.deepEqual(messages('processings:\n  - id: a\n    id: b\n'), [
      'health-data-register.yaml:3:5 YAML syntax error: Map keys must be unique',
    ]);
    assert.deepEqual(messages(''), ['health-data-register.yaml:1:1 the register is empty: expected a mapping with a `processings` list']);
    assert.deepEqual(messages('- a\n- b\n'), ['health-data-register.yaml:1:1 the register must be a mapping with a `processings` list']);
  });

  it('keeps the usable entries of a register with problems', () => {
    const { register, problems } = loadRegister(FILE, 'processings:\n  - id: a\n    purpose: x\n    legalBasis: [gdpr-6-1-e, nope]\n  - 3\n');
    assert.equal(problems.length, 2);
    assert.deepEqual(register.processings.map((entry) => [entry.id, entry.legalBasis]), [['a', ['gdpr-6-1-e']]]);
  });

  it('throws a RegisterError listing every problem for the CLI', () => {
    assert.throws(
      () => requireValidRegister(FILE, 'processings:\n  - id: a\n    purpose: x\n    legalBasis: [gdpr-9-2-z]\n'),
      (error: unknown) =>
        error instanceof RegisterError &&
        error.problems.length === 1 &&
        error.message === 'invalid processing register:\n  health-data-register.yaml:4:18 processings[0].legalBasis[0]: unknown legal basis "gdpr-9-2-z" (expected gdpr-6-1-a..f, gdpr-9-2-a..j, mr-001..mr-008, cnil-authorisation, cnil-referentiel-eds)',
    );
    assert.equal(requireValidRegister(FILE, VALID).processings.length, 2);
  });
});

describe('register schema', () => {
  it('lists the same ids and categories as the engine', () => {
    const definitions = registerSchema.definitions;
    assert.deepEqual(definitions.legalBasisId.anyOf[0]!.enum, allBasisIds());
    assert.deepEqual(definitions.formalityId.anyOf[0]!.enum, allBasisIds('french-formality'));
    assert.deepEqual(definitions.category.enum, [...HEALTH_CATEGORIES]);
  });

  it('describes every property and forbids unknown ones', () => {
    assert.equal(registerSchema.additionalProperties, false);
    assert.equal(definitions().processing.additionalProperties, false);
    for (const [key, property] of [...Object.entries(registerSchema.properties), ...Object.entries(definitions().processing.properties)]) {
      assert.ok(typeof (property as { description?: string }).description === 'string', key);
    }
  });
});

function definitions() {
  return registerSchema.definitions;
}

describe('findRegisterEntries', () => {
  const { register } = loadRegister('/repo/health-data-register.yaml', VALID);
  const ids = (entries: { id: string }[]) => entries.map((entry) => entry.id);

  it('matches file globs for every function of the file', () => {
    assert.deepEqual(ids(findRegisterEntries(register, 'src/exports/csv/patients.ts', [])), ['research-export']);
    assert.deepEqual(ids(findRegisterEntries(register, './src/exports/a.ts', ['anything'])), ['research-export']);
    assert.deepEqual(ids(findRegisterEntries(register, 'src/other.ts', [])), []);
  });

  it('treats a trailing slash as everything below', () => {
    assert.deepEqual(ids(findRegisterEntries(register, 'src/routes/patients/index.ts', [])), ['care-api']);
  });

  it('matches file#function entries by function, method or class', () => {
    assert.deepEqual(ids(findRegisterEntries(register, 'src/jobs/nightly.ts', ['exportStudy'])), ['research-export']);
    assert.deepEqual(ids(findRegisterEntries(register, 'src/jobs/nightly.ts', ['Jobs.exportStudy'])), ['research-export']);
    assert.deepEqual(ids(findRegisterEntries(register, 'src/jobs/nightly.ts', ['exportOther'])), []);
    assert.deepEqual(ids(findRegisterEntries(register, 'src/jobs/nightly.ts', [])), []);
    assert.deepEqual(ids(findRegisterEntries(register, 'src/api.ts', ['Reports.export'])), ['care-api']);
    assert.deepEqual(ids(findRegisterEntries(register, 'src/api.ts', ['ReportsHelper.export'])), []);
  });

  it('matches a call chain of absolute files relative to the register', () => {
    const chain = [
      { file: '/repo/src/lib/send.ts', functionName: 'send' },
      { file: '/repo/src/jobs/nightly.ts', functionName: 'exportStudy' },
      { file: '/repo/src/routes/x.ts' },
    ];
    assert.deepEqual(ids(findRegisterEntriesForChain(register, chain)), ['research-export', 'care-api']);
  });

  it('resolves @processing ids and reports unknown ones', () => {
    const { entries, unknown } = resolveProcessingIds(register, ['care-api', 'care-api', 'research-exprt']);
    assert.deepEqual(ids(entries), ['care-api']);
    assert.deepEqual(unknown, ['research-exprt']);
    assert.deepEqual(resolveProcessingIds(undefined, ['x']).unknown, ['x']);
  });
});
