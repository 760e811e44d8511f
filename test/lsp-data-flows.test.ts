// The server's healthDataLint/dataFlows request on a copy of examples/clinic-api, over a real stdio connection:
// the flows must be the example's findings (its `// expect:` comments and the CLI's JSON report on the same copy)
// with their kind of recipient, recipient and source fields, and a change notification must follow an edit.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { DidCloseTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { buildFlowTree, GROUP_LABELS } from '../client/src/flows-tree';
import { DataFlowsChangedNotification, DataFlowsRequest, type DataFlow, type RecipientGroup } from '../server/src/lsp/protocol';
import { readExpectations } from './support/fixtures';
import { LspTestClient } from './support/lsp-client';

const packageRoot = process.cwd();
const serverScript = join(packageRoot, 'dist', 'server.js');
const cliScript = join(packageRoot, 'dist', 'cli.js');

/** The parts of the CLI's JSON report (schemas/output.schema.json) this test reads. */
interface JsonLocation {
  file: string;
  line: number;
}
interface JsonFinding {
  ruleId: string;
  severity: string;
  message: string;
  location: JsonLocation;
  recipient?: string;
  flows: { location: JsonLocation; message: string }[][];
}

/** A health-data source as the CLI reports it: the first step of a path, `source: <text> (<categories>): <why>`. */
interface ExpectedSource {
  field: string;
  uri: string;
  line: number;
  categories: string[];
  why: string;
}

const SOURCE_STEP = /^source: (.+) \(([a-z-]+(?:, [a-z-]+)*)\): (.+)$/s;

function sourcesOf(finding: JsonFinding): ExpectedSource[] {
  const sources = new Map<string, ExpectedSource>();
  for (const step of finding.flows.flat()) {
    const match = SOURCE_STEP.exec(step.message);
    if (!match) continue;
    const source = { field: match[1], uri: pathToFileURL(step.location.file).href, line: step.location.line, categories: match[2].split(', ').sort(), why: match[3] };
    sources.set(`${source.uri}:${source.line}:${source.field}`, source);
  }
  return [...sources.values()].sort(compareSources);
}

function compareSources(a: ExpectedSource, b: ExpectedSource): number {
  return a.uri.localeCompare(b.uri) || a.line - b.line || a.field.localeCompare(b.field);
}

/**
 * The kind of recipient the contract gives a finding. Most rules say it (a log, the browser, an export, a third
 * party); `insufficient-legal-basis` and `pseudonymised-export` take precedence over both exports and third parties,
 * so their kind follows the recipient: a host or a name the configuration gives to URL prefixes is an outbound request,
 * an SDK id (`sentry`, `openai`) a third party, none an export.
 */
function expectedGroup(finding: JsonFinding, configuredRecipients: readonly string[]): RecipientGroup {
  switch (finding.ruleId) {
    case 'log-exposure':
      return 'log';
    case 'client-side-storage':
      return 'browser-storage';
    case 'third-party-disclosure':
      return 'third-party';
    case 'unprotected-export':
      return 'partner-api';
    default: {
      const recipient = finding.recipient;
      if (recipient === undefined || recipient.includes('.') || configuredRecipients.includes(recipient)) return 'partner-api';
      return 'third-party';
    }
  }
}

function keyOf(ruleId: string, uri: string, line: number): string {
  return `${ruleId} ${uri}:${line}`;
}

describe('healthDataLint/dataFlows on a copy of examples/clinic-api', () => {
  let workspace: string;
  let client: LspTestClient;
  let cliFindings: JsonFinding[];
  let configuredRecipients: string[];
  let changeNotifications = 0;
  const uriOf = (relative: string) => pathToFileURL(join(workspace, relative)).href;
  const requestFlows = (uri?: string) => client.connection.sendRequest(DataFlowsRequest, uri ? { uri } : {});
  /** The findings of the CLI that are data flows: those whose path starts at a health-data source. */
  const expectedFlows = () => cliFindings.filter((finding) => sourcesOf(finding).length > 0);

  before(async () => {
    // The real path: the CLI reports real paths, and the server's URIs must be comparable with them.
    workspace = realpathSync(mkdtempSync(join(tmpdir(), 'hdl-flows-')));
    cpSync(join(packageRoot, 'examples', 'clinic-api'), workspace, { recursive: true });
    // The editor's severities: exported-health-field is information there, off in the CLI by default.
    const cli = spawnSync(process.execPath, [cliScript, workspace, '--format', 'json', '--rule', 'exported-health-field=information'], { encoding: 'utf8' });
    assert.equal(cli.status, 1, `the example has findings at error severity\n${cli.stderr}`);
    cliFindings = (JSON.parse(cli.stdout) as { findings: JsonFinding[] }).findings;
    configuredRecipients = Object.keys((JSON.parse(readFileSync(join(workspace, 'health-data-lint.config.json'), 'utf8')) as { recipients?: object }).recipients ?? {});
    client = await LspTestClient.start(serverScript, workspace);
    client.connection.onNotification(DataFlowsChangedNotification, () => {
      changeNotifications++;
    });
  });

  after(async () => {
    await client?.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  /** Waits until the server has analysed everything and answers with as many flows as the CLI found. */
  async function settledFlows(): Promise<DataFlow[]> {
    const expectedCount = expectedFlows().length;
    await client.waitFor('an idle status', () => client.statuses.at(-1)?.state === 'idle');
    const deadline = Date.now() + 40_000;
    for (;;) {
      const flows = await requestFlows();
      if (flows.length >= expectedCount || Date.now() > deadline) return flows;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  test('the CLI and the example agree on the findings this test compares with', () => {
    const expectations = readExpectations(workspace).map((e) => keyOf(e.ruleId, uriOf(e.file), e.line));
    // The comments announce what the CLI reports by default; information findings (exported-health-field, which the
    // editor's severities turn on) are not among them.
    const reported = cliFindings.filter((f) => f.severity !== 'information').map((f) => keyOf(f.ruleId, pathToFileURL(f.location.file).href, f.location.line));
    assert.deepEqual([...reported].sort(), [...expectations].sort(), 'every // expect: comment is a CLI finding and nothing else is');
    assert.ok(expectedFlows().length >= 5, `the example has data flows (${expectedFlows().length})`);
    assert.ok(expectedFlows().length < cliFindings.length, 'and findings that are not flows (hard-coded identifiers, anonymisers)');
  });

  test('one flow per data-flow finding, with its rule, location, severity, message, kind of recipient and recipient', { timeout: 60_000 }, async () => {
    const flows = await settledFlows();
    const expected = expectedFlows();
    assert.deepEqual(
      flows.map((flow) => keyOf(flow.ruleId, flow.uri, flow.range.start.line + 1)).sort(),
      expected.map((finding) => keyOf(finding.ruleId, pathToFileURL(finding.location.file).href, finding.location.line)).sort(),
      'the flows are the findings whose path starts at a health-data source',
    );
    for (const finding of expected) {
      const uri = pathToFileURL(finding.location.file).href;
      const flow = flows.find((f) => keyOf(f.ruleId, f.uri, f.range.start.line + 1) === keyOf(finding.ruleId, uri, finding.location.line))!;
      const where = `${finding.ruleId} at ${finding.location.file}:${finding.location.line}`;
      assert.equal(flow.severity, finding.severity, where);
      assert.equal(flow.message, finding.message, where);
      assert.equal(flow.group, expectedGroup(finding, configuredRecipients), where);
      if (finding.recipient) assert.equal(flow.recipient, finding.recipient, where);
      else assert.ok(flow.recipient.length > 0 && flow.sinkLabel.includes(flow.recipient), `${where}: the recipient (${flow.recipient}) is the API the sink label names (${flow.sinkLabel})`);
      assert.ok(finding.message.includes(flow.sinkLabel), `${where}: the message names the sink "${flow.sinkLabel}"`);
    }
  });

  test('each flow lists the health-data source fields of its paths, with where they are read, categories and why', { timeout: 60_000 }, async () => {
    const flows = await settledFlows();
    for (const finding of expectedFlows()) {
      const uri = pathToFileURL(finding.location.file).href;
      const flow = flows.find((f) => f.ruleId === finding.ruleId && f.uri === uri && f.range.start.line + 1 === finding.location.line);
      assert.ok(flow, `${finding.ruleId} at ${finding.location.file}:${finding.location.line}`);
      const actual = flow.sources
        .map((source) => ({ field: source.field, uri: source.uri, line: source.range.start.line + 1, categories: [...source.categories].sort(), why: source.why }))
        .sort(compareSources);
      assert.deepEqual(actual, sourcesOf(finding), `sources of ${finding.ruleId} at ${finding.location.file}:${finding.location.line}`);
    }
  });

  test('the tree the view builds from the answer puts each finding under its kind of recipient, recipient and fields', { timeout: 60_000 }, async () => {
    const tree = buildFlowTree(await settledFlows());
    for (const finding of expectedFlows()) {
      const group = tree.find((node) => node.label === GROUP_LABELS[expectedGroup(finding, configuredRecipients)]);
      assert.ok(group, `group of ${finding.ruleId}`);
      const recipients = group.children.filter((node) => finding.recipient === undefined || node.recipient === finding.recipient);
      const fields = recipients.flatMap((node) => node.children);
      for (const source of sourcesOf(finding)) {
        const field = fields.find((node) => node.field === source.field && node.location?.uri === source.uri && node.location.range.start.line + 1 === source.line);
        assert.ok(field, `${source.field} under ${group.label}`);
        assert.ok(
          field.children.some((node) => node.ruleId === finding.ruleId && node.location.range.start.line + 1 === finding.location.line),
          `${finding.ruleId} at line ${finding.location.line} under ${source.field}`,
        );
      }
    }
  });

  test('a file URI restricts the answer to the flows whose sink or source is in that file', { timeout: 60_000 }, async () => {
    const all = await settledFlows();
    const observations = uriOf('src/routes/observations.ts');
    const filtered = await requestFlows(observations);
    const expected = all.filter((flow) => flow.uri === observations || flow.sources.some((source) => source.uri === observations));
    assert.ok(expected.length > 0 && expected.length < all.length, 'the example has flows through the file and elsewhere');
    assert.deepEqual(filtered, expected);
  });

  test('an edit that adds a flow is followed by a change notification, and the next answer has the new flow', { timeout: 60_000 }, async () => {
    await settledFlows();
    const statistics = join(workspace, 'src', 'routes', 'statistics.ts');
    const original = readFileSync(statistics, 'utf8');
    const anchor = '  ]);\n';
    assert.ok(original.includes(anchor), 'the route awaits its queries');
    const edited = original.replace(anchor, `${anchor}  console.log('recent conditions', recentConditions);\n`);
    const logLine = edited.split('\n').findIndex((text) => text.includes("console.log('recent conditions'")) + 1;
    const logsHere = (flows: DataFlow[]) => flows.filter((flow) => flow.uri === pathToFileURL(statistics).href && flow.range.start.line + 1 === logLine);
    assert.equal(logsHere(await requestFlows()).length, 0, 'no flow there before the edit');

    const before = changeNotifications;
    await client.open(statistics, original);
    await client.changed(statistics, edited, 2);
    const withLog = await flowsWhen('the new log flow', (flows) => logsHere(flows).length > 0);
    // Messages on one connection arrive in order: the notification was sent before the answer that has the flow.
    assert.ok(withLog.notifiedBefore > before, 'a dataFlowsChanged notification came before the answer with the new flow');
    const [logged] = logsHere(withLog.flows);
    assert.equal(logged.ruleId, 'log-exposure');
    assert.equal(logged.group, 'log');
    assert.ok(logged.sources.length > 0 && logged.sources.every((source) => source.categories.length > 0), 'with the health-data sources it logs');

    const beforeRevert = changeNotifications;
    await client.changed(statistics, original, 3);
    const reverted = await flowsWhen('the log flow to go', (flows) => logsHere(flows).length === 0);
    assert.ok(reverted.notifiedBefore > beforeRevert, 'undoing the edit is notified too');
    await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: pathToFileURL(statistics).href } });
  });

  /** Asks for the flows until `condition` holds; returns them with the number of change notifications received by then. */
  async function flowsWhen(what: string, condition: (flows: DataFlow[]) => boolean, timeoutMs = 40_000): Promise<{ flows: DataFlow[]; notifiedBefore: number }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const flows = await requestFlows();
      const notifiedBefore = changeNotifications;
      if (condition(flows)) return { flows, notifiedBefore };
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\nserver stderr:\n${client.stderr.join('')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
});
