// The field view over a real stdio connection, on a copy of test/fixtures/lsp/clinic-fields (types, repository,
// service, controller and client in separate files, Express and axios): the `exported-health-field` diagnostic at the
// declaration of a health field whose data leaves unprotected, with one related location per sink; edits of the sinks
// in the editor (a configured anonymiser, a @legalBasis, a new uncovered sink) shrink, clear or raise it; the lens
// above each type follows, and the flows it opens are those of its type.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { CodeLensRequest, DiagnosticSeverity, DidCloseTextDocumentNotification, type CodeLens, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { DataFlowsRequest, type DataFlow, type DataFlowsParams } from '../server/src/lsp/protocol';
import { findRepositoryRoot, readExpectations } from './support/fixtures';
import { LspTestClient } from './support/lsp-client';

const root = findRepositoryRoot();
const serverScript = join(root, 'dist', 'server.js');
const RULE = 'exported-health-field';
const TYPES = 'src/domain/types.ts';
const CONTROLLER = 'src/controllers/consultation-controller.ts';
const REFERRAL = 'src/clients/referral-client.ts';
const SERVICE = 'src/services/consultation-service.ts';

function messageOf(diagnostic: Diagnostic): string {
  return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}

/** A text edit that must apply: the fixture changed under the test otherwise. */
function replaced(text: string, search: string, replacement: string): string {
  assert.ok(text.includes(search), `the fixture contains ${JSON.stringify(search)}`);
  return text.replace(search, replacement);
}

describe('the field view over the protocol, on a copy of test/fixtures/lsp/clinic-fields', () => {
  let workspace: string;
  let client: LspTestClient;
  const file = (relative: string) => join(workspace, relative);
  const uriOf = (relative: string) => pathToFileURL(file(relative)).href;
  const original = (relative: string) => readFileSync(file(relative), 'utf8');
  /** Opens the file as saved and types `edit` of it without saving (version 2), as a user in the editor would. */
  const editUnsaved = async (relative: string, edit: (saved: string) => string): Promise<string> => {
    const saved = original(relative);
    const edited = edit(saved);
    await client.open(file(relative), saved);
    await client.changed(file(relative), edited, 2);
    return edited;
  };
  /** 0-based line of the first line of `relative` (as on disk) that contains `text`. */
  const lineOf = (relative: string, text: string, content = original(relative)) => {
    const line = content.split('\n').findIndex((l) => l.includes(text));
    assert.ok(line >= 0, `${relative} has a line with ${JSON.stringify(text)}`);
    return line;
  };
  const fieldMarkers = () => client.diagnosticsOf(file(TYPES)).filter((d) => d.code === RULE);
  const markerOn = (line: number) => fieldMarkers().find((d) => d.range.start.line === line);
  const exportAt = (relative: string) => client.diagnosticsOf(file(relative)).filter((d) => d.code === 'unprotected-export');
  const lenses = async () => (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: uriOf(TYPES) } })) as CodeLens[];
  const lensOn = async (line: number) => (await lenses()).find((lens) => lens.range.start.line === line);
  const flows = (params: DataFlowsParams) => client.connection.sendRequest(DataFlowsRequest, params);
  const flowKeys = (list: DataFlow[]) => list.map((flow) => `${flow.ruleId} ${flow.uri}:${flow.range.start.line}`).sort();
  const related = (diagnostic: Diagnostic) =>
    (diagnostic.relatedInformation ?? []).map((r) => `${r.location.uri}:${r.location.range.start.line}:${r.location.range.start.character}`).sort();
  const startOf = (relative: string, diagnostic: Diagnostic) => `${uriOf(relative)}:${diagnostic.range.start.line}:${diagnostic.range.start.character}`;

  let diagnosisLine: number;
  let clinicalNotesLine: number;
  let hba1cLine: number;
  let consultationLine: number;
  let labResultLine: number;

  before(async () => {
    workspace = realpathSync(mkdtempSync(join(tmpdir(), 'hdl-fields-')));
    cpSync(join(root, 'test', 'fixtures', 'lsp', 'clinic-fields'), workspace, { recursive: true });
    // The dependencies' declarations are the rule fixtures' stubs (one copy of each in the repository).
    for (const stub of ['express.d.ts', 'axios.d.ts']) cpSync(join(root, 'test', 'fixtures', 'stubs', stub), join(workspace, 'types', stub));
    diagnosisLine = lineOf(TYPES, '  diagnosis: string;');
    clinicalNotesLine = lineOf(TYPES, '  clinicalNotes: string;');
    hba1cLine = lineOf(TYPES, '  hba1cPercent: number;');
    consultationLine = lineOf(TYPES, 'export interface Consultation {');
    labResultLine = lineOf(TYPES, 'export interface LabResult {');
    // No settings: what the editor shows by default (the rule is off in the CLI, information in the editor).
    assert.ok(!('rules' in JSON.parse(original('health-data-lint.config.json'))), 'the fixture leaves severities to the defaults');
    client = await LspTestClient.start(serverScript, workspace);
  });

  after(async () => {
    await client?.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  test('a health field that leaves unprotected is marked at its declaration (information), with a related location per sink', { timeout: 60_000 }, async () => {
    const expectations = readExpectations(workspace);
    assert.deepEqual(
      expectations.map((e) => `${e.ruleId} ${e.file}`).sort(),
      [`${RULE} ${TYPES}`, `unprotected-export ${CONTROLLER}`, `unprotected-export ${REFERRAL}`].sort(),
      'the fixture announces one field marker and its two sinks',
    );
    const marker = await client.waitFor('the field marker with both sinks', () => {
      const found = markerOn(diagnosisLine);
      return found && (found.relatedInformation ?? []).length === 2 && exportAt(CONTROLLER).length === 1 && exportAt(REFERRAL).length === 1 && found;
    });
    // Everything the server published is what the fixture announces: nothing on the fields that leave only through a
    // covered route (clinicalNotes) or an anonymiser (hba1cPercent).
    const published = [...client.diagnostics].flatMap(([uri, diagnostics]) => diagnostics.map((d) => `${d.code} ${uri}:${d.range.start.line + 1}`));
    assert.deepEqual(published.sort(), expectations.map((e) => `${e.ruleId} ${uriOf(e.file)}:${e.line}`).sort());
    assert.equal(diagnosisLine + 1, expectations.find((e) => e.ruleId === RULE)!.line);

    assert.equal(marker.severity, DiagnosticSeverity.Information);
    assert.equal(marker.source, 'health-data-lint');
    assert.equal(marker.codeDescription?.href, `https://github.com/health-data-lint/health-data-lint/blob/main/rules/${RULE}.md`);
    const declaration = original(TYPES).split('\n')[diagnosisLine];
    assert.equal(declaration.slice(marker.range.start.character, marker.range.end.character), 'diagnosis', 'on the field name');
    assert.match(messageOf(marker), /`Consultation\.diagnosis` \(diagnosis\) leaves without anonymisation or a valid legal basis through 2 routes/);
    // One related location per sink, at the sink's own diagnostic, saying where the data goes and which rule fired.
    assert.deepEqual(related(marker), [startOf(REFERRAL, exportAt(REFERRAL)[0]), startOf(CONTROLLER, exportAt(CONTROLLER)[0])].sort());
    const messages = marker.relatedInformation!.map((r) => r.message).sort();
    assert.match(messages[0], /^leaves here: HTTP response \(unprotected-export\)$/);
    assert.match(messages[1], /^leaves here: outbound request \(axios\) → intake\.partner-hospital\.example \(unprotected-export\)$/);
    assert.equal(markerOn(clinicalNotesLine), undefined);
    assert.equal(markerOn(hba1cLine), undefined);
  });

  test('the lens above each type counts its health fields and routes, and opens the flows of that type only', { timeout: 60_000 }, async () => {
    // The lens is why the unmarked fields are unmarked: their routes are covered or anonymised, not missing.
    const consultation = await lensOn(consultationLine);
    assert.equal(
      consultation?.command?.title,
      '2 health fields · 1 route covered (gdpr-6-1-e, gdpr-9-2-h) · 1 anonymised · 2 to partner APIs or exports with no valid basis',
    );
    assert.equal((await lensOn(labResultLine))?.command?.title, '1 health field · 1 anonymised');
    assert.equal((await lenses()).length, 2, 'no lens above DiagnosisChapterCount: counts are not health data');

    assert.equal(consultation.command.command, 'healthDataLint.showDataFlows');
    assert.deepEqual(consultation.command.arguments, [uriOf(TYPES), 'Consultation']);
    const [uri, type] = consultation.command.arguments as [string, string];
    const ofConsultation = await flows({ uri, type });
    assert.deepEqual(flowKeys(ofConsultation), [
      `unprotected-export ${uriOf(CONTROLLER)}:${exportAt(CONTROLLER)[0].range.start.line}`,
      `unprotected-export ${uriOf(REFERRAL)}:${exportAt(REFERRAL)[0].range.start.line}`,
    ].sort());
    assert.deepEqual(await flows({ uri, type: 'LabResult' }), [], 'LabResult leaves only through an anonymiser: no finding');
  });

  test('wrapping one sink in the configured anonymiser takes it off the field diagnostic; the lens follows', { timeout: 60_000 }, async () => {
    await editUnsaved(CONTROLLER, (saved) =>
      replaced(
        saved,
        '    // expect: unprotected-export\n    res.json(consultations.map((consultation) => ({ id: consultation.id, startedAt: consultation.startedAt, diagnosis: consultation.diagnosis })));\n',
        // The accountant gets the counts per chapter, which the configuration declares an anonymiser.
        '    res.json(countByDiagnosisChapter(consultations));\n',
      ),
    );
    const marker = await client.waitFor('the marker to keep one place', () => {
      const found = markerOn(diagnosisLine);
      return found && (found.relatedInformation ?? []).length === 1 && exportAt(CONTROLLER).length === 0 && found;
    });
    assert.deepEqual(related(marker), [startOf(REFERRAL, exportAt(REFERRAL)[0])]);
    assert.match(messageOf(marker), /through 1 route: outbound request \(axios\) → intake\.partner-hospital\.example at src\/clients\/referral-client\.ts:\d+ \(unprotected-export\)\.$/);
    assert.equal(
      (await lensOn(consultationLine))?.command?.title,
      '2 health fields · 1 route covered (gdpr-6-1-e, gdpr-9-2-h) · 2 anonymised · 1 to a partner API or export with no valid basis',
    );
  });

  test('a @legalBasis on the other sink covers it: the field shows nothing once it leaves only through covered or anonymised paths', { timeout: 60_000 }, async () => {
    await editUnsaved(REFERRAL, (saved) =>
      replaced(
        saved,
        'export async function sendReferral(',
        '/**\n * The hospital takes the patient into care on the GP\'s referral.\n * @legalBasis gdpr-6-1-e gdpr-9-2-h\n */\nexport async function sendReferral(',
      ),
    );
    await client.waitFor('the field marker to go', () => fieldMarkers().length === 0 && exportAt(REFERRAL).length === 0);
    assert.deepEqual(client.diagnosticsOf(file(TYPES)), [], 'no marker on any field of the types file');
    assert.equal((await lensOn(consultationLine))?.command?.title, '2 health fields · 2 routes covered (gdpr-6-1-e, gdpr-9-2-h) · 2 anonymised');
    assert.deepEqual(await flows({ uri: uriOf(TYPES), type: 'Consultation' }), []);
  });

  test('a new uncovered sink in another file marks the field it carries, and only that one', { timeout: 60_000 }, async () => {
    const edited = await editUnsaved(SERVICE, (saved) =>
      replaced(
        replaced(saved, "import type { ConsultationRepository }", "import axios from 'axios';\nimport type { ConsultationRepository }"),
        '  return {\n',
        [
          '  return {',
          "    /** The regional diabetes registry's yearly collection of HbA1c results. */",
          '    async sendHba1cToRegistry(): Promise<void> {',
          '      const results = await repository.labResultsSince(new Date(new Date().getFullYear(), 0, 1));',
          "      await axios.post('https://registry.diabetes-network.example/v1/hba1c', results);",
          '    },',
          '',
        ].join('\n'),
      ),
    );
    const marker = await client.waitFor('a marker on hba1cPercent', () => exportAt(SERVICE).length === 1 && markerOn(hba1cLine));
    const sinkLine = lineOf(SERVICE, "await axios.post('https://registry.diabetes-network.example", edited);
    assert.equal(exportAt(SERVICE)[0].range.start.line, sinkLine, 'the new sink is reported where the data leaves');
    assert.deepEqual(related(marker), [startOf(SERVICE, exportAt(SERVICE)[0])]);
    assert.match(messageOf(marker), /`LabResult\.hba1cPercent` \(lab-result\) .* through 1 route: outbound request \(axios\) → registry\.diabetes-network\.example/);
    assert.deepEqual(fieldMarkers().map((d) => d.range.start.line), [hba1cLine], 'Consultation.diagnosis stays unmarked');

    assert.equal((await lensOn(labResultLine))?.command?.title, '1 health field · 1 anonymised · 1 to a partner API or export with no valid basis');
    // The type filter keeps this type's flows; the file filter keeps every type's.
    const expected = [`unprotected-export ${uriOf(SERVICE)}:${sinkLine}`];
    assert.deepEqual(flowKeys(await flows({ uri: uriOf(TYPES), type: 'LabResult' })), expected);
    assert.deepEqual(await flows({ uri: uriOf(TYPES), type: 'Consultation' }), []);
    assert.deepEqual(flowKeys(await flows({ uri: uriOf(TYPES) })), expected);
  });

  test('closing the edited documents falls back to the files on disk: the field diagnostic is as it was', { timeout: 60_000 }, async () => {
    for (const relative of [CONTROLLER, REFERRAL, SERVICE]) {
      await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: uriOf(relative) } });
    }
    const marker = await client.waitFor('the original marker', () => {
      const found = markerOn(diagnosisLine);
      // Each file's diagnostics are published on their own: the marker may arrive before the exports it points at.
      const settled = exportAt(SERVICE).length === 0 && exportAt(REFERRAL).length > 0 && exportAt(CONTROLLER).length > 0;
      return found && fieldMarkers().length === 1 && (found.relatedInformation ?? []).length === 2 && settled && found;
    });
    assert.deepEqual(related(marker), [startOf(REFERRAL, exportAt(REFERRAL)[0]), startOf(CONTROLLER, exportAt(CONTROLLER)[0])].sort());
  });
});
