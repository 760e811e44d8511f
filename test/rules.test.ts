// Rule fixtures: every test/fixtures/rules/<rule>/<case>/ must type-check and produce exactly the findings its `expect:` comments announce, with and without its dependencies' types.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { scan } from '../server/src/engine/index';
import { loadConfig } from '../server/src/engine/load-config';
import type { AnalysisResult } from '../server/src/engine/model';
import {
  comparableFindings,
  diffFindings,
  findRepositoryRoot,
  formatFindingDiff,
  isTypeScriptSource,
  listRuleCases,
  makeUntypedCopy,
  toPosix,
  typeCheckProject,
  type RuleCase,
} from './support/fixtures';

const repositoryRoot = findRepositoryRoot();
const fixturesDirectory = join(repositoryRoot, 'test', 'fixtures');
const baseConfigFile = join(fixturesDirectory, 'tsconfig.base.json');
const cases = listRuleCases(join(fixturesDirectory, 'rules'));
const temporaryCopies: string[] = [];

async function scanCase(caseDirectory: string): Promise<AnalysisResult> {
  // loadConfig walks up from the case: a case's own health-data-lint.config.json (and the register beside it) wins.
  const loaded = loadConfig(caseDirectory);
  return scan({ paths: [caseDirectory], config: loaded.config, configDirectory: loaded.directory });
}

/** Every way the scan of a case departs from its comments; empty when it matches. */
function describeMismatches(testCase: RuleCase, result: AnalysisResult, caseDirectory: string, typed: boolean): string[] {
  const problems: string[] = [];
  if (testCase.expectationError) problems.push(`  BAD EXPECT COMMENT ${testCase.expectationError}`);
  for (const skipped of result.skipped) {
    problems.push(`  SKIPPED ${toPosix(skipped.file)} (${skipped.reason}): ${skipped.message}`);
  }
  const diff = diffFindings(testCase.expectations, comparableFindings(result.findings, caseDirectory));
  const diffText = formatFindingDiff(diff);
  if (diffText) problems.push(diffText);
  if (typed) {
    for (const finding of result.findings) {
      if (finding.suppressed !== undefined || finding.sinkMatchedBy !== 'name') continue;
      if (!isTypeScriptSource(finding.location.file)) continue;
      const file = toPosix(relative(caseDirectory, finding.location.file));
      problems.push(
        `  NAME-ONLY ${finding.ruleId} at ${file}:${finding.location.line}: the sink was matched by name although types were available (symbol resolution failed)`,
      );
    }
  }
  return problems;
}

for (const rule of [...new Set(cases.map((testCase) => testCase.rule))]) {
  describe(rule, () => {
    for (const testCase of cases.filter((candidate) => candidate.rule === rule)) {
      describe(testCase.name, () => {
        it('type-checks', () => {
          const diagnostics = typeCheckProject(testCase.projectConfig);
          assert.equal(diagnostics.length, 0, `the fixture does not type-check:\n${diagnostics.join('\n')}`);
        });

        it('produces exactly the expected findings', async () => {
          const result = await scanCase(testCase.dir);
          const problems = describeMismatches(testCase, result, testCase.dir, true);
          assert.equal(problems.length, 0, `${rule}/${testCase.name}:\n${problems.join('\n')}`);
        });

        const skipUntyped =
          testCase.options.untyped === 'skip' ? `opted out in fixture.json: ${testCase.options.why ?? '(no reason given)'}` : false;
        it('produces the same findings without its dependencies installed', { skip: skipUntyped }, async () => {
          const copy = makeUntypedCopy(testCase, baseConfigFile);
          temporaryCopies.push(dirname(copy));
          const result = await scanCase(copy);
          const problems = describeMismatches(testCase, result, copy, false);
          assert.equal(problems.length, 0, `${rule}/${testCase.name} (untyped copy in ${copy}):\n${problems.join('\n')}`);
        });

        if (testCase.options.untyped === 'skip') {
          it('explains why it cannot run without types', () => {
            assert.ok(testCase.options.why?.trim(), 'fixture.json has "untyped": "skip" without a "why"');
          });
        }
      });
    }
  });
}

after(() => {
  for (const copy of temporaryCopies) rmSync(copy, { recursive: true, force: true });
  const rows = [...new Set(cases.map((testCase) => testCase.rule))].map((rule) => {
    const ofRule = cases.filter((testCase) => testCase.rule === rule);
    const positive = ofRule.filter((testCase) => testCase.expectations.length > 0).length;
    return `  ${rule.padEnd(30)} ${String(positive).padStart(3)} positive ${String(ofRule.length - positive).padStart(3)} negative`;
  });
  console.log(`Rule fixture cases:\n${rows.join('\n')}`);
});
