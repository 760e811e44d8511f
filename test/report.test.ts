// Report formatters on hand-built results: stylish layout, JSON against its shipped schema, SARIF structure, Markdown.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Ajv from 'ajv';
import outputSchema from '../schemas/output.schema.json';
import { RULE_IDS } from '../server/src/engine/model';
import type { AnalysisResult, Finding, SourceLocation } from '../server/src/engine/model';
import { buildSarifLog, formatJson, formatMarkdown, formatStylish, TOOL_VERSION } from '../server/src/engine/report';

const root = '/repo';
const routes = '/repo/src/routes/patients.ts';
const logger = '/repo/src/logger.ts';
const docs = 'https://example.org/rules/';

function at(file: string, line: number, column: number): SourceLocation {
  return { file, line, column, endLine: line, endColumn: column + 7 };
}

function finding(overrides: Partial<Finding> & Pick<Finding, 'ruleId' | 'severity' | 'message' | 'location'>): Finding {
  return { flows: [], related: [], categories: ['diagnosis'], fingerprint: `${overrides.ruleId}:${overrides.location.line}`, ...overrides };
}

function sampleResult(): AnalysisResult {
  return {
    findings: [
      finding({ ruleId: 'log-exposure', severity: 'warning', message: 'Health data (medication) is written to logs (console.log).', location: at(logger, 3, 15), categories: ['medication'] }),
      finding({
        ruleId: 'unprotected-export',
        severity: 'error',
        message: 'Health data (diagnosis) is sent in an HTTP response (express res.json).',
        location: at(routes, 12, 14),
        categories: ['patient-record', 'diagnosis'],
        flows: [[
          { location: at(routes, 8, 9), message: 'field `diagnosis` read' },
          { location: at(routes, 12, 14), message: 'sent with `res.json(patient)`' },
        ]],
        related: [{ location: at(routes, 8, 9), message: 'source: `patient.diagnosis`' }],
        sinkMatchedBy: 'symbol',
        basis: [{ origin: 'jsdoc', ids: ['gdpr-6-1-e'], location: at(routes, 10, 1) }],
      }),
      finding({ ruleId: 'third-party-disclosure', severity: 'error', message: 'Health data reaches sentry.', location: at(routes, 2, 1), recipient: 'sentry' }),
      finding({
        ruleId: 'client-side-storage',
        severity: 'error',
        message: 'Health data is stored in localStorage.',
        location: at(routes, 30, 5),
        suppressed: { justification: 'demo data only', location: at(routes, 29, 1) },
      }),
      finding({ ruleId: 'exported-health-field', severity: 'information', message: 'Field `diagnosis` is exported.', location: at(routes, 4, 3) }),
    ],
    skipped: [{ file: '/repo/src/huge.ts', reason: 'too-large', message: 'the file is 2.4 MB, over the 1 MB limit' }],
    projects: [{ configFile: '/repo/tsconfig.json', root, files: 42, typesMissing: false }],
    notices: [],
  };
}

test('stylish groups findings by file in position order, leaves suppressed ones out and prints totals', () => {
  const text = formatStylish(sampleResult(), root, { color: false });
  assert.equal(
    text,
    [
      '',
      'src/logger.ts',
      '  3:15  warning  Health data (medication) is written to logs (console.log).  log-exposure',
      '',
      'src/routes/patients.ts',
      '  2:1    error        Health data reaches sentry.                                              third-party-disclosure',
      '  4:3    information  Field `diagnosis` is exported.                                           exported-health-field',
      '  12:14  error        Health data (diagnosis) is sent in an HTTP response (express res.json).  unprotected-export',
      '',
      '\u2716 4 problems (2 errors, 1 warning, 1 information)',
      '  1 finding suppressed with a justification',
      '',
    ].join('\n'),
  );
});

test('stylish prints nothing for a clean result and colours severities only when asked', () => {
  assert.equal(formatStylish({ findings: [], skipped: [], projects: [], notices: [] }, root, { color: false }), '');
  const coloured = formatStylish(sampleResult(), root, { color: true });
  assert.match(coloured, /\u001b\[31merror/);
  assert.doesNotMatch(formatStylish(sampleResult(), root, { color: false }), /\u001b/);
});

test('the JSON report validates against schemas/output.schema.json and keeps everything the engine found', () => {
  const report = JSON.parse(formatJson(sampleResult(), { documentationBaseUrl: docs })) as Record<string, any>;
  const validate = new Ajv({ allErrors: true, strict: true }).compile(outputSchema as object);
  assert.ok(validate(report), JSON.stringify(validate.errors, null, 2));
  assert.equal(report.tool.version, TOOL_VERSION);
  assert.deepEqual(report.summary, {
    errors: 2, warnings: 1, information: 1, suppressed: 1, filesAnalysed: 42, filesSkipped: 1, typesMissing: false,
  });
  const exported = report.findings.find((f: { ruleId: string }) => f.ruleId === 'unprotected-export');
  assert.deepEqual(exported.categories, ['diagnosis', 'patient-record'], 'categories in the contract order');
  assert.equal(exported.documentationUrl, 'https://example.org/rules/unprotected-export.md');
  assert.equal(exported.flows[0].length, 2);
  assert.equal(exported.basis[0].ids[0], 'gdpr-6-1-e');
  const suppressed = report.findings.find((f: { ruleId: string }) => f.ruleId === 'client-side-storage');
  assert.equal(suppressed.suppressed.justification, 'demo data only');
  assert.equal(report.skipped[0].reason, 'too-large');
});

test('the JSON schema rejects what the report must never contain', () => {
  const validate = new Ajv({ allErrors: true, strict: true }).compile(outputSchema as object);
  const report = JSON.parse(formatJson(sampleResult(), { documentationBaseUrl: docs })) as Record<string, any>;
  report.findings[0].severity = 'off';
  assert.equal(validate(report), false);
});

test('SARIF: one run, every rule described, results with levels, flows, related ids, fingerprints and suppressions', () => {
  const rulesDirectory = mkdtempSync(join(tmpdir(), 'hdl-rules-'));
  writeFileSync(join(rulesDirectory, 'log-exposure.md'), '# log-exposure\n\nLogs travel far: to files, to log platforms.\nMore text.\n\n## Examples\n');
  const log = buildSarifLog(sampleResult(), { repoRoot: root, documentationBaseUrl: docs, rulesDirectory });
  assert.equal(log.version, '2.1.0');
  assert.equal(log.runs.length, 1);
  const run = log.runs[0];
  const driver = run.tool.driver;
  assert.equal(driver.name, 'health-data-lint');
  assert.equal(driver.version, TOOL_VERSION);
  assert.deepEqual(driver.rules?.map((rule) => rule.id), [...RULE_IDS]);
  const logRule = driver.rules?.find((rule) => rule.id === 'log-exposure');
  assert.equal(logRule?.name, 'LogExposure');
  assert.equal(logRule?.helpUri, 'https://example.org/rules/log-exposure.md');
  assert.match(logRule?.help?.markdown ?? '', /^# log-exposure/);
  assert.equal(logRule?.fullDescription?.text, 'Logs travel far: to files, to log platforms. More text.');
  assert.equal(logRule?.properties?.['security-severity'], '6.5');
  const fieldRule = driver.rules?.find((rule) => rule.id === 'exported-health-field');
  assert.deepEqual(fieldRule?.defaultConfiguration, { enabled: false, level: 'note' });
  assert.match(fieldRule?.help?.text ?? '', /See https:\/\/example\.org\/rules\/exported-health-field\.md$/, 'falls back to the short description');

  assert.equal(run.columnKind, 'utf16CodeUnits');
  assert.equal(run.originalUriBaseIds?.SRCROOT.uri, 'file:///repo/');
  const results = run.results ?? [];
  assert.equal(results.length, 5);
  const exported = results.find((r) => r.ruleId === 'unprotected-export');
  assert.equal(exported?.ruleIndex, RULE_IDS.indexOf('unprotected-export'));
  assert.equal(exported?.level, 'error');
  assert.deepEqual(exported?.locations?.[0].physicalLocation?.region, { startLine: 12, startColumn: 14, endLine: 12, endColumn: 21 });
  assert.equal(exported?.codeFlows?.length, 1);
  assert.deepEqual(
    exported?.codeFlows?.[0].threadFlows[0].locations.map((l) => l.location?.message?.text),
    ['field `diagnosis` read', 'sent with `res.json(patient)`'],
  );
  assert.equal(exported?.relatedLocations?.[0].id, 1);
  assert.deepEqual(exported?.partialFingerprints, { 'healthDataLint/v1': 'unprotected-export:12' });
  assert.deepEqual(exported?.suppressions, []);
  assert.equal(results.find((r) => r.ruleId === 'exported-health-field')?.level, 'note');
  assert.equal(results.find((r) => r.ruleId === 'log-exposure')?.level, 'warning');
  const suppressed = results.find((r) => r.ruleId === 'client-side-storage');
  assert.deepEqual(suppressed?.suppressions?.map((s) => [s.kind, s.justification]), [['inSource', 'demo data only']]);

  const notifications = run.invocations?.[0].toolExecutionNotifications ?? [];
  assert.equal(run.invocations?.[0].executionSuccessful, true);
  assert.equal(notifications.length, 1);
  assert.equal(notifications[0].descriptor?.id, 'analysis-skipped');
  assert.equal(notifications[0].locations?.[0].physicalLocation?.artifactLocation?.uri, 'src/huge.ts');
  assert.deepEqual(run.automationDetails, { id: 'health-data-lint/' });
});

test('Markdown: totals per rule linked to the docs, one row per reported finding, skipped files listed', () => {
  const text = formatMarkdown(sampleResult(), root, { documentationBaseUrl: docs });
  assert.match(text, /^## Health Data Lint\n\n2 errors, 1 warning, 1 information, 1 suppressed with a justification; 1 file not analysed\.\n/);
  assert.match(text, /\| \[`unprotected-export`\]\(https:\/\/example\.org\/rules\/unprotected-export\.md\) \| 1 \| 0 \| 0 \|/);
  assert.match(text, /\| error \| `src\/routes\/patients\.ts:12:14` \| `unprotected-export` \| Health data \(diagnosis\)/);
  assert.doesNotMatch(text, /localStorage/, 'suppressed findings are not listed as problems');
  assert.match(text, /- `src\/huge\.ts` \(too-large\)/);
  assert.match(text, /### How to fix\n\n- \[`unprotected-export`\]\(https:\/\/example\.org\/rules\/unprotected-export\.md\): \S/);
  assert.doesNotMatch(text, /Fix: /, 'the per-finding fix text is replaced by one line per rule');
});

test('Markdown: a long list stops at 50 findings and says how many more there are, well under a comment limit', () => {
  const result = sampleResult();
  const finding = result.findings.find((f) => f.ruleId === 'unprotected-export')!;
  const many = Array.from({ length: 120 }, (_, index) => ({ ...finding, message: `${finding.message} ${'x'.repeat(400)}`, location: { ...finding.location, line: index + 1 } }));
  const text = formatMarkdown({ ...result, findings: many }, root, { documentationBaseUrl: docs });
  assert.equal(text.match(/^\| error \| `src\/routes\/patients\.ts:/gm)?.length, 50);
  assert.match(text, /…and 70 more findings, in the SARIF, JSON or HTML report of the same run\./);
  assert.ok(text.length < 60_000);
});
