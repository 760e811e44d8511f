// The register and the configuration as documents in the editor: validation as typed, and completion of the
// values people otherwise look up (legal-basis ids, formalities, categories, rule ids, severities, sink kinds).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { allBasisIds } from '../server/src/engine/legal/ids';
import { HEALTH_CATEGORIES, RULE_IDS } from '../server/src/engine/model';
import {
  INVALID_CONFIGURATION_CODE,
  INVALID_REGISTER_CODE,
  completeProjectFile,
  projectFileKind,
  validateProjectFile,
} from '../server/src/lsp/project-files';

/** Completion labels where `|` marks the cursor. */
function labelsAt(kind: 'register' | 'configuration', textWithCursor: string): string[] {
  const offset = textWithCursor.indexOf('|');
  const text = textWithCursor.replace('|', '');
  const document = TextDocument.create('file:///w/x', kind === 'register' ? 'yaml' : 'json', 1, text);
  return completeProjectFile(kind, document, document.positionAt(offset)).map((item) => item.label);
}

describe('project files: which documents are ours', () => {
  test('the register (yaml or yml) and the configuration file, nothing else', () => {
    assert.equal(projectFileKind('/p/health-data-register.yaml'), 'register');
    assert.equal(projectFileKind('/p/sub/health-data-register.yml'), 'register');
    assert.equal(projectFileKind('/p/health-data-lint.config.json'), 'configuration');
    assert.equal(projectFileKind('/p/docker-compose.yaml'), undefined);
    assert.equal(projectFileKind('/p/tsconfig.json'), undefined);
  });
});

describe('project files: validation as typed', () => {
  test('an unknown legal basis in the register is reported on the id itself, with its key path', () => {
    const text = ['processings:', '  - id: referrals', '    purpose: Referral letters', '    legalBasis: [gdpr-6-1-e, gdpr-9-2-z]', '    appliesTo: ["src/**"]', ''].join('\n');
    const diagnostics = validateProjectFile('register', '/p/health-data-register.yaml', text);
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    const [diagnostic] = diagnostics;
    assert.equal(diagnostic.code, INVALID_REGISTER_CODE);
    assert.equal(diagnostic.range.start.line, 3);
    const lineText = text.split('\n')[3];
    assert.equal(lineText.slice(diagnostic.range.start.character, diagnostic.range.end.character), 'gdpr-9-2-z');
    assert.match(String(diagnostic.message), /processings\[0\]\.legalBasis\[1\]/);
  });

  test('a YAML syntax error is a diagnostic, not an exception', () => {
    const diagnostics = validateProjectFile('register', '/p/health-data-register.yaml', 'processings:\n  - id: [unclosed\n');
    assert.ok(diagnostics.length > 0);
    assert.match(String(diagnostics[0].message), /YAML syntax error/);
  });

  test('a valid register has no diagnostic', () => {
    const text = ['jurisdictions: [EU, FR]', 'processings:', '  - id: care', '    purpose: Care', '    legalBasis: [gdpr-6-1-e, gdpr-9-2-h]', '    appliesTo: ["src/**"]', ''].join('\n');
    assert.deepEqual(validateProjectFile('register', '/p/health-data-register.yaml', text), []);
  });

  test('a configuration value of the wrong kind is reported on that value, naming the key and the expected values', () => {
    const text = '{\n  "rules": {\n    "log-exposure": "loud"\n  },\n  "maxFileSize": 10\n}\n';
    const [diagnostic, ...rest] = validateProjectFile('configuration', '/p/health-data-lint.config.json', text);
    assert.equal(rest.length, 0);
    assert.equal(diagnostic.code, INVALID_CONFIGURATION_CODE);
    assert.equal(diagnostic.range.start.line, 2);
    assert.equal(text.split('\n')[2].slice(diagnostic.range.start.character, diagnostic.range.end.character), '"loud"');
    assert.match(String(diagnostic.message), /rules\.log-exposure must be one of .*"warning".*\(got "loud"\)/);
  });

  test('an unknown configuration key is reported on the key', () => {
    const text = '{\n  "rules": {},\n  "sinkz": []\n}\n';
    const [diagnostic] = validateProjectFile('configuration', '/p/health-data-lint.config.json', text);
    assert.equal(text.split('\n')[2].slice(diagnostic.range.start.character, diagnostic.range.end.character), '"sinkz"');
    assert.match(String(diagnostic.message), /sinkz is not a known key/);
  });

  test('broken JSON is reported where it breaks', () => {
    const [diagnostic] = validateProjectFile('configuration', '/p/health-data-lint.config.json', '{\n  "rules": {\n    "log-exposure": "error",\n  }\n}\n');
    assert.match(String(diagnostic.message), /invalid JSON/);
    assert.ok(diagnostic.range.start.line >= 2, `line ${diagnostic.range.start.line}`);
  });
});

describe('project files: completion in the register', () => {
  const entry = (line: string) => ['processings:', '  - id: study', '    purpose: Cohort study', line].join('\n');

  test('legal-basis ids in a flow list, without the ones already listed', () => {
    const labels = labelsAt('register', entry('    legalBasis: [gdpr-6-1-e, gdpr-9|'));
    assert.ok(labels.includes('gdpr-9-2-h') && labels.includes('gdpr-9-2-j'), labels.join(' '));
    assert.ok(labels.every((label) => label.startsWith('gdpr-9')), labels.join(' '));
    const all = labelsAt('register', entry('    legalBasis: [gdpr-6-1-e, |'));
    assert.ok(!all.includes('gdpr-6-1-e'));
    assert.ok(all.includes('gdpr-6-1-a'));
    // Formalities are completed under `formalities`, not offered as a legal basis.
    assert.ok(!all.includes('mr-004'));
  });

  test('formalities in a block list under `formalities:`', () => {
    const labels = labelsAt('register', entry('    formalities:\n      - mr-001\n      - |'));
    assert.ok(labels.includes('mr-004') && labels.includes('cnil-authorisation'), labels.join(' '));
    assert.ok(!labels.includes('mr-001'));
    assert.ok(!labels.some((label) => label.startsWith('gdpr-')));
  });

  test('data categories and jurisdictions', () => {
    assert.deepEqual(labelsAt('register', entry('    dataCategories: [|')), [...HEALTH_CATEGORIES]);
    assert.deepEqual(labelsAt('register', 'jurisdictions: [EU, |\nprocessings: []'), ['FR']);
  });

  test('the keys a processing entry does not have yet', () => {
    const labels = labelsAt('register', entry('    |'));
    assert.ok(labels.includes('legalBasis') && labels.includes('appliesTo') && labels.includes('dataCategories'), labels.join(' '));
    assert.ok(!labels.includes('purpose') && !labels.includes('id'), labels.join(' '));
  });

  test('every legal-basis id the engine knows can be completed', () => {
    const labels = labelsAt('register', entry('    legalBasis: [|'));
    for (const id of allBasisIds('art6')) assert.ok(labels.includes(id), id);
    for (const id of allBasisIds('art9')) assert.ok(labels.includes(id), id);
  });
});

describe('project files: completion in the configuration', () => {
  test('top-level keys, quoted when the quote is not typed yet', () => {
    const document = TextDocument.create('file:///w/c.json', 'json', 1, '{\n  \n}');
    const items = completeProjectFile('configuration', document, { line: 1, character: 2 });
    const labels = items.map((item) => item.label);
    assert.ok(labels.includes('rules') && labels.includes('sinks') && labels.includes('register'), labels.join(' '));
    assert.match(String(items.find((item) => item.label === 'rules')?.insertText), /^"rules": /);
  });

  test('rule ids as keys of `rules`, severities as their values', () => {
    assert.deepEqual(labelsAt('configuration', '{ "rules": { "|" } }'), [...RULE_IDS]);
    assert.deepEqual(labelsAt('configuration', '{ "rules": { "log-exposure": "w|" } }'), ['warning']);
  });

  test('sink kinds and term categories inside lists of objects', () => {
    assert.deepEqual(labelsAt('configuration', '{ "sinks": [ { "name": "track", "kind": "|" } ] }'), ['export', 'third-party', 'log', 'browser']);
    assert.ok(labelsAt('configuration', '{ "terms": [ { "term": "hba1c", "categories": ["lab|"] } ] }').includes('lab-result'));
    assert.ok(labelsAt('configuration', '{ "healthTypes": { "Dossier": [ "|" ] } }').includes('patient-record'));
  });

  test('nothing is offered in places that take free text', () => {
    assert.deepEqual(labelsAt('configuration', '{ "register": "|" }'), []);
    assert.deepEqual(labelsAt('configuration', '{ "sinks": [ { "name": "|" } ] }'), []);
  });
});
