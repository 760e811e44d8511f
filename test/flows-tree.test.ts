// The "Health data flows" tree model: grouping by kind of recipient, recipient and source field, counts, tooltips,
// and an order that does not depend on the order the server sends the flows in.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { allNodes, buildFlowTree, escapeMarkdown, UNKNOWN_SOURCE, type FlowGroupNode, type FlowRecipientNode, type FlowSourceNode } from '../client/src/flows-tree';
import type { DataFlow, DataFlowSource } from '../server/src/lsp/protocol';

const ROOT = 'file:///home/dev/clinic-api';

function range(line: number, character: number, endCharacter = character + 10): DataFlow['range'] {
  return { start: { line, character }, end: { line, character: endCharacter } };
}

function source(field: string, file: string, line: number, why: string, categories: string[], character = 4): DataFlowSource {
  return { field, uri: `${ROOT}/${file}`, range: range(line, character, character + field.length), why, categories };
}

// Sources and sinks shaped like those of examples/clinic-api (and a few more, so that groups have several recipients).
const conditionCode = source('condition.code', 'src/research/study-dataset.ts', 27, '`code` is clinical content of the FHIR resource `Condition`', ['diagnosis', 'condition'], 26);
const observationValue = source('observation.valueQuantity', 'src/research/study-dataset.ts', 30, '`valueQuantity` is clinical content of the FHIR resource `Observation`', ['vital-sign', 'lab-result'], 88);
const insurerCondition = source('condition.code', 'src/exports/insurer-statement.ts', 23, '`code` is clinical content of the FHIR resource `Condition`', ['diagnosis', 'condition'], 21);
const primaryDiagnosis = source('conditions[0]?.code', 'src/routes/patients.ts', 18, '`code` is clinical content of the FHIR resource `Condition`', ['diagnosis', 'condition'], 22);
const observationRow = source('row.resource', 'src/data/fhir-repository.ts', 50, 'type `Observation` is the FHIR resource Observation (lab-result, vital-sign)', ['lab-result', 'vital-sign'], 29);
const patientRecord = source('(await response.json()) as PatientRecord', 'web/patient-cache.ts', 17, "type `PatientRecord` is named after the health record 'patient record' (patient-record)", ['patient-record'], 17);

function flow(partial: Partial<DataFlow> & Pick<DataFlow, 'ruleId' | 'group' | 'recipient' | 'sinkLabel' | 'sources'>, file: string, line: number, character = 6): DataFlow {
  return {
    severity: 'error',
    message: `Health data leaves through ${partial.sinkLabel}.`,
    uri: `${ROOT}/${file}`,
    range: range(line, character),
    ...partial,
  };
}

const researchExport = flow(
  { ruleId: 'insufficient-legal-basis', group: 'partner-api', recipient: 'research-partner', sinkLabel: 'outbound request (axios)', sources: [conditionCode, observationValue] },
  'src/clients/partner-client.ts',
  22,
);
const insurerExport = flow(
  { ruleId: 'insufficient-legal-basis', group: 'partner-api', recipient: 'api.mutuelle-partenaire.example', sinkLabel: 'outbound request (axios)', sources: [insurerCondition] },
  'src/exports/insurer-statement.ts',
  27,
  52,
);
const registryFile = flow(
  { ruleId: 'pseudonymised-export', group: 'partner-api', recipient: 'fs', sinkLabel: 'file write (fs)', sources: [source('condition.code', 'src/exports/quality-registry-export.ts', 12, '`code` is clinical content of the FHIR resource `Condition`', ['diagnosis', 'condition'], 17)] },
  'src/exports/quality-registry-export.ts',
  24,
  30,
);
const winstonLog = flow(
  { ruleId: 'log-exposure', group: 'log', recipient: 'winston', sinkLabel: 'logger (winston)', sources: [primaryDiagnosis] },
  'src/lib/logger.ts',
  13,
  23,
);
const consoleLog = flow(
  { ruleId: 'log-exposure', group: 'log', recipient: 'console.log', sinkLabel: 'log (console.log)', sources: [primaryDiagnosis], severity: 'warning' },
  'src/routes/patients.ts',
  30,
);
const observationsResponse = flow(
  { ruleId: 'unprotected-export', group: 'partner-api', recipient: 'HTTP response', sinkLabel: 'HTTP response', sources: [observationRow] },
  'src/routes/observations.ts',
  39,
  13,
);
const sentry = flow(
  { ruleId: 'third-party-disclosure', group: 'third-party', recipient: 'sentry', sinkLabel: 'error tracker (Sentry)', sources: [source('condition.code', 'src/routes/observations.ts', 44, '`code` is clinical content of the FHIR resource `Condition`', ['diagnosis', 'condition'], 89)] },
  'src/routes/observations.ts',
  42,
  35,
);
const patientCache = flow(
  { ruleId: 'client-side-storage', group: 'browser-storage', recipient: 'localStorage', sinkLabel: 'localStorage', sources: [patientRecord] },
  'web/patient-cache.ts',
  20,
  49,
);

const CLINIC_FLOWS = [researchExport, insurerExport, registryFile, winstonLog, consoleLog, observationsResponse, sentry, patientCache];

function group(tree: FlowGroupNode[], label: string): FlowGroupNode {
  const found = tree.find((node) => node.label === label);
  assert.ok(found, `group ${label} in ${tree.map((node) => node.label).join(', ')}`);
  return found;
}

function recipient(node: FlowGroupNode, name: string): FlowRecipientNode {
  const found = node.children.find((child) => child.recipient === name);
  assert.ok(found, `recipient ${name} in ${node.children.map((child) => child.recipient).join(', ')}`);
  return found;
}

/** A deterministic shuffle (reversal plus interleaving), so a failure reproduces. */
function shuffled<T>(items: readonly T[]): T[] {
  const reversed = [...items].reverse();
  return [...reversed.filter((_, index) => index % 2 === 1), ...reversed.filter((_, index) => index % 2 === 0)];
}

describe('buildFlowTree', () => {
  test('groups by kind of recipient in a fixed order, leaving out groups without findings', () => {
    const tree = buildFlowTree(CLINIC_FLOWS);
    assert.deepEqual(
      tree.map((node) => node.label),
      ['Partner APIs and exports', 'Third parties', 'Logs', 'Browser storage'],
    );
    const withoutBrowser = buildFlowTree([winstonLog, sentry]);
    assert.deepEqual(
      withoutBrowser.map((node) => node.group),
      ['third-party', 'log'],
    );
    assert.deepEqual(buildFlowTree([]), []);
  });

  test('each group lists its recipients sorted case-insensitively, with counts in the description', () => {
    const tree = buildFlowTree(CLINIC_FLOWS);
    const partners = group(tree, 'Partner APIs and exports');
    assert.deepEqual(
      partners.children.map((child) => child.recipient),
      ['api.mutuelle-partenaire.example', 'fs', 'HTTP response', 'research-partner'],
    );
    assert.equal(partners.findingCount, 4);
    assert.equal(partners.description, '4 findings, 4 recipients');
    const logs = group(tree, 'Logs');
    assert.deepEqual(
      logs.children.map((child) => child.recipient),
      ['console.log', 'winston'],
    );
    assert.equal(logs.description, '2 findings, 2 recipients');
    assert.equal(group(tree, 'Third parties').description, '1 finding, 1 recipient');
  });

  test('a recipient lists the source fields that reach it, and each field the findings it leads to', () => {
    const research = recipient(group(buildFlowTree(CLINIC_FLOWS), 'Partner APIs and exports'), 'research-partner');
    assert.deepEqual(
      research.children.map((child) => child.field),
      ['condition.code', 'observation.valueQuantity'],
    );
    assert.equal(research.description, '1 finding, 2 fields');
    assert.match(research.tooltip, /Reached through `outbound request \(axios\)`/);
    for (const field of research.children) {
      assert.equal(field.children.length, 1);
      assert.equal(field.children[0].ruleId, 'insufficient-legal-basis');
      assert.deepEqual(field.children[0].location, { uri: researchExport.uri, range: researchExport.range });
    }
  });

  test('a finding reached by two fields appears under both but is counted once', () => {
    const tree = buildFlowTree(CLINIC_FLOWS);
    const partners = group(tree, 'Partner APIs and exports');
    const research = recipient(partners, 'research-partner');
    const findingNodes = allNodes([research]).filter((node) => node.kind === 'finding');
    assert.equal(findingNodes.length, 2, 'under each of its two fields');
    assert.equal(research.findingCount, 1);
    assert.equal(partners.findingCount, 4);
  });

  test('the same field read in two places gives two nodes, each revealing its own read', () => {
    const secondRead = flow(
      { ruleId: 'unprotected-export', group: 'partner-api', recipient: 'fs', sinkLabel: 'file write (fs)', sources: [source('condition.code', 'src/exports/annual-report.ts', 8, '`code` is clinical content of the FHIR resource `Condition`', ['diagnosis', 'condition'])] },
      'src/exports/annual-report.ts',
      15,
    );
    const fs = recipient(group(buildFlowTree([registryFile, secondRead]), 'Partner APIs and exports'), 'fs');
    assert.deepEqual(
      fs.children.map((child) => [child.field, child.location?.uri]),
      [
        ['condition.code', `${ROOT}/src/exports/annual-report.ts`],
        ['condition.code', `${ROOT}/src/exports/quality-registry-export.ts`],
      ],
    );
  });

  test('a source field node shows its categories and where it is read, and explains why it is health data', () => {
    const tree = buildFlowTree(CLINIC_FLOWS, { displayPath: (uri) => uri.slice(ROOT.length + 1) });
    const research = recipient(group(tree, 'Partner APIs and exports'), 'research-partner');
    const value = research.children.find((child) => child.field === 'observation.valueQuantity') as FlowSourceNode;
    assert.deepEqual(value.categories, ['lab-result', 'vital-sign'], 'sorted');
    assert.equal(value.description, 'lab-result, vital-sign · study-dataset.ts:31', 'the file name: the side bar is narrow');
    assert.deepEqual(value.location, { uri: observationValue.uri, range: observationValue.range });
    assert.match(value.tooltip, /^`observation\.valueQuantity`/);
    assert.match(value.tooltip, /\*\*Why this is health data\*\*: `valueQuantity` is clinical content of the FHIR resource `Observation`/);
    assert.match(value.tooltip, /\*\*Categories\*\*: `lab-result`, `vital-sign`/);
    assert.match(value.tooltip, /Read at src\/research\/study-dataset\.ts:31; reaches 1 sink\./, 'the tooltip has the whole path');
  });

  test('a finding node names the sink line, the rule and the sink, and its tooltip carries the message', () => {
    const tree = buildFlowTree(CLINIC_FLOWS, { displayPath: (uri) => uri.slice(ROOT.length + 1) });
    const [field] = recipient(group(tree, 'Third parties'), 'sentry').children;
    const [finding] = field.children;
    assert.equal(finding.label, 'observations.ts:43', 'the file name and the 1-based line');
    assert.equal(finding.description, 'third-party-disclosure · error tracker (Sentry)');
    assert.equal(finding.severity, 'error');
    assert.match(finding.tooltip, /^\*\*third-party-disclosure\*\* \(error\) at src\/routes\/observations\.ts:43\n\nHealth data leaves through error tracker \(Sentry\)\./);
  });

  test('one source field leading to several sinks lists them by file and line', () => {
    const logs = group(buildFlowTree(CLINIC_FLOWS), 'Logs');
    const consoleNode = recipient(logs, 'console.log');
    assert.equal(consoleNode.children[0].children[0].severity, 'warning');
    const bothLogs = flow({ ruleId: 'log-exposure', group: 'log', recipient: 'winston', sinkLabel: 'logger (winston)', sources: [primaryDiagnosis] }, 'src/lib/logger.ts', 9);
    const winston = recipient(group(buildFlowTree([winstonLog, bothLogs]), 'Logs'), 'winston');
    assert.equal(winston.children.length, 1, 'one field');
    assert.deepEqual(
      winston.children[0].children.map((node) => node.label),
      ['logger.ts:10', 'logger.ts:14'],
    );
  });

  test('the tree does not depend on the order of the flows, and ids are unique', () => {
    const tree = buildFlowTree(CLINIC_FLOWS);
    assert.deepEqual(buildFlowTree(shuffled(CLINIC_FLOWS)), tree);
    assert.deepEqual(buildFlowTree([...CLINIC_FLOWS].reverse()), tree);
    const ids = allNodes(tree).map((node) => node.id);
    assert.equal(new Set(ids).size, ids.length, 'unique ids');
  });

  test('ids stay the same when other findings come and go, so the editor keeps what is expanded', () => {
    const before = buildFlowTree(CLINIC_FLOWS);
    const after = buildFlowTree(CLINIC_FLOWS.filter((f) => f !== sentry));
    const idOf = (tree: FlowGroupNode[]) => allNodes(tree).filter((node) => node.kind !== 'group' || node.group !== 'third-party').map((node) => node.id);
    assert.deepEqual(idOf(after), idOf(before).filter((id) => !id.includes('third-party')));
  });

  test('a flow sent twice (overlapping projects) is shown and counted once', () => {
    const tree = buildFlowTree([sentry, { ...sentry, sources: [...sentry.sources] }]);
    assert.equal(tree[0].findingCount, 1);
    assert.equal(allNodes(tree).filter((node) => node.kind === 'finding').length, 1);
  });

  test('a flow without sources stays visible under a placeholder field, after the real fields', () => {
    const withoutSources = flow({ ruleId: 'log-exposure', group: 'log', recipient: 'winston', sinkLabel: 'logger (winston)', sources: [] }, 'src/worker.ts', 5);
    const winston = recipient(group(buildFlowTree([withoutSources, winstonLog]), 'Logs'), 'winston');
    assert.deepEqual(
      winston.children.map((child) => child.field),
      ['conditions[0]?.code', UNKNOWN_SOURCE],
    );
    assert.equal(winston.children[1].location, undefined, 'nothing to reveal');
    assert.equal(winston.children[1].children[0].label, 'worker.ts:6');
  });
});

describe('escapeMarkdown', () => {
  test('escapes Markdown outside code spans and leaves code spans as they are', () => {
    assert.equal(escapeMarkdown('data (`conditions[0]?.code`) goes to *logs* [here]'), 'data (`conditions[0]?.code`) goes to \\*logs\\* \\[here\\]');
    assert.equal(escapeMarkdown('a_b <b>'), 'a\\_b \\<b\\>');
  });
});
