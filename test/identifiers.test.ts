// Tests the recognition and masking of health identifiers in string literals: French NIR / NIA, INS, US SSN.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findHealthIdentifiers, maskIdentifier } from '../server/src/engine/identifiers';
import { isValidNir, nirKey } from '../server/src/engine/identifiers/nir';

const kinds = (text: string, name?: string) => findHealthIdentifiers(text, { name }).map((match) => match.kind);

describe('French NIR', () => {
  it('computes the control key, counting 2A as 19 and 2B as 18', () => {
    assert.equal(nirKey('2550814168025'), 38);
    assert.equal(nirKey('184122A004123'), 23);
    assert.equal(nirKey('1841219004123'), 23);
    assert.equal(nirKey('290052B078012'), 7);
  });

  it('finds a valid NIR, compact or with spaces between groups, and masks it', () => {
    assert.deepEqual(findHealthIdentifiers('255081416802538'), [{ kind: 'nir', start: 0, end: 15, masked: '2************38' }]);
    assert.deepEqual(findHealthIdentifiers('NIR: 2 55 08 14 168 025 38.'), [{ kind: 'nir', start: 5, end: 26, masked: '2 ** ** ** *** *** 38' }]);
    assert.equal(kinds('2550814168025 38').length, 1);
  });

  it('accepts Corsican departments 2A and 2B with their own key', () => {
    assert.deepEqual(kinds('184122A00412323'), ['nir']);
    assert.deepEqual(kinds('1 84 12 2a 004 123 23'), ['nir']);
    assert.deepEqual(kinds('290052B07801207'), ['nir']);
    // The same digits read as department 20 have key 93, not 23.
    assert.deepEqual(kinds('184122A00412393'), []);
  });

  it('rejects a wrong key', () => {
    assert.deepEqual(kinds('255081416802539'), []);
    assert.equal(isValidNir('255081416802538'), true);
    assert.equal(isValidNir('255081416802537'), false);
  });

  it('accepts the first digits 1, 2, 3, 4, 7 and 8 and the fictitious months, nothing else', () => {
    assert.deepEqual(kinds('784129912345662'), ['nir']); // temporary number (NIA), male
    assert.deepEqual(kinds('385019921605474'), ['nir']); // registration in progress
    assert.deepEqual(kinds('185309912345619'), ['nir']); // month 30: incomplete civil-status document
    assert.equal(isValidNir(`5841299123456${String(nirKey('5841299123456')).padStart(2, '0')}`), false);
    assert.equal(isValidNir('185137512345607'), false); // month 13
    assert.equal(isValidNir('185001012345602'), false); // department 00
    assert.equal(isValidNir('185010100045671'), false); // commune 000
    assert.equal(isValidNir('185010112300038'), false); // order 000
  });

  it('does not fire inside longer numbers', () => {
    assert.deepEqual(kinds('1255081416802538'), []);
    assert.deepEqual(kinds('2550814168025380'), []);
    assert.deepEqual(kinds('id-255081416802538x'), []);
  });
});

describe('INS', () => {
  it('qualifies a NIR or NIA next to an INS OID', () => {
    assert.deepEqual(findHealthIdentifiers('urn:oid:1.2.250.1.213.1.4.8|255081416802538'), [
      { kind: 'ins', start: 28, end: 43, masked: '2************38' },
    ]);
    assert.deepEqual(kinds('255081416802538^^^&1.2.250.1.213.1.4.8&ISO^INS'), ['ins']);
    assert.deepEqual(kinds('784129912345662^^^&1.2.250.1.213.1.4.9&ISO^INS'), ['ins']);
    assert.deepEqual(kinds('1.2.250.1.213.1.4.10 255081416802538'), ['ins']);
  });

  it('needs a valid number: the OID alone, or a longer OID, is not an INS', () => {
    assert.deepEqual(kinds('urn:oid:1.2.250.1.213.1.4.8'), []);
    assert.deepEqual(kinds('1.2.250.1.213.1.4.80 255081416802538'), ['nir']);
    assert.deepEqual(kinds('1.2.250.1.213.1.4.8 255081416802539'), []);
  });
});

describe('US SSN', () => {
  it('finds AAA-GG-SSSS and AAA GG SSSS, masked to the last four digits', () => {
    assert.deepEqual(findHealthIdentifiers('ssn=123-45-6789'), [{ kind: 'ssn', start: 4, end: 15, masked: '***-**-6789' }]);
    assert.deepEqual(kinds('512 34 6789'), ['ssn']);
  });

  it('rejects area 000, 666 and 9xx, group 00 and serial 0000 (and nothing else: voided numbers keep a valid shape)', () => {
    for (const invalid of ['000-12-3456', '666-12-3456', '900-12-3456', '999-12-3456', '123-00-4567', '123-45-0000']) {
      assert.deepEqual(kinds(invalid), [], invalid);
    }
    for (const valid of ['899-12-3456', '078-05-1120', '219-09-9999']) assert.deepEqual(kinds(valid), ['ssn'], valid);
  });

  it('counts nine bare digits only when the literal or the variable says SSN', () => {
    assert.deepEqual(kinds('123456789'), []);
    assert.deepEqual(kinds('SSN: 123456789'), ['ssn']);
    assert.deepEqual(kinds('123456789', 'patientSsn'), ['ssn']);
    assert.deepEqual(kinds('123456789', 'social_security_number'), ['ssn']);
    assert.deepEqual(kinds('123456789', 'orderNumber'), []);
    assert.deepEqual(findHealthIdentifiers('ssn 123456789')[0]!.masked, '*****6789');
  });

  it('does not mix separators or fire inside longer numbers', () => {
    assert.deepEqual(kinds('123-45 6789'), []);
    assert.deepEqual(kinds('1123-45-6789'), []);
    assert.deepEqual(kinds('123-45-67890'), []);
  });
});

describe('what is not a health identifier', () => {
  it('ignores phone numbers, dates, amounts and other numbers', () => {
    for (const text of [
      '0612345678',
      '06 12 34 56 78',
      '+33 6 12 34 56 78',
      '+33612345678',
      '(555) 123-4567',
      '2024-01-15',
      '15/01/2024 10:30',
      '1 234 567,89 €',
      '$123,456,789.00',
      '4111 1111 1111 1111',
      '1700000000000',
      'FR76 3000 6000 0112 3456 7890 189',
    ]) {
      assert.deepEqual(findHealthIdentifiers(text), [], text);
    }
  });
});

describe('maskIdentifier', () => {
  it('keeps separators, the first character if asked and the last characters', () => {
    assert.equal(maskIdentifier('1 84 12 2A 004 123 23', { keepFirst: true, keepLast: 2 }), '1 ** ** ** *** *** 23');
    assert.equal(maskIdentifier('123-45-6789', { keepFirst: false, keepLast: 4 }), '***-**-6789');
  });
});
