// The language server over a real stdio connection, without an editor: diagnostics for the example, hover, code
// actions and their effect once applied, settings changes, and malformed files that must not stop the server.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import {
  CodeActionRequest,
  CodeLensRequest,
  CompletionRequest,
  DidCloseTextDocumentNotification,
  ExecuteCommandRequest,
  HoverRequest,
  type CodeAction,
  type CodeLens,
  type CompletionItem,
  type Diagnostic,
  type MarkupContent,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { DataFlowsRequest } from '../server/src/lsp/protocol';
import { readExpectations } from './support/fixtures';
import { LspTestClient } from './support/lsp-client';

const packageRoot = process.cwd();
const serverScript = join(packageRoot, 'dist', 'server.js');

/** Applies LSP text edits to a text (edits do not overlap; applied from the end so offsets stay valid). */
function applyEdits(text: string, edits: TextEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (p: { line: number; character: number }) => lineStarts[p.line] + p.character;
  return [...edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((result, edit) => result.slice(0, offset(edit.range.start)) + edit.newText + result.slice(offset(edit.range.end)), text);
}

function messageOf(diagnostic: Diagnostic): string {
  return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}

function onLine(diagnostics: Diagnostic[], code: string, line: number): Diagnostic | undefined {
  return diagnostics.find((d) => d.code === code && d.range.start.line === line - 1);
}

describe('language server on a copy of examples/clinic-api', () => {
  let workspace: string;
  let client: LspTestClient;
  const file = (relative: string) => join(workspace, relative);
  const codeActions = (path: string, diagnostic: Diagnostic) =>
    client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: pathToFileURL(path).href },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    }) as Promise<CodeAction[]>;

  before(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'hdl-lsp-'));
    cpSync(join(packageRoot, 'examples', 'clinic-api'), workspace, { recursive: true });
    client = await LspTestClient.start(serverScript, workspace);
  });

  after(async () => {
    await client?.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  test('every finding the example announces is published with its rule, source, documentation link and path', { timeout: 50_000 }, async () => {
    const expectations = readExpectations(workspace);
    assert.ok(expectations.length >= 8, 'the example announces its findings');
    for (const expected of expectations) {
      const diagnostic = await client.waitFor(`${expected.ruleId} at ${expected.file}:${expected.line}`, () =>
        onLine(client.diagnosticsOf(file(expected.file)), expected.ruleId, expected.line),
      );
      assert.equal(diagnostic.source, 'health-data-lint');
      assert.equal(diagnostic.codeDescription?.href, `https://github.com/health-data-lint/health-data-lint/blob/main/rules/${expected.ruleId}.md`);
      assert.ok(messageOf(diagnostic).length > 20, messageOf(diagnostic));
      if (!['hardcoded-health-identifier', 'linkable-anonymisation'].includes(expected.ruleId)) {
        const related = diagnostic.relatedInformation ?? [];
        assert.ok(related.length >= 2, `${expected.ruleId} at ${expected.file}:${expected.line} has the path from source to sink`);
        assert.match(related[0].message, /^(path 1, step 1: )?source: /, 'the path starts at the health-data source');
        assert.ok(related.every((r) => r.location.uri.startsWith(pathToFileURL(workspace).href)), 'related locations are in the workspace');
      }
    }
    const logExposure = onLine(client.diagnosticsOf(file('src/lib/logger.ts')), 'log-exposure', 14)!;
    assert.equal(logExposure.severity, 1, 'error severity by default');
    const status = await client.waitFor('an idle status', () => client.statuses.at(-1)?.state === 'idle' && client.statuses.at(-1));
    assert.ok(status.findings >= expectations.length, `status counts the findings (${status.findings})`);
  });

  test('the background analysis of the workspace is shown as work-done progress that ends', { timeout: 50_000 }, async () => {
    await client.waitFor('a progress that began and ended', () => {
      const token = client.progressTokens[0];
      const events = client.progress.filter((p) => p.token === token).map((p) => p.value.kind);
      return token !== undefined && events[0] === 'begin' && events.includes('end');
    });
    const begin = client.progress.find((p) => p.value.kind === 'begin')!;
    assert.equal(begin.value.title, 'Health Data Lint');
    assert.match(begin.value.message ?? '', /analysing/);
  });

  test('hover on the log-exposure finding explains why the data is health data', { timeout: 30_000 }, async () => {
    const logger = file('src/lib/logger.ts');
    await client.open(logger, readFileSync(logger, 'utf8'));
    const diagnostic = await client.waitFor('log-exposure', () => onLine(client.diagnosticsOf(logger), 'log-exposure', 14));
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: pathToFileURL(logger).href }, position: diagnostic.range.start });
    assert.ok(hover, 'a hover is returned on the finding');
    const text = (hover.contents as MarkupContent).value;
    assert.match(text, /log-exposure/);
    assert.match(text, /Why this is health data/);
    assert.match(text, /\*\*Categories\*\*: `[a-z-]+`/);
    assert.match(text, /Path from the source to the sink|Path 1/);
    const outside = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: pathToFileURL(logger).href }, position: { line: 0, character: 0 } });
    assert.equal(outside, null, 'no hover away from findings');
  });

  test('hover on the health-data source (where the data is read) says why, and where it leaves', { timeout: 30_000 }, async () => {
    const logger = file('src/lib/logger.ts');
    const diagnostic = await client.waitFor('log-exposure', () => onLine(client.diagnosticsOf(logger), 'log-exposure', 14));
    const source = diagnostic.relatedInformation?.[0];
    assert.ok(source && source.location.uri !== pathToFileURL(logger).href, 'the path starts in another file');
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: source.location.uri }, position: source.location.range.start });
    const markdown = (hover?.contents as MarkupContent | undefined)?.value ?? '';
    assert.match(markdown, /health-data source/);
    assert.match(markdown, /\*\*Why this is health data\*\*: /);
    assert.match(markdown, /src\/lib\/logger\.ts:14 \(`log-exposure`\)/);
  });

  test('a CodeLens above a type with health fields says how many and where they go, and opens the flows of that type', { timeout: 30_000 }, async () => {
    const referral = file('src/exports/referral.ts');
    const text = readFileSync(referral, 'utf8');
    const uri = pathToFileURL(referral).href;
    // The example is analysed by the first test; the lens reads the fields of that analysis.
    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[];
    const lens = lenses.find((l) => /\binterface Referral\b/.test(text.split('\n')[l.range.start.line] ?? ''));
    assert.ok(lens, `a lens on the line declaring Referral: ${JSON.stringify(lenses)}`);
    assert.match(lens.command?.title ?? '', /^\d+ health fields? · /);
    assert.match(lens.command?.title ?? '', /covered \(gdpr-6-1-e, gdpr-9-2-h\)/, 'the referral export is covered by its @legalBasis');
    assert.equal(lens.command?.command, 'healthDataLint.showDataFlows');
    assert.deepEqual(lens.command?.arguments, [uri, 'Referral']);
    // What the view asks with those arguments: the referral's only route is covered, so no finding is a flow of Referral.
    assert.deepEqual(await client.connection.sendRequest(DataFlowsRequest, { uri, type: 'Referral' }), []);
    // Another type's lens opens that type's findings: the front end caches whole patient records in localStorage.
    const cache = file('web/patient-cache.ts');
    const cacheUri = pathToFileURL(cache).href;
    const cacheLens = ((await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: cacheUri } })) as CodeLens[]).find((l) =>
      /\binterface PatientRecord\b/.test(readFileSync(cache, 'utf8').split('\n')[l.range.start.line] ?? ''),
    );
    assert.match(cacheLens?.command?.title ?? '', /^2 health fields · 1 to browser storage with no valid basis$/);
    const ofPatientRecord = await client.connection.sendRequest(DataFlowsRequest, { uri: cacheUri, type: 'PatientRecord' });
    const stored = readExpectations(workspace).find((e) => e.ruleId === 'client-side-storage' && e.file === 'web/patient-cache.ts')!;
    assert.deepEqual(ofPatientRecord.map((flow) => `${flow.ruleId} ${flow.uri}:${flow.range.start.line + 1}`), [`client-side-storage ${cacheUri}:${stored.line}`]);
  });

  test('code actions offer a legal basis for exports, a justified suppression and the rule documentation', { timeout: 30_000 }, async () => {
    const routes = file('src/routes/observations.ts');
    const exportFinding = await client.waitFor('unprotected-export', () => onLine(client.diagnosticsOf(routes), 'unprotected-export', 40));
    const titles = (await codeActions(routes, exportFinding)).map((a) => a.title);
    for (const ids of ['gdpr-6-1-e gdpr-9-2-h', 'gdpr-6-1-a gdpr-9-2-a', 'gdpr-6-1-e gdpr-9-2-i', 'gdpr-6-1-e gdpr-9-2-j']) {
      assert.ok(titles.some((t) => t.includes(`@legalBasis ${ids}`)), `offers @legalBasis ${ids}: ${titles.join(' | ')}`);
    }
    assert.ok(titles.some((t) => t.startsWith('Suppress unprotected-export')));

    const logger = file('src/lib/logger.ts');
    const logFinding = await client.waitFor('log-exposure', () => onLine(client.diagnosticsOf(logger), 'log-exposure', 14));
    const logActions = await codeActions(logger, logFinding);
    assert.ok(!logActions.some((a) => a.title.includes('@legalBasis')), 'a legal basis never covers logs');
    const documentation = logActions.find((a) => a.title === 'Show documentation for log-exposure');
    assert.ok(documentation?.command, 'documentation action');
    await client.connection.sendRequest(ExecuteCommandRequest.type, { command: documentation.command.command, arguments: documentation.command.arguments });
    assert.equal(client.shownDocuments.at(-1)?.uri, logFinding.codeDescription?.href);
  });

  test('an unsaved edit in the calling file updates the diagnostics of the helper the flow goes through', { timeout: 50_000 }, async () => {
    const routes = file('src/routes/patients.ts');
    const logger = file('src/lib/logger.ts');
    await client.waitFor('log-exposure in the logger wrapper', () => onLine(client.diagnosticsOf(logger), 'log-exposure', 14));
    const saved = readFileSync(routes, 'utf8');
    await client.open(routes, saved);
    // The route stops passing the diagnosis to the logging helper: the finding lives in logger.ts, the edit in patients.ts.
    const withoutDiagnosis = saved.replace('    primaryDiagnosis: conditions[0]?.code?.text,\n', '');
    assert.notEqual(withoutDiagnosis, saved, 'the edit applies to the example');
    await client.changed(routes, withoutDiagnosis, 2);
    await client.waitFor('the helper diagnostic to go', () => !client.diagnosticsOf(logger).some((d) => d.code === 'log-exposure'));
    await client.changed(routes, saved, 3);
    await client.waitFor('the helper diagnostic to come back', () => onLine(client.diagnosticsOf(logger), 'log-exposure', 14));
    await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: pathToFileURL(routes).href } });
  });

  test('after an edit, the open file is published again and closed files whose diagnostics did not change are not', { timeout: 50_000 }, async () => {
    const routes = file('src/routes/observations.ts');
    // Files no other test edits, whose findings rest on their own text only (a hard-coded identifier, an anonymiser).
    const untouched = [file('src/seed/dev-patients.ts'), file('src/research/anonymise.ts')];
    for (const other of untouched) await client.waitFor(`the findings of ${other}`, () => client.diagnosticsOf(other).length > 0);
    const unit = `analysed ${join(workspace, 'tsconfig.json')}:`;
    const saved = readFileSync(routes, 'utf8');
    await client.open(routes, saved);
    const from = client.timeline.length;
    await client.changed(routes, `${saved}\n// a comment changes no finding\n`, 2);
    await client.waitFor('the analysis of the edit', () => client.timeline.slice(from).some((e) => e.kind === 'log' && e.message.startsWith(unit)));
    const published = client.timeline.slice(from).flatMap((e) => (e.kind === 'publish' ? [e.uri] : []));
    assert.ok(published.includes(pathToFileURL(routes).href), 'the edited (open) file is published, unchanged or not');
    for (const other of untouched) assert.ok(!published.includes(pathToFileURL(other).href), `${other} is not published again: ${published.join(', ')}`);
    await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: pathToFileURL(routes).href } });
  });

  test('code actions offer the register entries as @processing tags, and one covers the export', { timeout: 50_000 }, async () => {
    const routes = file('src/routes/observations.ts');
    const diagnostic = await client.waitFor('unprotected-export', () => onLine(client.diagnosticsOf(routes), 'unprotected-export', 40));
    const actions = await codeActions(routes, diagnostic);
    const registerIds = [...readFileSync(file('health-data-register.yaml'), 'utf8').matchAll(/^\s*- id: ([\w-]+)/gm)].map((m) => m[1]);
    const offered = actions.map((a) => /@processing ([\w-]+)/.exec(a.title)?.[1]).filter(Boolean);
    assert.deepEqual(offered, registerIds, 'one action per register entry, in the register order');
    const careApi = actions.find((a) => a.title.includes('@processing care-api'))!;
    const saved = readFileSync(routes, 'utf8');
    const edited = applyEdits(saved, careApi.edit!.changes![pathToFileURL(routes).href]);
    assert.match(edited, /\* @processing care-api\n/);
    // As an editor does: the buffer changes (analysed from the buffer), the finding goes, then undo brings it back.
    await client.open(routes, saved);
    await client.changed(routes, edited, 2);
    await client.waitFor('the export to be covered by the register entry', () => !client.diagnosticsOf(routes).some((d) => d.code === 'unprotected-export'));
    await client.changed(routes, saved, 3);
    await client.waitFor('undo to bring it back', () => onLine(client.diagnosticsOf(routes), 'unprotected-export', 40));
    await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: pathToFileURL(routes).href } });
  });

  test('with an anonymiser configured in the settings, a fix wraps the exported value in it and imports it', { timeout: 50_000 }, async () => {
    const routes = file('src/routes/observations.ts');
    const anonymiserSource = readFileSync(file('src/research/anonymise.ts'), 'utf8');
    const name = /export function (\w+)/.exec(anonymiserSource)![1];
    await client.changeSettings({ anonymisers: [`src/research/anonymise#${name}`] });
    const diagnostic = await client.waitFor('unprotected-export', () => onLine(client.diagnosticsOf(routes), 'unprotected-export', 40));
    const wrap = (await codeActions(routes, diagnostic)).find((a) => a.title.startsWith('Anonymise before it leaves'));
    assert.ok(wrap, 'an anonymiser fix is offered');
    const edited = applyEdits(readFileSync(routes, 'utf8'), wrap.edit!.changes![pathToFileURL(routes).href]);
    assert.ok(edited.includes(`res.json(${name}(toSearchset(observations)))`), 'the value that leaves is wrapped');
    assert.ok(edited.includes(`import { ${name} } from '../research/anonymise';`), 'and the anonymiser imported by a relative path');
    await client.changeSettings({});
  });

  test('an open register is validated as it is typed and completes legal-basis ids', { timeout: 50_000 }, async () => {
    const register = file('health-data-register.yaml');
    const original = readFileSync(register, 'utf8');
    await client.open(register, original, 'yaml');
    const typo = original.replace('legalBasis: [gdpr-6-1-e, gdpr-9-2-h]', 'legalBasis: [gdpr-6-1-e, gdpr-9-2-hh]');
    assert.notEqual(typo, original);
    await client.changed(register, typo, 2);
    const problem = await client.waitFor('invalid-register', () => client.diagnosticsOf(register).find((d) => d.code === 'invalid-register'));
    const line = typo.split('\n')[problem.range.start.line];
    assert.equal(line.slice(problem.range.start.character, problem.range.end.character), 'gdpr-9-2-hh');
    assert.equal(readFileSync(register, 'utf8'), original, 'nothing written: the buffer is validated');
    // Completion at `legalBasis: [gdpr-6-1-e, gdpr-9-2-` on that line.
    const lineIndex = typo.split('\n').findIndex((l) => l.includes('gdpr-9-2-hh'));
    const character = typo.split('\n')[lineIndex].indexOf('gdpr-9-2-hh') + 'gdpr-9-2-'.length;
    const completion = (await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri: pathToFileURL(register).href },
      position: { line: lineIndex, character },
    })) as CompletionItem[];
    const labels = completion.map((item) => item.label);
    assert.ok(labels.includes('gdpr-9-2-h') && labels.includes('gdpr-9-2-j'), labels.join(' '));
    await client.changed(register, original, 3);
    await client.waitFor('the problem to go when fixed', () => !client.diagnosticsOf(register).some((d) => d.code === 'invalid-register'));
    await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: pathToFileURL(register).href } });
  });

  test('applying the suppression fix makes the log-exposure diagnostic disappear, other findings stay', { timeout: 50_000 }, async () => {
    const logger = file('src/lib/logger.ts');
    const diagnostic = await client.waitFor('log-exposure', () => onLine(client.diagnosticsOf(logger), 'log-exposure', 14));
    const suppression = (await codeActions(logger, diagnostic)).find((a) => a.title.startsWith('Suppress log-exposure'));
    const edits = suppression?.edit?.changes?.[pathToFileURL(logger).href];
    assert.ok(edits, 'the suppression is a text edit of this file');
    const edited = applyEdits(readFileSync(logger, 'utf8'), edits);
    assert.match(edited, /\n {2}\/\/ health-data-lint-disable-next-line log-exposure -- <reason>\n {2}logger\.info\(message, context\);/);
    // As an editor does: the open buffer changes; the placeholder left as is justifies nothing.
    await client.open(logger, readFileSync(logger, 'utf8'));
    await client.changed(logger, edited, 2);
    const unjustified = await client.waitFor('the placeholder to be refused', () =>
      client.diagnosticsOf(logger).find((d) => d.code === 'log-exposure' && /Not suppressed: .*replace the placeholder <reason>/.test(messageOf(d))),
    );
    assert.equal(unjustified.range.start.line, 14, 'the finding moved one line down, below the comment');
    // The developer writes the reason, then saves.
    const justified = edited.replace('<reason>', 'only the event name and ids reach this logger in production (LOG_LEVEL=warn)');
    await client.changed(logger, justified, 3);
    writeFileSync(logger, justified);
    await client.saved(logger);
    await client.waitFor('the log-exposure diagnostic to go', () => !client.diagnosticsOf(logger).some((d) => d.code === 'log-exposure'));
    assert.ok(onLine(client.diagnosticsOf(file('src/routes/observations.ts')), 'unprotected-export', 40), 'other findings are still there');
  });

  test('an unsaved edit is analysed from the editor buffer (run: onType), and closing it falls back to the disk', { timeout: 50_000 }, async () => {
    const statistics = file('src/routes/statistics.ts');
    const saved = readFileSync(statistics, 'utf8');
    assert.ok(!client.diagnosticsOf(statistics).length, 'the counts-only route starts clean');
    await client.open(statistics, saved);
    const leaking = saved.replace('    patients,\n', '    patients,\n    conditions: recentConditions,\n');
    assert.notEqual(leaking, saved, 'the edit applies to the example');
    await client.changed(statistics, leaking, 2);
    await client.waitFor('the unsaved leak to be reported', () => client.diagnosticsOf(statistics).some((d) => d.code === 'unprotected-export'));
    assert.equal(readFileSync(statistics, 'utf8'), saved, 'nothing was written to disk');
    await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: pathToFileURL(statistics).href } });
    await client.waitFor('the disk version to be clean again', () => !client.diagnosticsOf(statistics).some((d) => d.code === 'unprotected-export'));
  });

  test('applying the legal-basis fix records it on the exporting statement and the export finding goes', { timeout: 50_000 }, async () => {
    const routes = file('src/routes/observations.ts');
    const diagnostic = await client.waitFor('unprotected-export', () => onLine(client.diagnosticsOf(routes), 'unprotected-export', 40));
    const fix = (await codeActions(routes, diagnostic)).find((a) => a.isPreferred);
    assert.match(fix?.title ?? '', /@legalBasis gdpr-6-1-e gdpr-9-2-h/);
    const edited = applyEdits(readFileSync(routes, 'utf8'), fix!.edit!.changes![pathToFileURL(routes).href]);
    // The handler is a callback passed to `router.get`: the basis goes on the statement that performs the export.
    assert.match(edited, /\n {4}\/\*\*\n {5}\* @legalBasis gdpr-6-1-e gdpr-9-2-h\n {5}\*\/\n {4}res\.json\(toSearchset\(observations\)\);/);
    writeFileSync(routes, edited);
    await client.saved(routes, 'changed');
    await client.waitFor('the unprotected-export diagnostic to go', () => {
      const diagnostics = client.diagnosticsOf(routes);
      return !diagnostics.some((d) => d.code === 'unprotected-export') && diagnostics.some((d) => d.code === 'third-party-disclosure');
    });
  });

  test('a settings change re-analyses with the new rule severities', { timeout: 50_000 }, async () => {
    const seed = file('src/seed/dev-patients.ts');
    const routes = file('src/routes/observations.ts');
    await client.waitFor('hardcoded-health-identifier', () => client.diagnosticsOf(seed).some((d) => d.code === 'hardcoded-health-identifier'));
    await client.changeSettings({ rules: { 'hardcoded-health-identifier': 'off', 'third-party-disclosure': 'warning' } });
    await client.waitFor('the rule turned off to clear its diagnostics', () => client.diagnosticsOf(seed).length === 0);
    const warning = await client.waitFor('third-party-disclosure as a warning', () =>
      client.diagnosticsOf(routes).find((d) => d.code === 'third-party-disclosure' && d.severity === 2),
    );
    assert.equal(warning.source, 'health-data-lint');
    await client.changeSettings({});
    await client.waitFor('the rule back on', () => client.diagnosticsOf(seed).some((d) => d.code === 'hardcoded-health-identifier'));
  });

  test('a file that cannot be parsed gets an analysis-skipped notice, the others keep their findings', { timeout: 50_000 }, async () => {
    const broken = file('src/lib/broken.ts');
    writeFileSync(broken, 'export function broken( {\n  const x = ;\n');
    await client.saved(broken, 'created');
    const notice = await client.waitFor('analysis-skipped', () => client.diagnosticsOf(broken).find((d) => d.code === 'analysis-skipped'));
    assert.equal(notice.severity, 3, 'information');
    assert.match(messageOf(notice), /cannot parse/);
    assert.ok(onLine(client.diagnosticsOf(file('src/exports/insurer-statement.ts')), 'insufficient-legal-basis', 28));
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: pathToFileURL(broken).href }, position: { line: 0, character: 0 } });
    assert.equal(hover, null, 'the server still answers');
  });

  test('a register entry that no code uses is a warning on its id in the register', { timeout: 50_000 }, async () => {
    const register = file('health-data-register.yaml');
    const original = readFileSync(register, 'utf8');
    writeFileSync(register, `${original}\n  - id: retired-lab-feed\n    purpose: Lab results feed, decommissioned\n    legalBasis: [gdpr-6-1-e, gdpr-9-2-h]\n    appliesTo: ["src/feeds/lab/**"]\n`);
    await client.saved(register, 'changed');
    const stale = await client.waitFor('a stale-entry warning', () => client.diagnosticsOf(register).find((d) => d.code === 'stale-register-entry'));
    // The example has two projects (the API and web/): an entry used by one project is not stale for the other.
    assert.deepEqual(client.diagnosticsOf(register).filter((d) => d.code === 'stale-register-entry').length, 1, 'only the unused entry');
    assert.equal(stale.severity, 2);
    assert.equal(stale.range.start.line, original.split('\n').length + 1 - 1, 'on the line of the entry id');
    assert.match(messageOf(stale), /retired-lab-feed/);
    writeFileSync(register, original);
    await client.saved(register, 'changed');
    await client.waitFor('the warning to go', () => !client.diagnosticsOf(register).some((d) => d.code === 'stale-register-entry'));
  });

  test('a malformed register is reported on the register file, and fixing it brings the findings back', { timeout: 50_000 }, async () => {
    const register = file('health-data-register.yaml');
    const original = readFileSync(register, 'utf8');
    const insurer = file('src/exports/insurer-statement.ts');
    writeFileSync(register, `${original}\n  - id: broken\n    legalBasis: [gdpr-9-2-z]\n    appliesTo: "src/**"\n`);
    await client.saved(register, 'changed');
    const problem = await client.waitFor('a diagnostic on the register', () => client.diagnosticsOf(register).find((d) => d.code === 'analysis-blocked'));
    assert.equal(problem.severity, 1);
    assert.ok(problem.range.start.line > 20, `points at the broken entry (line ${problem.range.start.line + 1})`);
    assert.match(messageOf(problem), /processings\[3\]/, 'names the broken entry');
    await client.waitFor('an error status', () => client.statuses.at(-1)?.state === 'error');
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: pathToFileURL(insurer).href }, position: { line: 0, character: 0 } });
    assert.equal(hover, null, 'the server still answers');

    writeFileSync(register, original);
    await client.saved(register, 'changed');
    await client.waitFor('the register diagnostic to be cleared', () => client.diagnosticsOf(register).length === 0);
    await client.waitFor('findings back', () => onLine(client.diagnosticsOf(insurer), 'insufficient-legal-basis', 28));
  });
});

describe('language server: a file opened in a cold workspace', () => {
  test('its own findings come first (a look at its imports only), then the whole project\'s analysis refines them', { timeout: 60_000 }, async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'hdl-lsp-first-'));
    cpSync(join(packageRoot, 'examples', 'clinic-api'), workspace, { recursive: true });
    const client = await LspTestClient.start(serverScript, workspace);
    try {
      const opened = join(workspace, 'src', 'routes', 'observations.ts');
      const uri = pathToFileURL(opened).href;
      await client.open(opened, readFileSync(opened, 'utf8'));
      const unit = join(workspace, 'tsconfig.json');
      const analysed = await client.waitFor('the full analysis', () => client.timeline.findIndex((e) => e.kind === 'log' && e.message.startsWith(`analysed ${unit}:`)) + 1 || undefined);
      const firstLook = client.timeline.findIndex((e) => e.kind === 'log' && /^first look at 1 open files of .*: [1-9]\d* findings/.test(e.message));
      assert.ok(firstLook >= 0, `a first look at the opened file was logged: ${JSON.stringify(client.timeline.filter((e) => e.kind === 'log'))}`);
      // The example's web/ folder is a project of its own, analysed on its own: only this project's files count here.
      const before = client.timeline.slice(0, firstLook).filter((e) => e.kind === 'publish' && e.uri.startsWith(pathToFileURL(join(workspace, 'src')).href));
      assert.ok(firstLook < analysed - 1 && before.length > 0, 'diagnostics were published before the full analysis ended');
      assert.deepEqual([...new Set(before.map((e) => e.kind === 'publish' && e.uri))], [uri], 'the first look publishes the opened file only');
      // The full analysis keeps what the first look found in this file (no caller elsewhere changes these two).
      const final = await client.waitFor('the final diagnostics', () => client.diagnosticsOf(opened).filter((d) => d.code !== 'exported-health-field').length === 2 && client.diagnosticsOf(opened));
      const first = before.find((e) => e.kind === 'publish' && e.uri === uri);
      assert.ok(first && first.kind === 'publish' && first.count >= 2, 'the first publication already had the two findings of the file');
      assert.deepEqual(final.filter((d) => d.code !== 'exported-health-field').map((d) => d.code).sort(), ['third-party-disclosure', 'unprotected-export'].sort());
      // The web/ project reads the register too and sees none of the code that uses it: while this project had only
      // a first look, its entries must not be reported unused (a reader that has not judged them yet disagrees).
      const web = join(workspace, 'web', 'tsconfig.json');
      await client.waitFor('both projects analysed', () => client.timeline.some((e) => e.kind === 'log' && e.message.startsWith(`analysed ${web}:`)));
      const register = join(workspace, 'health-data-register.yaml');
      assert.deepEqual(client.diagnosticsOf(register).filter((d) => d.code === 'stale-register-entry'), [], 'no register entry is reported unused');
    } finally {
      await client.stop();
      rmSync(workspace, { recursive: true, force: true });
    }
  });
});

/** When each entry of a results-cache directory was last written. */
function entriesWritten(directory: string): Map<string, number> {
  return new Map(readdirSync(directory).filter((f) => f.endsWith('.json')).map((f) => [f, statSync(join(directory, f)).mtimeMs]));
}

/** Resolves when an entry of `directory` is written after the times in `before`, or fails after 20 s. */
async function writtenAgain(directory: string, before: Map<string, number>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (![...entriesWritten(directory)].some(([file, time]) => time > (before.get(file) ?? -Infinity))) {
    if (Date.now() > deadline) assert.fail(`no entry of ${directory} was written again while the server was idle`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('language server reopening a workspace with a results cache (initializationOptions.resultsCacheDirectory)', () => {
  test("the opened file's findings come from the last session's results, callers elsewhere included; a change since means a look at its imports", { timeout: 120_000 }, async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'hdl-lsp-reopen-'));
    cpSync(join(packageRoot, 'examples', 'clinic-api'), workspace, { recursive: true });
    const cache = mkdtempSync(join(tmpdir(), 'hdl-lsp-results-'));
    const unit = join(workspace, 'tsconfig.json');
    // The logger logs what its callers pass it: its finding needs the callers in other files.
    const logger = join(workspace, 'src', 'lib', 'logger.ts');
    const uri = pathToFileURL(logger).href;
    const session = async (check: (firstLook: string, published: number) => void, whileOpen?: () => Promise<unknown>) => {
      const client = await LspTestClient.start(serverScript, workspace, undefined, { resultsCacheDirectory: cache });
      try {
        await client.open(logger, readFileSync(logger, 'utf8'));
        const at = (await client.waitFor('the first look', () => client.timeline.findIndex((e) => e.kind === 'log' && e.message.startsWith(`first look at 1 open files of ${unit}:`)) + 1 || undefined)) - 1;
        const entry = client.timeline[at];
        // What the logger showed when the first look was logged (its last publication before).
        const before = client.timeline.slice(0, at).filter((e) => e.kind === 'publish' && e.uri === uri);
        check(entry.kind === 'log' ? entry.message : '', before.reduce((n, e) => (e.kind === 'publish' ? e.count : n), 0));
        await client.waitFor("the logger's finding", () => onLine(client.diagnosticsOf(logger), 'log-exposure', 14));
        await whileOpen?.();
      } finally {
        await client.stop();
      }
    };
    try {
      // Without kept results: a look at the logger and its imports sees no caller.
      await session((firstLook, published) => {
        assert.doesNotMatch(firstLook, /earlier session/);
        assert.equal(published, 0, 'the first look found nothing in the logger');
      });
      assert.ok(readdirSync(cache).some((f) => f.endsWith('.json')), 'the results were kept at shutdown');
      // Nothing changed since: the logger's finding is shown at once, from the kept results.
      await session((firstLook, published) => {
        assert.match(firstLook, /: 1 findings, from the results of an earlier session/);
        assert.equal(published, 1, "the first look published the logger's finding");
      });
      // A file changed on disk since: the kept results may not hold, so the first look is a look at the logger's imports.
      const route = join(workspace, 'src', 'routes', 'observations.ts');
      writeFileSync(route, `${readFileSync(route, 'utf8')}\n// reviewed\n`);
      // One entry per project (the example has two); the one of the project that changed is written again.
      const keptBefore = entriesWritten(cache);
      await session(
        (firstLook, published) => {
          assert.doesNotMatch(firstLook, /earlier session/);
          assert.equal(published, 0);
        },
        // The analysis that took the change in saved new results: written once the server has been idle a while
        // (5 s), not only at shutdown.
        () => writtenAgain(cache, keptBefore),
      );
    } finally {
      rmSync(workspace, { recursive: true, force: true });
      rmSync(cache, { recursive: true, force: true });
    }
  });
});

describe('language server with a minimal client (no pull configuration, no file watching)', () => {
  let workspace: string;
  let client: LspTestClient;

  before(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'hdl-lsp-minimal-'));
    cpSync(join(packageRoot, 'examples', 'clinic-api'), workspace, { recursive: true });
    client = await LspTestClient.start(serverScript, workspace, {
      initializationOptions: { healthDataLint: { rules: { 'hardcoded-health-identifier': 'off' } } },
    });
  });

  after(async () => {
    await client?.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  test('settings pushed in initializationOptions apply, and a file written on disk is analysed without any notification', { timeout: 60_000 }, async () => {
    const routes = join(workspace, 'src/routes/observations.ts');
    await client.waitFor('the example analysed', () => onLine(client.diagnosticsOf(routes), 'unprotected-export', 40));
    assert.equal(client.diagnosticsOf(join(workspace, 'src/seed/dev-patients.ts')).length, 0, 'the rule turned off in initializationOptions');
    // Another program (git, a generator) writes a file: the client says nothing, the server watches the folder.
    const written = join(workspace, 'src/routes/export-debug.ts');
    writeFileSync(
      written,
      [
        "import type { Request, Response } from 'express';",
        "import { fhirRepository } from '../data';",
        '',
        'export async function debugConditions(req: Request, res: Response): Promise<void> {',
        '  const conditions = await fhirRepository.conditionsOf(String(req.query.id));',
        '  res.json(conditions);',
        '}',
        '',
      ].join('\n'),
    );
    await client.waitFor('the new file to be analysed', () => client.diagnosticsOf(written).some((d) => d.code === 'unprotected-export'));
  });
});

describe('language server on a monorepo with a tsconfig per package', () => {
  const tsconfig = JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', lib: ['ES2022', 'DOM'], module: 'commonjs', types: [] }, include: ['src'] });
  const auditText = [
    "import { label } from '../../shared/src/format';",
    '',
    'export interface Patient {',
    '  id: string;',
    '  diagnosis: string;',
    '}',
    '',
    'export function audit(patient: Patient): void {',
    '  console.log(label(patient));',
    '}',
    '',
  ].join('\n');

  /** packages/api imports a helper of packages/shared; `others` are packages of their own, listed between them. */
  function monorepo(others: string[] = []): string {
    const workspace = mkdtempSync(join(tmpdir(), 'hdl-lsp-packages-'));
    const files: Record<string, string> = {
      'packages/shared/tsconfig.json': tsconfig,
      'packages/shared/src/format.ts': "export function label(patient: { id: string; diagnosis: string }): string {\n  return 'patient record';\n}\n",
      'packages/api/tsconfig.json': tsconfig,
      'packages/api/src/audit.ts': auditText,
    };
    for (const name of others) {
      files[`packages/${name}/tsconfig.json`] = tsconfig;
      files[`packages/${name}/src/index.ts`] = `export interface ${name}Record {\n  diagnosis: string;\n}\nexport function show(record: ${name}Record): void {\n  console.log(record.diagnosis);\n}\n`;
    }
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(workspace, file)), { recursive: true });
      writeFileSync(join(workspace, file), text);
    }
    return workspace;
  }

  test("a helper of one package saved with a change: the package that imports it is analysed again, and its findings follow", { timeout: 90_000 }, async () => {
    const workspace = monorepo();
    const helper = join(workspace, 'packages', 'shared', 'src', 'format.ts');
    const audit = join(workspace, 'packages', 'api', 'src', 'audit.ts');
    const client = await LspTestClient.start(serverScript, workspace);
    try {
      const analysed = (name: string) => client.timeline.some((e) => e.kind === 'log' && e.message.startsWith(`analysed ${join(workspace, 'packages', name, 'tsconfig.json')}:`));
      await client.waitFor('both packages analysed', () => analysed('api') && analysed('shared'));
      assert.deepEqual(client.diagnosticsOf(audit).filter((d) => d.code === 'log-exposure'), [], 'the helper returns no health data yet');
      writeFileSync(helper, 'export function label(patient: { id: string; diagnosis: string }): string {\n  return patient.diagnosis;\n}\n');
      await client.saved(helper, 'changed');
      const logged = await client.waitFor('the log in the importing package', () => client.diagnosticsOf(audit).find((d) => d.code === 'log-exposure'));
      assert.equal(logged.range.start.line, 8, 'on the console.log of audit.ts');
    } finally {
      await client.stop();
      rmSync(workspace, { recursive: true, force: true });
    }
  });

  test('the opened file\'s package gets its first look before the whole analyses of the packages listed before it', { timeout: 90_000 }, async () => {
    const others = ['billing', 'pharmacy', 'records'];
    const workspace = monorepo(others);
    const opened = join(workspace, 'packages', 'shared', 'src', 'format.ts');
    const client = await LspTestClient.start(serverScript, workspace);
    try {
      await client.open(opened, readFileSync(opened, 'utf8'));
      const logIndex = (prefix: string) => client.timeline.findIndex((e) => e.kind === 'log' && e.message.startsWith(prefix));
      const unit = (name: string) => join(workspace, 'packages', name, 'tsconfig.json');
      await client.waitFor('every package analysed', () => [...others, 'api', 'shared'].every((name) => logIndex(`analysed ${unit(name)}:`) >= 0));
      const firstLook = logIndex(`first look at 1 open files of ${unit('shared')}`);
      assert.ok(firstLook >= 0, 'the opened file had a first look');
      // Opened while the packages wait for their debounce: every analysis is queued in one turn, the first look first.
      const before = [...others, 'api'].filter((name) => logIndex(`analysed ${unit(name)}:`) < firstLook);
      assert.deepEqual(before, [], "analysed before the opened file's first look");
    } finally {
      await client.stop();
      rmSync(workspace, { recursive: true, force: true });
    }
  });
});
