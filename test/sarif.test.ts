// Validates the SARIF report with Microsoft's SARIF multitool: no error and no warning on a realistic result.
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type * as Sarif from 'sarif';
import type { AnalysisResult, Finding, SourceLocation } from '../server/src/engine/model';
import { buildSarifLog, formatSarif } from '../server/src/engine/report/sarif';
import { multitoolPath, validateSarif } from './support/multitool';

// Tests run from the package root (npm test), bundled into another folder, so __dirname does not locate it.
const packageRoot = process.cwd();
function at(file: string, line: number, column: number, length = 7): SourceLocation {
  return { file, line, column, endLine: line, endColumn: column + length };
}

/** A repository with a scanned sub-folder, as code scanning sees it when `api/` is scanned. */
function sampleRepository(): { repoRoot: string; result: AnalysisResult } {
  const repoRoot = mkdtempSync(join(tmpdir(), 'hdl-sarif-'));
  mkdirSync(join(repoRoot, '.git'));
  const routes = join(repoRoot, 'api', 'src', 'routes', 'patients.ts');
  const logger = join(repoRoot, 'api', 'src', 'log helpers', 'logger.ts');
  const generated = join(repoRoot, 'api', 'src', 'generated.ts');
  const exportFinding: Finding = {
    ruleId: 'unprotected-export',
    severity: 'error',
    message:
      'Health data (diagnosis, patient-record) is sent in an HTTP response (express res.json) with neither anonymisation nor a recorded legal basis.',
    location: at(routes, 12, 14),
    flows: [
      [
        { location: at(routes, 8, 9, 18), message: 'field `diagnosis` read from `Patient`' },
        { location: at(routes, 12, 14), message: 'sent with `res.json(patient)`' },
      ],
    ],
    related: [{ location: at(routes, 8, 9, 18), message: 'source: `patient.diagnosis`' }],
    categories: ['diagnosis', 'patient-record'],
    fingerprint: 'unprotected-export:api/src/routes/patients.ts:res.json(patient):patient.diagnosis',
    sinkMatchedBy: 'symbol',
  };
  const logFinding: Finding = {
    ruleId: 'log-exposure',
    severity: 'warning',
    message: 'Health data (medication) is written to logs (console.log).',
    location: at(logger, 3, 15),
    flows: [[{ location: at(logger, 3, 15), message: 'logged with `console.log`' }]],
    related: [],
    categories: ['medication'],
    fingerprint: 'log-exposure:api/src/log helpers/logger.ts:console.log(x):x',
    suppressed: { justification: 'test fixture data only', location: at(logger, 2, 1, 60) },
  };
  const thirdParty: Finding = {
    ruleId: 'third-party-disclosure',
    severity: 'error',
    message: 'Health data (lab-result) reaches a third party (sentry) without a recorded legal basis naming it.',
    location: at(routes, 20, 30),
    flows: [],
    related: [],
    categories: ['lab-result'],
    recipient: 'sentry',
    fingerprint: 'third-party-disclosure:api/src/routes/patients.ts:Sentry.captureMessage(result):result',
  };
  const fieldNote: Finding = {
    ruleId: 'exported-health-field',
    severity: 'information',
    message: 'Field `diagnosis` reaches an export sink without anonymisation or a recorded basis.',
    location: at(routes, 4, 3, 9),
    flows: [],
    related: [{ location: at(routes, 12, 14), message: 'exported by `res.json(patient)`' }],
    categories: ['diagnosis'],
    fingerprint: 'exported-health-field:api/src/routes/patients.ts:Patient.diagnosis',
  };
  return {
    repoRoot,
    result: {
      findings: [exportFinding, logFinding, thirdParty, fieldNote],
      skipped: [
        { file: generated, reason: 'too-large', message: 'the file is 2.4 MB, over the 1 MB limit' },
        { file: join(repoRoot, 'api', 'src', 'broken.ts'), reason: 'parse-error', message: "')' expected at 3:14" },
      ],
      projects: [{ configFile: join(repoRoot, 'api', 'tsconfig.json'), root: join(repoRoot, 'api'), files: 3, typesMissing: true }],
      notices: [],
    },
  };
}

test('the SARIF report passes sarif-multitool validation with no error and no warning', () => {
  assert.ok(existsSync(multitoolPath), `expected ${multitoolPath} (npm ci installs @microsoft/sarif-multitool)`);
  const { repoRoot, result } = sampleRepository();
  const input = join(repoRoot, 'report.sarif');
  const output = join(repoRoot, 'validation.sarif');
  // The package's own rule documentation goes into help.markdown, as it will in a real run.
  const rulesDirectory = join(packageRoot, 'rules');
  writeFileSync(input, formatSarif(result, { repoRoot, documentationBaseUrl: 'https://example.org/docs/rules/', rulesDirectory }));
  const validation = validateSarif(input, output);
  assert.deepEqual(validation.problems, []);
  assert.ok(validation.completed, 'the validator ran to completion');
  const report = JSON.parse(readFileSync(input, 'utf8')) as Sarif.Log;
  const documented = report.runs[0].tool.driver.rules?.filter((rule) => rule.help?.markdown?.startsWith(`# ${rule.id}`));
  assert.equal(documented?.length, existsSync(rulesDirectory) ? report.runs[0].tool.driver.rules?.length : 0);
});

test('artifact URIs are relative to the git work tree with SRCROOT, even when a sub-folder is scanned', () => {
  const { repoRoot, result } = sampleRepository();
  const log = buildSarifLog(result, { repoRoot, documentationBaseUrl: 'https://example.org/docs/rules/' });
  const run = log.runs[0];
  assert.equal(run.originalUriBaseIds?.SRCROOT.uri, `file://${repoRoot}/`);
  const uris = (run.artifacts ?? []).map((artifact) => artifact.location?.uri);
  assert.ok(uris.includes('api/src/routes/patients.ts'));
  assert.ok(uris.includes('api/src/log%20helpers/logger.ts'), 'path segments are URI-encoded');
  for (const artifact of run.artifacts ?? []) assert.equal(artifact.location?.uriBaseId, 'SRCROOT');
  const first = run.results?.find((r) => r.ruleId === 'unprotected-export');
  const physical = first?.locations?.[0].physicalLocation;
  assert.equal(physical?.artifactLocation?.uri, 'api/src/routes/patients.ts');
  assert.equal(physical?.artifactLocation?.uriBaseId, 'SRCROOT');
  assert.equal(run.artifacts?.[physical?.artifactLocation?.index ?? -1].location?.uri, 'api/src/routes/patients.ts');
});
