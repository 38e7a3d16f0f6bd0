import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { learnSecretsIn, MASK, Redactor } from './secrets.js';

describe('Redactor', () => {
  it('masks known values, longest first, and the password of a DSN on its own', () => {
    const r = new Redactor();
    r.add('postgres://mm:pa55word-x@db:5432/mm');
    assert.equal(r.redact('dsn=postgres://mm:pa55word-x@db:5432/mm and pw pa55word-x'), `dsn=${MASK} and pw ${MASK}`);
  });

  it('ignores values too short to mask safely', () => {
    const r = new Redactor();
    r.add('abc');
    assert.equal(r.redact('abc'), 'abc');
  });

  it('redactDeep masks values and keys; maskSecretNames masks fields named like secrets', () => {
    const r = new Redactor();
    r.add('s3cr3t-value');
    assert.deepEqual(r.redactDeep({ a: 's3cr3t-value', 's3cr3t-value': 1 }), { a: MASK, [MASK]: 1 });
    assert.deepEqual(r.redactDeep({ password: 'anything', name: 'x' }, { maskSecretNames: true }), { password: MASK, name: 'x' });
    assert.deepEqual(r.redactDeep({ password: 'anything' }), { password: 'anything' });
  });
});

describe('learnSecretsIn', () => {
  it('learns secret-named env values and URL passwords inside cluster objects, not trivial literals', () => {
    const r = new Redactor();
    learnSecretsIn({ spec: { env: [
      { name: 'MM_SQLSETTINGS_DATASOURCE', value: 'postgres://u:dsn-pass-1@db/mm' },
      { name: 'MM_EMAILSETTINGS_SMTPPASSWORD', value: 'smtp-pass-2' },
      { name: 'MM_SERVICESETTINGS_ENABLEOAUTH', value: 'true' },
      { name: 'MM_LOGSETTINGS_CONSOLELEVEL', value: 'DEBUG-LEVEL' },
    ], url: 'https://user:url-pass-3@proxy.example' } }, r);
    const text = r.redact('dsn-pass-1 smtp-pass-2 url-pass-3 true DEBUG-LEVEL');
    assert.equal(text, `${MASK} ${MASK} ${MASK} true DEBUG-LEVEL`);
  });
});
