import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { pickLoggedHeaders, redactForLog } from './redact';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const JANE = sha256('jane@example.com');

describe('redactForLog', () => {
  it('redacts secrets in the query and keeps everything else byte for byte', () => {
    const url = '/postback/n1?tracking=abc%2Bd&token=s3cr%3Dt&amount=12.50&api_key=k&apikey=k2&secret=x&password=p&signature=sig&x=1';
    assert.deepEqual(redactForLog(url, null, null), {
      url: '/postback/n1?tracking=abc%2Bd&token=[redacted]&amount=12.50&api_key=[redacted]&apikey=[redacted]&secret=[redacted]&password=[redacted]&signature=[redacted]&x=1',
      body: null,
    });
  });

  it('hashes an eml that is not yet a digest, keeps one that is (lower-cased)', () => {
    const digest = sha256('x@y.zz');
    const { url } = redactForLog(`/receivers/tradetracker?eml=%20Jane%40Example.com&data=c&email=${digest.toUpperCase()}`, null, null);
    assert.equal(url, `/receivers/tradetracker?eml=${JANE}&data=c&email=${digest}`);
    assert.equal(redactForLog('/x?eml=not-an-address', null, null).url, `/x?eml=${sha256('not-an-address')}`);
  });

  it('hashes e-mail addresses found in any other parameter, raw or encoded', () => {
    const { url } = redactForLog('/postback?sub3=jane%40example.com&sub4=jane@example.com', null, null);
    assert.equal(url, `/postback?sub3=${JANE}&sub4=${JANE}`);
  });

  it('redacts form bodies, including PHP bracket keys', () => {
    const body = 'subid1=abc&member%5Bpassword%5D=hunter2&member%5Bemail%5D=Jane%40Example.com&amount=1';
    assert.equal(
      redactForLog('/postback', body, 'application/x-www-form-urlencoded').body,
      `subid1=abc&member%5Bpassword%5D=[redacted]&member%5Bemail%5D=${JANE}&amount=1`,
    );
  });

  it('redacts JSON bodies, even ones that do not parse', () => {
    const body = '{"clickid":"a","token": "t0k", "api_key":123, "customer":{"email":"Jane@Example.com"},"note":"mail jane@example.com"}';
    assert.equal(
      redactForLog('/postback', body, 'application/json').body,
      `{"clickid":"a","token": "[redacted]", "api_key":"[redacted]", "customer":{"email":"${JANE}"},"note":"mail ${JANE}"}`,
    );
    assert.equal(redactForLog('/postback', '{"token":"t0k", broken', 'application/json').body, '{"token":"[redacted]", broken');
  });

  it('redacts XML and custom Tradedoubler bodies', () => {
    const xml = '<?xml version="1.0"?><conversion><token>abc</token><eml><![CDATA[Jane@Example.com]]></eml><epi>e</epi></conversion>';
    assert.equal(
      redactForLog('/r', xml, 'application/xml').body,
      `<?xml version="1.0"?><conversion><token>[redacted]</token><eml>${JANE}</eml><epi>e</epi></conversion>`,
    );
    const custom = 'transactionId=T, token=abc, eml=jane@example.com, orderValue=12,50';
    assert.equal(redactForLog('/r', custom, 'text/plain').body, `transactionId=T, token=[redacted], eml=${JANE}, orderValue=12,50`);
  });

  it('never lets a raw e-mail address through, wherever it is', () => {
    const local = fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,20}$/);
    const domain = fc.stringMatching(/^[a-z0-9-]{1,15}\.[a-z]{2,6}$/);
    const name = fc.constantFrom('eml', 'email', 'sub1', 'note', 'x[email]');
    fc.assert(
      fc.property(local, domain, name, fc.boolean(), (user, host, key, encode) => {
        const address = `${user}@${host}`;
        const value = encode ? encodeURIComponent(address) : address;
        const out = redactForLog(`/postback?clickid=c&${key}=${value}`, `${key}=${value}&a=1`, 'application/x-www-form-urlencoded');
        const json = redactForLog('/postback', JSON.stringify({ [key]: address }), 'application/json');
        for (const text of [out.url, out.body, json.body]) {
          assert.equal(text?.includes(address), false, text ?? '');
          assert.equal(text?.includes(encodeURIComponent(address)), false, text ?? '');
        }
      }),
    );
  });
});

describe('pickLoggedHeaders', () => {
  it('keeps the headers worth logging and never credentials', () => {
    const picked = pickLoggedHeaders({
      'User-Agent': 'curl/8',
      'content-type': 'application/json',
      'x-forwarded-for': ['1.2.3.4', '5.6.7.8'],
      referer: 'https://shop.example/thanks?token=abc&mail=jane@example.com',
      authorization: 'Bearer x',
      cookie: 'tt_cid=1',
      'x-api-key': 'k',
      host: 'tracker',
    });
    assert.deepEqual(picked, {
      'user-agent': 'curl/8',
      'content-type': 'application/json',
      'x-forwarded-for': '1.2.3.4, 5.6.7.8',
      referer: `https://shop.example/thanks?token=[redacted]&mail=${JANE}`,
    });
  });
});
