// Rule fixtures: every test/fixtures/rules/<rule>/<case>/ must type-check and produce exactly the findings its `expect:` comments announce, with and without its dependencies' types.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after, describe, it, type TestContext } from 'node:test';
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
  readExpectations,
  toPosix,
  typeCheckProject,
  type RuleCase,
} from './support/fixtures';

const repositoryRoot = findRepositoryRoot();
const fixturesDirectory = join(repositoryRoot, 'test', 'fixtures');
const baseConfigFile = join(fixturesDirectory, 'tsconfig.base.json');
const cases = listRuleCases(join(fixturesDirectory, 'rules'));
const temporaryCopies: string[] = [];

/**
 * Cases the engine does not get right yet, each with what is missing. They still run and print their diff, as TODO
 * (not counted as failures); a listed case that starts passing fails, so the list only ever shrinks.
 */
const knownGaps: Record<string, { typed?: string; untyped?: string }> = JSON.parse(
  readFileSync(join(fixturesDirectory, 'known-gaps.json'), 'utf8'),
).cases;

function checkAgainstGap(t: TestContext, gap: string | undefined, key: string, problems: string[], header: string): void {
  if (gap === undefined) {
    assert.equal(problems.length, 0, `${header}:\n${problems.join('\n')}`);
    return;
  }
  assert.ok(problems.length > 0, `${key} now passes: remove it from test/fixtures/known-gaps.json`);
  t.todo(`known engine gap: ${gap}`);
  assert.fail(`${header} (known gap: ${gap}):\n${problems.join('\n')}`);
}

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

        const key = `${rule}/${testCase.name}`;
        it('produces exactly the expected findings', async (t) => {
          const result = await scanCase(testCase.dir);
          const problems = describeMismatches(testCase, result, testCase.dir, true);
          checkAgainstGap(t, knownGaps[key]?.typed, key, problems, key);
        });

        const skipUntyped =
          testCase.options.untyped === 'skip' ? `opted out in fixture.json: ${testCase.options.why ?? '(no reason given)'}` : false;
        it('produces the same findings without its dependencies installed', { skip: skipUntyped }, async (t) => {
          const copy = makeUntypedCopy(testCase, baseConfigFile);
          temporaryCopies.push(dirname(copy));
          const result = await scanCase(copy);
          const problems = describeMismatches(testCase, result, copy, false);
          checkAgainstGap(t, knownGaps[key]?.untyped, key, problems, `${key} (untyped copy in ${copy})`);
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

describe('fixture harness', () => {
  const writeCase = (files: Record<string, string>): string => {
    const directory = mkdtempSync(join(tmpdir(), 'hdl-harness-'));
    temporaryCopies.push(directory);
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(directory, file)), { recursive: true });
      writeFileSync(join(directory, file), text);
    }
    return directory;
  };

  it('reads expect comments, stacked ones and JSX ones, as the next code line', () => {
    const directory = writeCase({
      'src/a.ts': 'const a = 1;\n// expect: log-exposure\n// expect: unprotected-export\nres.json(a);\n',
      'src/b.tsx': 'const b = (\n  <div>\n    {/* expect: client-side-storage */}\n    <input value={x} />\n  </div>\n);\n',
    });
    assert.deepEqual(readExpectations(directory), [
      { ruleId: 'log-exposure', file: 'src/a.ts', line: 4 },
      { ruleId: 'unprotected-export', file: 'src/a.ts', line: 4 },
      { ruleId: 'client-side-storage', file: 'src/b.tsx', line: 4 },
    ]);
  });

  it('rejects an unknown rule id and an expect comment that shares its line', () => {
    assert.throws(() => readExpectations(writeCase({ 'src/a.ts': '// expect: unprotected-exports\nx();\n' })), /unknown rule id/);
    assert.throws(() => readExpectations(writeCase({ 'src/a.ts': 'x(); // expect: log-exposure\n' })), /alone on its line/);
  });

  it('reports missing and extra findings by rule, file and line', () => {
    const diff = diffFindings(
      [{ ruleId: 'unprotected-export', file: 'src/a.ts', line: 4 }],
      [
        { ruleId: 'third-party-disclosure', file: 'src/a.ts', line: 4, message: 'sent to sentry' },
        { ruleId: 'third-party-disclosure', file: 'src/a.ts', line: 4, message: 'sent to sentry again' },
      ],
    );
    assert.equal(
      formatFindingDiff(diff),
      '  MISSING unprotected-export at src/a.ts:4\n  EXTRA   third-party-disclosure at src/a.ts:4: sent to sentry',
    );
  });
});

after(() => {
  for (const copy of temporaryCopies) rmSync(copy, { recursive: true, force: true });
  const rows = [...new Set(cases.map((testCase) => testCase.rule))].map((rule) => {
    const ofRule = cases.filter((testCase) => testCase.rule === rule);
    const positive = ofRule.filter((testCase) => testCase.expectations.length > 0).length;
    return `  ${rule.padEnd(30)} ${String(positive).padStart(3)} positive ${String(ofRule.length - positive).padStart(3)} negative`;
  });
  console.log(`Rule fixture cases:\n${rows.join('\n')}`);
});
