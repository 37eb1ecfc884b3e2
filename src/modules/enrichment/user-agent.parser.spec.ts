import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_UA_LENGTH, UserAgentParser } from './user-agent.parser';

const CHROME_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_14_1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.110 Safari/537.36';
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1';
const ANDROID = 'Mozilla/5.0 (Linux; Android 13; SM-S908B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/112.0.0.0 Mobile Safari/537.36';
const IPAD = 'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1';

describe('UserAgentParser', () => {
  const parser = new UserAgentParser();

  it('describes desktop Chrome on a Mac as in the contract', () => {
    assert.deepEqual(parser.parse(CHROME_MAC), {
      agent: { family: 'Chrome', major: '70', minor: '0', patch: '3538' },
      os: { family: 'Mac OS', major: '10', minor: '14', patch: '1', patchMinor: null },
      device: { family: 'Other', brand: null, model: null },
      mobile: false,
      bot: false,
      deviceType: 'desktop',
    });
  });

  it('flags Googlebot as a bot', () => {
    assert.equal(parser.parse(GOOGLEBOT).bot, true);
  });

  it('marks an iPhone as mobile and names the device', () => {
    const r = parser.parse(IPHONE);
    assert.equal(r.mobile, true);
    assert.equal(r.bot, false);
    assert.deepEqual(r.device, { family: 'iPhone', brand: 'Apple', model: 'iPhone' });
    assert.deepEqual(r.os, { family: 'iOS', major: '17', minor: '1', patch: '2', patchMinor: null });
    assert.equal(r.agent.family, 'Mobile Safari');
  });

  it('marks Android phones and iPads as mobile', () => {
    const android = parser.parse(ANDROID);
    assert.equal(android.mobile, true);
    assert.deepEqual(android.device, { family: 'Samsung SM-S908B', brand: 'Samsung', model: 'SM-S908B' });
    assert.equal(parser.parse(IPAD).mobile, true);
  });

  it('gives the device type rules match on (desktop, mobile, tablet)', () => {
    assert.equal(parser.parse(IPHONE).deviceType, 'mobile');
    assert.equal(parser.parse(ANDROID).deviceType, 'mobile');
    assert.equal(parser.parse(IPAD).deviceType, 'tablet');
    assert.equal(
      parser.parse('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36').deviceType,
      'desktop',
    );
    assert.equal(
      parser.parse('Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/4.0 TV Safari/537.36').deviceType,
      'smarttv',
    );
  });

  it('gives Other and nulls for an empty or missing user agent', () => {
    const expected = {
      agent: { family: 'Other', major: null, minor: null, patch: null },
      os: { family: 'Other', major: null, minor: null, patch: null, patchMinor: null },
      device: { family: 'Other', brand: null, model: null },
      mobile: false,
      bot: false,
      deviceType: 'desktop',
    };
    assert.deepEqual(parser.parse(''), expected);
    assert.deepEqual(parser.parse(undefined), expected);
    assert.deepEqual(parser.parse(null), expected);
    assert.equal(parser.parse('zzzz').agent.family, 'Other');
  });

  it('survives a hostile 10 KB user agent and only considers its head', () => {
    const hostile = 'Mozilla/5.0 (' + '('.repeat(5000) + 'a'.repeat(5000);
    const a = parser.parse(hostile);
    const b = parser.parse(hostile.slice(0, MAX_UA_LENGTH) + 'something else entirely');
    assert.equal(a, b);
  });

  it('answers a repeated user agent from the cache, frozen', () => {
    const p = new UserAgentParser();
    const first = p.parse(CHROME_MAC);
    assert.equal(p.parse(CHROME_MAC), first);
    assert.ok(Object.isFrozen(first) && Object.isFrozen(first.agent));
  });
});
