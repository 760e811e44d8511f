// Tests the legal basis ids, the JSDoc basis tags and the coverage decision (Art. 6 / Art. 9, register entries, French formalities).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { allBasisIds, isArt6, isArt9, isFrenchFormality, parseBasisId } from '../server/src/engine/legal/ids';
import { parseBasisTags } from '../server/src/engine/legal/jsdoc';
import { judgeCoverage, type CoverageInput, type JSDocBasis } from '../server/src/engine/legal/coverage';
import type { RegisterEntry } from '../server/src/engine/legal/register';

describe('legal basis ids', () => {
  it('knows every Art. 6(1), Art. 9(2) and French formality id, and nothing else', () => {
    assert.equal(allBasisIds('art6').join(' '), 'gdpr-6-1-a gdpr-6-1-b gdpr-6-1-c gdpr-6-1-d gdpr-6-1-e gdpr-6-1-f');
    assert.equal(allBasisIds('art9').length, 10);
    assert.equal(allBasisIds('art9').at(-1), 'gdpr-9-2-j');
    assert.deepEqual(allBasisIds('french-formality'), [
      'mr-001', 'mr-002', 'mr-003', 'mr-004', 'mr-005', 'mr-006', 'mr-007', 'mr-008', 'cnil-authorisation', 'cnil-referentiel-eds',
    ]);
    for (const unknown of ['gdpr-6-1-g', 'gdpr-9-2-k', 'mr-009', 'mr-000', 'gdpr-9-1', 'cnil-authorization', '']) {
      assert.equal(parseBasisId(unknown), undefined, unknown);
    }
  });

  it('labels each id with its article', () => {
    const care = parseBasisId('gdpr-9-2-h')!;
    assert.equal(care.article, 'Art. 9(2)(h) GDPR');
    assert.match(care.label, /^Art\. 9\(2\)\(h\) GDPR: preventive or occupational medicine, medical diagnosis, the provision of health or social care/);
    assert.equal(parseBasisId('gdpr-6-1-e')!.label, 'Art. 6(1)(e) GDPR: a task carried out in the public interest or in the exercise of official authority');
    assert.match(parseBasisId('mr-004')!.label, /research not involving people/);
  });

  it('reads ids case-insensitively and keeps a CNIL authorisation reference', () => {
    assert.equal(parseBasisId(' GDPR-9-2-J ')!.id, 'gdpr-9-2-j');
    const authorisation = parseBasisId('cnil-authorisation:DR-2023-118')!;
    assert.equal(authorisation.id, 'cnil-authorisation:DR-2023-118');
    assert.equal(authorisation.reference, 'DR-2023-118');
    assert.equal(authorisation.kind, 'french-formality');
    assert.equal(parseBasisId('cnil-authorisation:'), undefined);
    assert.equal(parseBasisId('mr-004:x'), undefined);
  });

  it('classifies ids', () => {
    assert.ok(isArt6('gdpr-6-1-a') && !isArt6('gdpr-9-2-a'));
    assert.ok(isArt9('gdpr-9-2-a') && !isArt9('gdpr-6-1-a'));
    assert.ok(isFrenchFormality('mr-004') && isFrenchFormality('cnil-referentiel-eds') && isFrenchFormality('cnil-authorisation:X'));
    assert.ok(!isFrenchFormality('gdpr-9-2-j') && !isArt6('nonsense'));
  });
});

describe('parseBasisTags', () => {
  it('reads ids separated by spaces or commas, up to prose after " - "', () => {
    const tags = parseBasisTags([
      { name: 'legalBasis', text: 'gdpr-6-1-e,  gdpr-9-2-h - care of the patient by the clinic' },
      { name: 'recipient', text: 'sentry - error tracking, EU region' },
      { name: 'processing', text: 'care-api, research-export' },
    ]);
    assert.deepEqual(tags, {
      bases: ['gdpr-6-1-e', 'gdpr-9-2-h'],
      processing: ['care-api', 'research-export'],
      recipients: ['sentry'],
      anonymises: false,
      pseudonymises: false,
      unknownIds: [],
    });
  });

  it('keeps unknown id-shaped words apart and stops at prose written without a dash', () => {
    const tags = parseBasisTags([{ name: 'legalBasis', text: 'GDPR-6-1-E gdpr-9-2-z because the patient asked' }]);
    assert.deepEqual(tags.bases, ['gdpr-6-1-e']);
    assert.deepEqual(tags.unknownIds, ['gdpr-9-2-z']);
    assert.deepEqual(parseBasisTags([{ name: 'legalBasis', text: 'gdpr-6-1-e and gdpr-9-2-h.' }]).bases, ['gdpr-6-1-e', 'gdpr-9-2-h']);
    assert.deepEqual(parseBasisTags([{ name: 'legalBasis', text: 'gdpr-6-1-e + gdpr-9-2-h for care' }]).bases, ['gdpr-6-1-e', 'gdpr-9-2-h']);
  });

  it('reads the anonymiser and pseudonymiser markers, in both spellings', () => {
    assert.equal(parseBasisTags([{ name: 'anonymises', text: '' }]).anonymises, true);
    assert.equal(parseBasisTags([{ name: 'anonymizes', text: '' }]).anonymises, true);
    assert.equal(parseBasisTags([{ name: 'pseudonymises', text: 'with HMAC' }]).pseudonymises, true);
    assert.equal(parseBasisTags([{ name: 'param', text: 'gdpr-6-1-e' }]).bases.length, 0);
  });

  it('takes the first word of each comma-separated @processing or @recipient value', () => {
    const tags = parseBasisTags([{ name: 'recipient', text: 'partner.example.com used nightly' }, { name: 'recipient', text: 'sentry, mixpanel' }]);
    assert.deepEqual(tags.recipients, ['partner.example.com', 'sentry', 'mixpanel']);
  });
});

const location = { file: '/repo/health-data-register.yaml', line: 3, column: 9, endLine: 3, endColumn: 24 };

function entry(overrides: Partial<RegisterEntry> & { id: string }): RegisterEntry {
  return { purpose: 'Care of patients', legalBasis: ['gdpr-6-1-e', 'gdpr-9-2-h'], formalities: [], appliesTo: [], location, ...overrides };
}

function jsdoc(bases: string[], extra: Partial<JSDocBasis> = {}): JSDocBasis {
  return { bases, processing: [], recipients: [], functionName: 'exportStudy', ...extra };
}

function input(overrides: Partial<CoverageInput>): CoverageInput {
  return {
    sinkKind: 'export',
    categories: [['diagnosis']],
    pseudonymised: false,
    jsdoc: [],
    registerEntries: [],
    unknownProcessingIds: [],
    jurisdictions: ['EU'],
    ...overrides,
  };
}

describe('judgeCoverage', () => {
  it('is uncovered with nothing recorded', () => {
    assert.deepEqual(judgeCoverage(input({})), { status: 'uncovered' });
  });

  it('covers an export with an Art. 6(1) basis and an Art. 9(2) condition', () => {
    const verdict = judgeCoverage(input({ jsdoc: [jsdoc(['gdpr-6-1-e', 'gdpr-9-2-h'])] }));
    assert.deepEqual(verdict, { status: 'covered', by: [{ origin: 'jsdoc', ids: ['gdpr-6-1-e', 'gdpr-9-2-h'] }] });
  });

  it('finds an Art. 6(1) basis alone insufficient for health data', () => {
    const verdict = judgeCoverage(input({ jsdoc: [jsdoc(['gdpr-6-1-f'])] }));
    assert.equal(verdict.status, 'insufficient');
    assert.deepEqual(verdict.status === 'insufficient' && verdict.problems, [
      '`@legalBasis gdpr-6-1-f` on `exportStudy` has no Art. 9(2) condition: an Art. 6(1) basis alone is never enough for ' +
        'health data (Art. 9(1) GDPR); add the Art. 9(2) condition, e.g. gdpr-9-2-h for care or gdpr-9-2-j for research.',
    ]);
  });

  it('finds an Art. 9(2) condition without an Art. 6(1) basis insufficient', () => {
    const verdict = judgeCoverage(input({ registerEntries: [entry({ id: 'care-api', legalBasis: ['gdpr-9-2-h'] })] }));
    assert.deepEqual(verdict.status === 'insufficient' && verdict.problems, [
      'register entry "care-api" has no Art. 6(1) basis: an Art. 9(2) condition only lifts the prohibition of Art. 9(1) GDPR, ' +
        'the processing still needs a lawful basis under Art. 6(1); add it, e.g. gdpr-6-1-e for a public task or gdpr-6-1-a for consent.',
    ]);
    assert.deepEqual(verdict.status === 'insufficient' && verdict.by, [
      { origin: 'register', ids: ['gdpr-9-2-h'], processingId: 'care-api', location },
    ]);
  });

  it('finds a French formality alone insufficient', () => {
    const verdict = judgeCoverage(input({ jsdoc: [jsdoc(['mr-004'], { functionName: undefined })] }));
    assert.deepEqual(verdict.status === 'insufficient' && verdict.problems, [
      '`@legalBasis mr-004` has neither an Art. 6(1) basis nor an Art. 9(2) condition: health data needs both ' +
        '(Art. 6(1) and 9(2) GDPR), e.g. gdpr-6-1-e with gdpr-9-2-h for care; a French formality does not replace them.',
    ]);
  });

  it('finds an unknown id insufficient even next to valid ones', () => {
    const verdict = judgeCoverage(input({ jsdoc: [jsdoc(['gdpr-6-1-e', 'gdpr-9-2-h'], { unknownIds: ['gdpr-9-2-z'] })] }));
    assert.deepEqual(verdict.status === 'insufficient' && verdict.problems, [
      '`@legalBasis gdpr-6-1-e gdpr-9-2-h gdpr-9-2-z` on `exportStudy` names an unknown legal basis "gdpr-9-2-z" ' +
        '(expected gdpr-6-1-a..f, gdpr-9-2-a..j, mr-001..mr-008, cnil-authorisation, cnil-referentiel-eds).',
    ]);
  });

  it('never covers logs or the browser, and says why when a basis was recorded', () => {
    const logged = judgeCoverage(input({ sinkKind: 'log', jsdoc: [jsdoc(['gdpr-6-1-e', 'gdpr-9-2-h'])] }));
    assert.equal(logged.status, 'uncovered');
    assert.match(logged.status === 'uncovered' ? logged.notes![0]! : '', /^a recorded legal basis never covers logs: .*Art\. 5\(1\)\(c\), 5\(1\)\(f\) and 32 GDPR/);
    assert.equal(logged.status === 'uncovered' && logged.by?.length, 1);
    const stored = judgeCoverage(input({ sinkKind: 'browser', registerEntries: [entry({ id: 'care-api' })] }));
    assert.match(stored.status === 'uncovered' ? stored.notes![0]! : '', /^a recorded legal basis never covers the browser/);
    assert.deepEqual(judgeCoverage(input({ sinkKind: 'log' })), { status: 'uncovered' });
  });

  it('leaves a third party uncovered when the JSDoc basis names no recipient, keeping the basis for the message', () => {
    const verdict = judgeCoverage(input({ sinkKind: 'third-party', recipient: 'sentry', jsdoc: [jsdoc(['gdpr-6-1-e', 'gdpr-9-2-h'])] }));
    assert.deepEqual(verdict, {
      status: 'uncovered',
      by: [{ origin: 'jsdoc', ids: ['gdpr-6-1-e', 'gdpr-9-2-h'] }],
      notes: [
        '`@legalBasis gdpr-6-1-e gdpr-9-2-h` on `exportStudy` names no recipient, so it does not cover the disclosure to "sentry": ' +
          'a third party needs a basis that names it; add `@recipient sentry` to the same JSDoc.',
      ],
    });
  });

  it('covers a third party named by @recipient, and not another one', () => {
    const named = judgeCoverage(input({ sinkKind: 'third-party', recipient: 'sentry', jsdoc: [jsdoc(['gdpr-6-1-e', 'gdpr-9-2-h'], { recipients: ['Sentry'] })] }));
    assert.deepEqual(named, { status: 'covered', by: [{ origin: 'jsdoc', ids: ['gdpr-6-1-e', 'gdpr-9-2-h'], recipient: 'Sentry' }] });
    const other = judgeCoverage(input({ sinkKind: 'third-party', recipient: 'sentry', jsdoc: [jsdoc(['gdpr-6-1-e', 'gdpr-9-2-h'], { recipients: ['mixpanel'] })] }));
    assert.equal(other.status, 'uncovered');
    assert.match(other.status === 'uncovered' ? other.notes![0]! : '', /names the recipients "mixpanel", not "sentry"/);
  });

  it('reports an invalid JSDoc basis at a third party as insufficient, with the missing recipient too', () => {
    const verdict = judgeCoverage(input({ sinkKind: 'third-party', recipient: 'openai', jsdoc: [jsdoc(['gdpr-6-1-f'])] }));
    assert.equal(verdict.status, 'insufficient');
    assert.equal(verdict.status === 'insufficient' && verdict.problems.length, 2);
  });

  it('covers a third party with a register entry that lists no recipients (any recipient)', () => {
    const verdict = judgeCoverage(input({ sinkKind: 'third-party', recipient: 'sentry', registerEntries: [entry({ id: 'crash-reports' })] }));
    assert.equal(verdict.status, 'covered');
  });

  it('finds a register entry whose recipients leave out sentry insufficient', () => {
    const verdict = judgeCoverage(
      input({ sinkKind: 'third-party', recipient: 'sentry', registerEntries: [entry({ id: 'care-api', recipients: ['datadog', 'research-partner'] })] }),
    );
    assert.deepEqual(verdict.status === 'insufficient' && verdict.problems, [
      'register entry "care-api" lists the recipients "datadog", "research-partner" but not "sentry", which receives the data here: ' +
        'add "sentry" to its recipients (Art. 30(1)(d) GDPR) or stop sending the data there.',
    ]);
  });

  it('matches a register recipient written as a URL against the host of the sink', () => {
    const verdict = judgeCoverage(
      input({ recipient: 'ingest.partner.example', registerEntries: [entry({ id: 'partner', recipients: ['https://ingest.partner.example/'] })] }),
    );
    assert.deepEqual(verdict.status === 'covered' && verdict.by[0]!.recipient, 'https://ingest.partner.example/');
  });

  it('finds an empty recipients list insufficient at a sink that has a recipient, not at an HTTP response', () => {
    const internalOnly = entry({ id: 'care-api', recipients: [] });
    const verdict = judgeCoverage(input({ recipient: 'partner.example.com', registerEntries: [internalOnly] }));
    assert.match(verdict.status === 'insufficient' ? verdict.problems[0]! : '', /^register entry "care-api" lists no recipient, yet the data goes to "partner.example.com"/);
    assert.equal(judgeCoverage(input({ registerEntries: [internalOnly] })).status, 'covered');
  });

  it('finds a register entry whose dataCategories miss lab-result insufficient', () => {
    const verdict = judgeCoverage(
      input({ categories: [['diagnosis'], ['lab-result'], ['medication']], registerEntries: [entry({ id: 'care-api', dataCategories: ['diagnosis', 'medication'] })] }),
    );
    assert.deepEqual(verdict.status === 'insufficient' && verdict.problems, [
      'register entry "care-api" does not list the data category lab-result that flows to this sink: add it to its ' +
        'dataCategories (Art. 30(1)(c) GDPR) or stop sending that data.',
    ]);
  });

  it('names every missing category, and a label\'s alternatives together', () => {
    const verdict = judgeCoverage(
      input({ categories: [['lab-result', 'vital-sign'], ['health-identifier'], ['diagnosis']], registerEntries: [entry({ id: 'care-api', dataCategories: ['diagnosis'] })] }),
    );
    assert.match(verdict.status === 'insufficient' ? verdict.problems[0]! : '', /does not list the data categories lab-result or vital-sign, health-identifier that flow to this sink/);
  });

  it('lets diagnosis and condition cover each other', () => {
    const condition = judgeCoverage(input({ categories: [['condition']], registerEntries: [entry({ id: 'care-api', dataCategories: ['diagnosis'] })] }));
    assert.equal(condition.status, 'covered');
    const diagnosis = judgeCoverage(input({ categories: [['diagnosis']], registerEntries: [entry({ id: 'care-api', dataCategories: ['condition'] })] }));
    assert.equal(diagnosis.status, 'covered');
    const medication = judgeCoverage(input({ categories: [['medication']], registerEntries: [entry({ id: 'care-api', dataCategories: ['condition'] })] }));
    assert.equal(medication.status, 'insufficient');
  });

  it('covers a label with several categories when any of them is listed', () => {
    const verdict = judgeCoverage(input({ categories: [['lab-result', 'vital-sign']], registerEntries: [entry({ id: 'vitals', dataCategories: ['vital-sign'] })] }));
    assert.equal(verdict.status, 'covered');
  });

  const researchEntry = entry({ id: 'research-export', purpose: 'Statistics for research partners', legalBasis: ['gdpr-6-1-f', 'gdpr-9-2-j'] });

  it('requires a French formality for a research export when the jurisdictions include FR', () => {
    const verdict = judgeCoverage(input({ jurisdictions: ['EU', 'FR'], registerEntries: [researchEntry] }));
    assert.deepEqual(verdict.status === 'insufficient' && verdict.problems, [
      'register entry "research-export" is for research or statistics (gdpr-9-2-j) and the jurisdictions include FR, but no ' +
        'French formality is recorded: in France, processing health data for research, studies or statistics needs a ' +
        'declaration of conformity to a CNIL reference methodology (e.g. mr-004 for the reuse of existing data), a CNIL ' +
        'authorisation or the health data warehouse référentiel (Art. 66 Loi Informatique et Libertés); add it to its formalities.',
    ]);
  });

  it('accepts the French research export with mr-004, a CNIL authorisation or the EDS référentiel', () => {
    for (const formality of ['mr-004', 'cnil-authorisation:DR-2024-1', 'cnil-referentiel-eds']) {
      const verdict = judgeCoverage(input({ jurisdictions: ['EU', 'FR'], registerEntries: [{ ...researchEntry, formalities: [formality] }] }));
      assert.equal(verdict.status, 'covered', formality);
    }
  });

  it('does not require a French formality outside France', () => {
    assert.equal(judgeCoverage(input({ jurisdictions: ['EU', 'DE'], registerEntries: [researchEntry] })).status, 'covered');
    assert.equal(judgeCoverage(input({ registerEntries: [researchEntry] })).status, 'covered');
  });

  it('recognises a research purpose from its text, in English and French', () => {
    for (const purpose of ['Étude observationnelle du diabète', 'statistiques de consultation', 'Clinical study exports', 'Recherche sur les allergies']) {
      const consentBased = entry({ id: 'study', purpose, legalBasis: ['gdpr-6-1-a', 'gdpr-9-2-a'] });
      const verdict = judgeCoverage(input({ jurisdictions: ['FR'], registerEntries: [consentBased] }));
      assert.match(verdict.status === 'insufficient' ? verdict.problems[0]! : '', new RegExp(`for research or statistics \\(purpose "${purpose}"\\)`), purpose);
    }
    const care = entry({ id: 'care', purpose: 'Sharing test results with the patient\'s GP' });
    assert.equal(judgeCoverage(input({ jurisdictions: ['FR'], registerEntries: [care] })).status, 'covered');
  });

  it('requires the formality on a JSDoc research basis and recalls that pseudonymised data is still personal data', () => {
    const verdict = judgeCoverage(input({ jurisdictions: ['fr'], pseudonymised: true, jsdoc: [jsdoc(['gdpr-6-1-f', 'gdpr-9-2-j'])] }));
    const problem = verdict.status === 'insufficient' ? verdict.problems[0]! : '';
    assert.match(problem, /^`@legalBasis gdpr-6-1-f gdpr-9-2-j` on `exportStudy` is for research or statistics \(gdpr-9-2-j\)/);
    assert.match(problem, /add it to the same @legalBasis tag\. Pseudonymising the data does not lift this requirement: .*SAN-2024-013\)\.$/);
    assert.equal(judgeCoverage(input({ jurisdictions: ['FR'], jsdoc: [jsdoc(['gdpr-6-1-f', 'gdpr-9-2-j', 'mr-004'])] })).status, 'covered');
  });

  it('finds an unknown processing id insufficient', () => {
    const verdict = judgeCoverage(
      input({ unknownProcessingIds: ['research-exprt'], jsdoc: [jsdoc([], { processing: ['research-exprt'] })], registerFile: 'health-data-register.yaml' }),
    );
    assert.deepEqual(verdict, {
      status: 'insufficient',
      by: [{ origin: 'jsdoc', ids: [], processingId: 'research-exprt' }],
      problems: [
        '`@processing research-exprt` on `exportStudy` names no entry of health-data-register.yaml: add an entry with id "research-exprt" there, or correct the tag.',
      ],
    });
  });

  it('covers when one of several bases is valid, and is insufficient when all are invalid', () => {
    const mixed = judgeCoverage(input({ jsdoc: [jsdoc(['gdpr-6-1-f'])], registerEntries: [entry({ id: 'care-api' })] }));
    assert.deepEqual(mixed.status === 'covered' && mixed.by.map((record) => record.processingId), ['care-api']);
    const allInvalid = judgeCoverage(input({ jsdoc: [jsdoc(['gdpr-6-1-f'])], registerEntries: [entry({ id: 'care-api', legalBasis: ['gdpr-9-2-h'] })] }));
    assert.equal(allInvalid.status, 'insufficient');
    assert.equal(allInvalid.status === 'insufficient' && allInvalid.problems.length, 2);
    assert.equal(allInvalid.status === 'insufficient' && allInvalid.by.length, 2);
  });

  it('covers through a register entry named by @processing whatever its appliesTo says', () => {
    // The caller passes entries named by @processing; appliesTo plays no part in the decision.
    const named = entry({ id: 'research-export', purpose: 'Statistics', legalBasis: ['gdpr-6-1-f', 'gdpr-9-2-j'], formalities: ['mr-004'], appliesTo: ['src/elsewhere/**'] });
    const verdict = judgeCoverage(input({ jurisdictions: ['EU', 'FR'], jsdoc: [jsdoc([], { processing: ['research-export'] })], registerEntries: [named] }));
    assert.deepEqual(verdict.status === 'covered' && verdict.by, [
      { origin: 'register', ids: ['gdpr-6-1-f', 'gdpr-9-2-j', 'mr-004'], processingId: 'research-export', location },
    ]);
  });

  it('finds an explicit @recipient that leaves out an export\'s recipient insufficient', () => {
    const verdict = judgeCoverage(input({ recipient: 'partner.example.com', jsdoc: [jsdoc(['gdpr-6-1-e', 'gdpr-9-2-h'], { recipients: ['research-partner'] })] }));
    assert.match(verdict.status === 'insufficient' ? verdict.problems[0]! : '', /names the recipients "research-partner", but the data goes to "partner.example.com"/);
    const anyRecipient = judgeCoverage(input({ recipient: 'partner.example.com', jsdoc: [jsdoc(['gdpr-6-1-e', 'gdpr-9-2-h'])] }));
    assert.equal(anyRecipient.status, 'covered');
  });
});
