// Tests suppression comments: forms, target line, justification and rule id problems, and matching a finding.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { matchSuppression, parseSuppressions } from '../server/src/engine/suppressions';
import { applySuppressions } from '../server/src/engine/suppress';
import type { Finding } from '../server/src/engine/model';

describe('parseSuppressions', () => {
  it('reads a line comment with rule ids and a justification', () => {
    const source = [
      'const a = 1;',
      '  // health-data-lint-disable-next-line log-exposure, third-party-disclosure -- audit log kept 30 days in the EU',
      '  logger.info(patient);',
    ].join('\n');
    assert.deepEqual(parseSuppressions(source), [
      {
        line: 2,
        column: 6,
        appliesToLine: 3,
        ruleIds: ['log-exposure', 'third-party-disclosure'],
        justification: 'audit log kept 30 days in the EU',
        problems: [],
      },
    ]);
  });

  it('refuses the quick fix placeholder left as the justification', () => {
    const source = ['// health-data-lint-disable-next-line log-exposure -- <reason>', 'logger.info(patient);'].join('\n');
    const [suppression] = parseSuppressions(source);
    assert.equal(suppression.justification, undefined);
    assert.match(suppression.problems.join(' '), /replace the placeholder <reason>/);
    const match = matchSuppression([suppression], 'log-exposure', 2);
    assert.equal(match?.status, 'not-suppressed');
  });

  it('reads block comments and JSX comments', () => {
    const source = [
      '/* health-data-lint-disable-next-line unprotected-export -- consented export to the GP */',
      'res.json(record);',
      'return (',
      '  <div>',
      '    {/* health-data-lint-disable-next-line client-side-storage -- demo data only */}',
      '    <Chart data={readings} />',
      '  </div>',
      ');',
    ].join('\n');
    const found = parseSuppressions(source);
    assert.deepEqual(
      found.map((suppression) => [suppression.line, suppression.appliesToLine, suppression.ruleIds, suppression.justification, suppression.problems]),
      [
        [1, 2, ['unprotected-export'], 'consented export to the GP', []],
        [5, 6, ['client-side-storage'], 'demo data only', []],
      ],
    );
  });

  it('applies to the next line that is not only comments', () => {
    const source = [
      '// health-data-lint-disable-next-line log-exposure -- reviewed by the DPO',
      '// eslint-disable-next-line no-console',
      '/*',
      ' * more explanation',
      ' */',
      'console.log(patient);',
      'trailing(); // health-data-lint-disable-next-line log-exposure -- applies below',
      'console.log(patient);',
    ].join('\n');
    assert.deepEqual(parseSuppressions(source).map((suppression) => [suppression.line, suppression.appliesToLine]), [[1, 6], [7, 8]]);
  });

  it('reads a directive that continues over several lines of a block comment', () => {
    const source = ['/**', ' * health-data-lint-disable-next-line log-exposure', ' * -- kept in the audit trail', ' */', 'audit(patient);'].join('\n');
    assert.deepEqual(parseSuppressions(source).map((suppression) => [suppression.line, suppression.column, suppression.appliesToLine, suppression.justification]), [
      [2, 4, 5, 'kept in the audit trail'],
    ]);
  });

  it('requires a justification after --', () => {
    for (const comment of ['// health-data-lint-disable-next-line log-exposure', '// health-data-lint-disable-next-line log-exposure --', '// health-data-lint-disable-next-line log-exposure --   ']) {
      const [suppression] = parseSuppressions(`${comment}\nconsole.log(patient);`);
      assert.deepEqual(suppression!.problems, ['a justification is required after `--`'], comment);
      assert.equal(suppression!.justification, undefined);
      assert.deepEqual(suppression!.ruleIds, ['log-exposure']);
    }
  });

  it('reports unknown rule ids and a missing rule id', () => {
    const [unknown] = parseSuppressions('// health-data-lint-disable-next-line log-exposur, log-exposure -- reviewed\nx();');
    assert.deepEqual(unknown!.ruleIds, ['log-exposure']);
    assert.deepEqual(unknown!.problems, [
      'unknown rule id "log-exposur" (expected one of: unprotected-export, pseudonymised-export, third-party-disclosure, log-exposure, client-side-storage, insufficient-legal-basis, linkable-anonymisation, exported-health-field, hardcoded-health-identifier)',
    ]);
    const [none] = parseSuppressions('// health-data-lint-disable-next-line -- reviewed\nx();');
    assert.deepEqual(none!.problems, ['name the rule to suppress: `health-data-lint-disable-next-line <rule-id> -- <justification>`']);
  });

  it('reports directives it does not support instead of ignoring them', () => {
    const [suppression] = parseSuppressions('x(); // health-data-lint-disable-line log-exposure -- why');
    assert.deepEqual(suppression!.ruleIds, []);
    assert.deepEqual(suppression!.problems, [
      '"health-data-lint-disable-line" is not supported: write `health-data-lint-disable-next-line <rule-id> -- <justification>` on the line before the finding',
    ]);
  });

  it('ignores the directive inside strings, templates and regular expressions', () => {
    const source = [
      'const a = "// health-data-lint-disable-next-line log-exposure -- no";',
      "const b = '/* health-data-lint-disable-next-line log-exposure -- no */';",
      'const c = `${a} // health-data-lint-disable-next-line log-exposure -- no ${`nested`}`;',
      'const d = /\\/\\/ health-data-lint-disable-next-line log-exposure -- no/;',
      'const e = x / 2; // health-data-lint-disable-next-line log-exposure -- yes',
      'console.log(e);',
    ].join('\n');
    assert.deepEqual(parseSuppressions(source).map((suppression) => [suppression.line, suppression.justification]), [[5, 'yes']]);
  });
});

describe('matchSuppression', () => {
  const source = [
    '// health-data-lint-disable-next-line log-exposure -- audit log, reviewed by the DPO',
    'logger.info(patient);',
    '// health-data-lint-disable-next-line unprotected-export',
    'res.json(patient);',
    '// health-data-lint-disable-next-line unprotected-exprt -- typo',
    'res.json(patient);',
  ].join('\n');
  const suppressions = parseSuppressions(source);

  it('suppresses the named rule on the target line only', () => {
    const match = matchSuppression(suppressions, 'log-exposure', 2);
    assert.equal(match?.status, 'suppressed');
    assert.equal(match?.status === 'suppressed' && match.justification, 'audit log, reviewed by the DPO');
    assert.equal(matchSuppression(suppressions, 'third-party-disclosure', 2), undefined);
    assert.equal(matchSuppression(suppressions, 'log-exposure', 3), undefined);
  });

  it('does not suppress without a justification, and says why', () => {
    assert.deepEqual(matchSuppression(suppressions, 'unprotected-export', 4), {
      status: 'not-suppressed',
      suppression: suppressions[1],
      problem: 'the suppression comment on line 3 does not apply: a justification is required after `--`',
    });
  });

  it('explains a comment whose rule ids are all unknown', () => {
    const match = matchSuppression(suppressions, 'unprotected-export', 6);
    assert.equal(match?.status, 'not-suppressed');
    assert.match(match?.status === 'not-suppressed' ? match.problem : '', /^the suppression comment on line 5 does not apply: unknown rule id "unprotected-exprt"/);
  });
});

describe('applySuppressions', () => {
  const file = '/project/src/audit.ts';
  const finding = (line: number): Finding =>
    ({ ruleId: 'log-exposure', severity: 'warning', message: 'Health data is logged.', location: { file, line, column: 1, endLine: line, endColumn: 20 } }) as Finding;
  const commented = ['// health-data-lint-disable-next-line log-exposure -- audit log, reviewed by the DPO', 'logger.info(patient);', 'logger.info(diagnosis);'].join('\n');

  it('gives the same finding objects for the same findings and text, so the editor sends nothing for them again', () => {
    const findings = [finding(2), finding(3)];
    const first = applySuppressions(findings, () => commented);
    const second = applySuppressions(findings, () => commented.split('\n').join('\n')); // an equal text, read again as a new string
    assert.ok(first[0]!.suppressed, 'the commented line is suppressed');
    assert.equal(first[1], findings[1], 'a line without a comment keeps its finding');
    assert.equal(second[0], first[0]);
    assert.equal(second[1], first[1]);
  });

  it('reads the comments again when the text changes', () => {
    const findings = [finding(2), finding(3)];
    assert.ok(applySuppressions(findings, () => commented)[0]!.suppressed);
    const moved = ['logger.info(patient);', '// health-data-lint-disable-next-line log-exposure -- reviewed', 'logger.info(diagnosis);'].join('\n');
    const after = applySuppressions(findings, () => moved);
    assert.equal(after[0], findings[0], 'the comment is no longer above line 2');
    assert.equal(after[1]!.suppressed?.justification, 'reviewed');
    const removed = applySuppressions(findings, () => moved.replace(/\/\/.*\n/, '\n'));
    assert.deepEqual(removed, findings, 'without comments, the findings as they were');
  });
});
