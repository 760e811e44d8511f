// Editor settings applied over the project's configuration file: lists extended, single values replaced,
// and a mistyped setting reported by its settings key instead of being ignored.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, configProblems } from '../server/src/engine/load-config';
import { withEditorSettings } from '../server/src/lsp/analysis-worker';
import { DEFAULT_SETTINGS, overridesOf, settingsFrom } from '../server/src/lsp/settings';

describe('editor settings over the configuration file', () => {
  const base = {
    terms: [{ term: 'hba1c', categories: ['lab-result' as const] }],
    sinks: [{ name: 'track', kind: 'third-party' as const, recipient: 'acme' }],
    jurisdictions: ['EU'],
    register: 'docs/register.yaml',
    rules: { 'log-exposure': 'warning' as const },
  };

  test('without settings, the file is used as is (and the field view is on in the editor)', () => {
    const config = withEditorSettings(base, overridesOf(DEFAULT_SETTINGS), '/ws');
    assert.deepEqual(config.terms, base.terms);
    assert.deepEqual(config.sinks, base.sinks);
    assert.equal(config.register, 'docs/register.yaml');
    assert.deepEqual(config.rules, { 'exported-health-field': 'information', 'log-exposure': 'warning' });
  });

  test('lists are extended, jurisdictions, register and file size replaced, severities layered', () => {
    const settings = settingsFrom({
      terms: [{ term: 'glycemie', categories: ['lab-result'] }],
      sinks: [{ module: '@acme/audit', name: 'record', kind: 'log' }],
      anonymisers: ['src/lib/anon#anonymise'],
      jurisdictions: ['EU', 'FR'],
      register: 'compliance/health-data-register.yaml',
      maxFileSize: 2048,
      rules: { 'log-exposure': 'error', 'not-a-rule': 'off' },
    });
    const config = withEditorSettings(base, overridesOf(settings), '/ws');
    assert.deepEqual(config.terms?.map((t) => t.term), ['hba1c', 'glycemie']);
    assert.deepEqual(config.sinks?.map((s) => s.name), ['track', 'record']);
    assert.deepEqual(config.anonymisers, ['src/lib/anon#anonymise']);
    assert.deepEqual(config.jurisdictions, ['EU', 'FR']);
    assert.equal(config.register, '/ws/compliance/health-data-register.yaml');
    assert.equal(config.maxFileSize, 2048);
    assert.equal(config.rules?.['log-exposure'], 'error');
    assert.ok(!('not-a-rule' in (config.rules ?? {})));
  });

  test('no settings is a valid extension: the worker skips compiling the validator for it', () => {
    // withEditorSettings checks nothing when no setting is given; that holds only while the schema requires no key.
    assert.deepEqual(configProblems({}, 'healthDataLint', 'the settings'), []);
  });

  test('a mistyped setting is an error naming its settings key and the expected values', () => {
    const settings = settingsFrom({ sinks: [{ name: 'record', kind: 'audit-log' }] });
    assert.throws(
      () => withEditorSettings(base, overridesOf(settings), '/ws'),
      (error: unknown) => error instanceof ConfigError && /healthDataLint\.sinks\[0\]\.kind must be one of/.test(error.message),
    );
  });
});
