// The extension in a real VS Code, on a copy of examples/clinic-api: activation, diagnostics for the example's
// `// expect:` comments, hover, code actions (the suppression fix applied through a workspace edit), the Health data
// flows view and the server commands. Every wait polls until a deadline; nothing sleeps a fixed time.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { GROUP_LABELS, type FlowFindingNode, type FlowGroupNode, type FlowTreeNode } from '../../../client/src/flows-tree';
import { CLIENT_COMMANDS, type RecipientGroup } from '../../../server/src/lsp/protocol';
import { readExpectations, type Expectation } from '../../support/fixtures';

const EXTENSION_ID = 'health-data-lint.health-data-lint';
const SOURCE = 'health-data-lint';
/** The first related location of a data-flow finding is its health-data source (see the language server's diagnostics). */
const SOURCE_STEP = /^(path 1, step 1: )?source: /;
/** Rules whose findings always go to one kind of recipient (the others follow their recipient). */
const GROUP_OF_RULE: Partial<Record<string, RecipientGroup>> = {
  'unprotected-export': 'partner-api',
  'third-party-disclosure': 'third-party',
  'log-exposure': 'log',
  'client-side-storage': 'browser-storage',
};

/** Polls `probe` until it returns a value; on timeout the error says what was awaited and, via `state`, what there was. */
async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, state?: () => string, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${state ? `\n${state()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function ruleOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n');
}

function findingNodes(nodes: readonly FlowTreeNode[]): FlowFindingNode[] {
  return nodes.flatMap((node) => (node.kind === 'finding' ? [node] : findingNodes(node.children)));
}

suite('Health Data Lint in VS Code (examples/clinic-api)', () => {
  const workspace = process.env.HEALTH_DATA_LINT_E2E_WORKSPACE ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
  const uriOf = (file: string) => vscode.Uri.file(join(workspace, file));
  const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === SOURCE);
  const diagnosticOf = (expectation: Expectation, line = expectation.line) =>
    ours(uriOf(expectation.file)).find((diagnostic) => ruleOf(diagnostic) === expectation.ruleId && diagnostic.range.start.line === line - 1);
  /** Our diagnostics of a file, for failure messages. */
  const diagnosticsState = (uri: vscode.Uri) => `diagnostics of ${vscode.workspace.asRelativePath(uri)}: ${ours(uri).map((d) => `${ruleOf(d)}:${d.range.start.line + 1}`).join(', ') || 'none'}`;
  let expectations: Expectation[] = [];
  /** Expectations whose diagnostic carries a path from a health-data source: the findings the flows view shows. */
  let flowExpectations: Expectation[] = [];
  const expectationOf = (ruleId: string) => {
    const found = expectations.find((expectation) => expectation.ruleId === ruleId);
    assert.ok(found, `the example announces a ${ruleId} finding`);
    return found;
  };

  suiteSetup(() => {
    assert.ok(workspace, 'a workspace folder is open');
    assert.equal(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath, workspace, 'VS Code opened the copy of the example');
    expectations = readExpectations(workspace);
    assert.ok(expectations.length >= 8, `the example announces its findings (${expectations.length})`);
  });

  test('the extension activates and registers its commands', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is loaded from the development path`);
    await extension.activate();
    assert.ok(extension.isActive);
    const commands = await vscode.commands.getCommands(true);
    for (const command of Object.values(CLIENT_COMMANDS)) assert.ok(commands.includes(command), `${command} is registered`);
  });

  test('every // expect: comment is a diagnostic with its rule id and documentation link, and no other error or warning', async () => {
    for (const expectation of expectations) {
      const diagnostic = await waitFor(`${expectation.ruleId} at ${expectation.file}:${expectation.line}`, () => diagnosticOf(expectation), () => diagnosticsState(uriOf(expectation.file)));
      const code = diagnostic.code as { value: string; target: vscode.Uri };
      assert.match(code.target.toString(), new RegExp(`/rules/${expectation.ruleId}\\.md$`), 'the code links to the rule page');
    }
    // Information diagnostics are left out: the editor turns on exported-health-field, which the CLI (and the
    // `expect:` comments) leave off, and analysis-skipped notices are information too.
    for (const file of new Set(expectations.map((expectation) => expectation.file))) {
      const actual = ours(uriOf(file))
        .filter((diagnostic) => diagnostic.severity !== vscode.DiagnosticSeverity.Information)
        .map((diagnostic) => `${ruleOf(diagnostic)}:${diagnostic.range.start.line + 1}`)
        .sort();
      const expected = expectations.filter((expectation) => expectation.file === file).map((expectation) => `${expectation.ruleId}:${expectation.line}`).sort();
      assert.deepEqual(actual, expected, file);
    }
    flowExpectations = expectations.filter((expectation) => SOURCE_STEP.test(diagnosticOf(expectation)?.relatedInformation?.[0]?.message ?? ''));
    assert.ok(flowExpectations.length >= 5 && flowExpectations.length < expectations.length, 'data flows and findings without one');
  });

  test('hovering a finding explains the rule and why the data is health data', async () => {
    const expectation = expectationOf('log-exposure');
    const diagnostic = await waitFor('the log-exposure diagnostic', () => diagnosticOf(expectation));
    await vscode.window.showTextDocument(uriOf(expectation.file));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uriOf(expectation.file), diagnostic.range.start);
    const text = hoverText(hovers);
    assert.match(text, /log-exposure/);
    assert.match(text, /Why this is health data/);
  });

  test('Show Health Data Flows fills the view with each data-flow finding under its kind of recipient', async () => {
    assert.ok(flowExpectations.length > 0, 'the diagnostics test ran first');
    const tree = await waitFor('every data-flow finding in the view', async () => {
      const groups = await vscode.commands.executeCommand<FlowGroupNode[]>(CLIENT_COMMANDS.showDataFlows);
      const nodes = findingNodes(groups);
      const present = flowExpectations.every((expectation) =>
        nodes.some((node) => node.ruleId === expectation.ruleId && vscode.Uri.parse(node.location.uri).fsPath === uriOf(expectation.file).fsPath && node.location.range.start.line === expectation.line - 1),
      );
      return present && groups;
    });
    for (const expectation of flowExpectations) {
      const group = GROUP_OF_RULE[expectation.ruleId];
      if (!group) continue;
      const groupNode = tree.find((node) => node.group === group);
      assert.ok(groupNode, `${GROUP_LABELS[group]} for ${expectation.ruleId}`);
      assert.ok(findingNodes([groupNode]).some((node) => node.ruleId === expectation.ruleId), `${expectation.ruleId} under ${GROUP_LABELS[group]}`);
    }
    const nonFlows = expectations.filter((expectation) => !flowExpectations.includes(expectation));
    assert.ok(!findingNodes(tree).some((node) => nonFlows.some((expectation) => expectation.ruleId === node.ruleId)), 'findings without a data flow are not in the view');

    // With a file, the view keeps the flows whose sink or source is in it.
    const file = uriOf(expectationOf('log-exposure').file);
    const filtered = await vscode.commands.executeCommand<FlowGroupNode[]>(CLIENT_COMMANDS.showDataFlows, file);
    assert.ok(filtered.length > 0, 'flows through the logger');
    for (const group of filtered) {
      for (const recipient of group.children) {
        for (const source of recipient.children) {
          const inFile = (uri: string | undefined) => uri !== undefined && vscode.Uri.parse(uri).fsPath === file.fsPath;
          assert.ok(inFile(source.location?.uri) || source.children.every((node) => inFile(node.location.uri)), `${source.field} goes through ${file.fsPath}`);
        }
      }
    }
    assert.ok(findingNodes(filtered).length < findingNodes(tree).length, 'the filter leaves flows out');
    await vscode.commands.executeCommand(CLIENT_COMMANDS.showDataFlows);
  });

  test('code actions offer the suppression fix, and applying it removes the diagnostic until the original text is back', async () => {
    const expectation = expectationOf('log-exposure');
    const uri = uriOf(expectation.file);
    const diagnostic = await waitFor('the log-exposure diagnostic', () => diagnosticOf(expectation));
    const editor = await vscode.window.showTextDocument(uri);
    const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, diagnostic.range);
    const titles = actions.map((action) => action.title);
    assert.ok(titles.includes(`Show documentation for ${expectation.ruleId}`), titles.join(' | '));
    const suppression = actions.find((action): action is vscode.CodeAction => action.title.startsWith(`Suppress ${expectation.ruleId}`) && 'edit' in action);
    assert.ok(suppression?.edit, `a suppression fix among ${titles.join(' | ')}`);

    const others = expectations.filter((other) => other.file !== expectation.file);
    const original = editor.document.getText();
    assert.ok(await vscode.workspace.applyEdit(suppression.edit), 'the edit applies');
    assert.match(editor.document.getText(), new RegExp(`// health-data-lint-disable-next-line ${expectation.ruleId} -- `));
    // run.ts turns auto-save off: the server must then analyse the unsaved buffer (healthDataLint.run is onType by default).
    if (vscode.workspace.getConfiguration('files').get('autoSave') === 'off') assert.ok(editor.document.isDirty, 'the edit is not saved');
    await waitFor('the suppressed diagnostic to go', () => !ours(uri).some((d) => ruleOf(d) === expectation.ruleId), () => diagnosticsState(uri));
    for (const other of others) assert.ok(diagnosticOf(other), `${other.ruleId} at ${other.file}:${other.line} is still reported`);

    // Put the original text back and save it (not `revert`: an editor that auto-saves, as VS Code in the browser
    // does by default, has already written the edit to disk).
    const whole = new vscode.Range(editor.document.positionAt(0), editor.document.positionAt(editor.document.getText().length));
    const restore = new vscode.WorkspaceEdit();
    restore.replace(uri, whole, original);
    assert.ok(await vscode.workspace.applyEdit(restore), 'the original text is restored');
    assert.ok(await editor.document.save(), 'and saved');
    await waitFor('the diagnostic to come back with the original text', () => diagnosticOf(expectation), () => diagnosticsState(uri));
  });

  test('Restart Server brings the findings back from a new server; Scan Workspace runs', async () => {
    await vscode.commands.executeCommand(CLIENT_COMMANDS.restartServer);
    await vscode.commands.executeCommand(CLIENT_COMMANDS.scanWorkspace);
    for (const expectation of expectations) {
      await waitFor(`${expectation.ruleId} at ${expectation.file}:${expectation.line} after the restart`, () => diagnosticOf(expectation), () => diagnosticsState(uriOf(expectation.file)));
    }
    const groups = await waitFor('flows from the new server', async () => {
      const tree = await vscode.commands.executeCommand<FlowGroupNode[]>(CLIENT_COMMANDS.showDataFlows);
      return findingNodes(tree).length >= flowExpectations.length && tree;
    });
    assert.ok(groups.length > 0);
  });
});
