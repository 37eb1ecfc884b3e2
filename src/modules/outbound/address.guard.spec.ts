import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkUrlForSave, checkUrlForSaveAsync, isBlockedAddress, parseHostLiteral, saveTimeProblem } from './address.guard';

describe('isBlockedAddress', () => {
  it('blocks every refused range, at both ends', () => {
    const blocked = [
      '0.0.0.0',
      '0.255.255.255',
      '10.0.0.0',
      '10.255.255.255',
      '100.64.0.0',
      '100.127.255.255',
      '127.0.0.1',
      '127.255.255.255',
      '169.254.169.254',
      '172.16.0.0',
      '172.31.255.255',
      '192.168.0.0',
      '192.168.255.255',
      '198.18.0.0',
      '198.19.255.255',
      '224.0.0.1',
      '255.255.255.255',
      '::',
      '::1',
      'fc00::1',
      'fdff:ffff::1',
      'fe80::1',
      'febf::1',
      'fe80::1%eth0',
      '[::1]',
    ];
    for (const ip of blocked) assert.equal(isBlockedAddress(ip), true, ip);
  });

  it('allows the public neighbours of those ranges', () => {
    const allowed = [
      '1.1.1.1',
      '8.8.8.8',
      '9.255.255.255',
      '11.0.0.0',
      '100.63.255.255',
      '100.128.0.0',
      '126.255.255.255',
      '128.0.0.0',
      '169.253.255.255',
      '172.15.255.255',
      '172.32.0.0',
      '192.167.255.255',
      '192.169.0.0',
      '198.17.255.255',
      '198.20.0.0',
      '223.255.255.255',
      '2606:4700:4700::1111',
      'fec0::1',
      '::ffff:8.8.8.8',
      '::2:0:0:1',
    ];
    for (const ip of allowed) assert.equal(isBlockedAddress(ip), false, ip);
  });

  it('blocks IPv4-mapped and NAT64 forms of the v4 ranges', () => {
    for (const ip of ['::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a00:5', '::FFFF:169.254.169.254', '64:ff9b::a9fe:a9fe', '::127.0.0.1']) {
      assert.equal(isBlockedAddress(ip), true, ip);
    }
  });

  it('refuses what is not an address', () => {
    assert.equal(isBlockedAddress('localhost'), true);
    assert.equal(isBlockedAddress(''), true);
  });
});

describe('parseHostLiteral', () => {
  it('normalises the numeric forms the URL parser accepts', () => {
    for (const host of ['2130706433', '0x7f.1', '017700000001', '0177.0.0.1', '127.1', '%31%32%37.0.0.1']) {
      assert.equal(parseHostLiteral(host), '127.0.0.1', host);
    }
    assert.equal(parseHostLiteral('[::1]'), '::1');
    assert.equal(parseHostLiteral('[::ffff:127.0.0.1]'), '::ffff:7f00:1');
  });

  it('answers null for names', () => {
    assert.equal(parseHostLiteral('example.com'), null);
    assert.equal(parseHostLiteral('localhost'), null);
    assert.equal(parseHostLiteral('evil.example@127.0.0.1'), null);
  });
});

describe('checkUrlForSave', () => {
  it('refuses private literals, in any encoding', () => {
    for (const url of [
      'http://127.0.0.1/',
      'http://2130706433/',
      'http://0x7f.1/',
      'http://017700000001/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::]/',
      'http://[fc00::1]/',
      'http://[fe80::1]/',
      'http://0.0.0.0:8080/',
      'https://169.254.169.254/latest/meta-data',
      'http://100.64.1.1/',
      'http://172.16.0.1/',
      'http://192.168.1.1/',
    ]) {
      assert.match(checkUrlForSave(url, false) ?? '', /not allowed/, url);
    }
  });

  it('refuses other schemes and user info, whatever allowPrivate says', () => {
    for (const url of ['ftp://example.com/', 'gopher://example.com/', 'data:text/plain,x', 'ws://example.com/', 'http://user:pass@example.com/', 'nope']) {
      assert.notEqual(checkUrlForSave(url, true), null, url);
    }
  });

  it('accepts public literals, names, templates and private ones when allowed', () => {
    assert.equal(checkUrlForSave('https://8.8.8.8/pb?x=${payout}', false), null);
    assert.equal(checkUrlForSave('https://example.com/pb/${clickId}', false), null);
    assert.equal(checkUrlForSave('http://127.0.0.1:9/', true), null);
  });
});

describe('checkUrlForSaveAsync', () => {
  it('refuses localhost through DNS', async () => {
    assert.match((await checkUrlForSaveAsync('http://localhost:8080/pb', false)) ?? '', /localhost resolves to .* not allowed/);
    assert.equal(await checkUrlForSaveAsync('http://localhost:8080/pb', true), null);
  });

  it('refuses a name when any of its addresses is private', async () => {
    const resolve = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.5', family: 4 },
    ];
    assert.match((await checkUrlForSaveAsync('https://mixed.example/', false, resolve)) ?? '', /10\.0\.0\.5/);
  });

  it('accepts public names and names that do not resolve now', async () => {
    const publicOnly = async () => [{ address: '93.184.216.34', family: 4 }];
    assert.equal(await checkUrlForSaveAsync('https://ok.example/', false, publicOnly), null);
    const failing = async () => {
      throw Object.assign(new Error('queryA ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    assert.equal(await checkUrlForSaveAsync('https://gone.example/', false, failing), null);
  });

  it('checks literals without DNS', async () => {
    const never = async () => assert.fail('must not resolve');
    assert.notEqual(await checkUrlForSaveAsync('http://0x7f.1/', false, never), null);
    assert.equal(await checkUrlForSaveAsync('http://8.8.8.8/', false, never), null);
  });
});

describe('saveTimeProblem (issue 15: unresolvable hosts)', () => {
  const failingWith = (code: string) => async () => {
    throw Object.assign(new Error(`getaddrinfo ${code}`), { code });
  };

  it('refuses a name DNS says does not exist, with UNRESOLVABLE_HOST', async () => {
    for (const code of ['ENOTFOUND', 'ENODATA']) {
      const problem = await saveTimeProblem('https://typo.example/pb', false, failingWith(code));
      assert.equal(problem?.code, 'UNRESOLVABLE_HOST', code);
      assert.match(problem!.message, /typo\.example does not resolve/);
    }
    assert.equal((await saveTimeProblem('https://empty.example/', false, async () => []))?.code, 'UNRESOLVABLE_HOST');
  });

  it('accepts a name whose lookup fails for a moment (DNS down), and resolves nothing with OUTBOUND_ALLOW_PRIVATE', async () => {
    assert.equal(await saveTimeProblem('https://later.example/', false, failingWith('EAI_AGAIN')), null);
    assert.equal(await saveTimeProblem('https://typo.example/', true, failingWith('ENOTFOUND')), null);
  });

  it('keeps BLOCKED_ADDRESS for refused addresses, literal or resolved', async () => {
    assert.equal((await saveTimeProblem('http://127.0.0.1/', false, failingWith('ENOTFOUND')))?.code, 'BLOCKED_ADDRESS');
    const privateName = async () => [{ address: '192.168.1.4', family: 4 }];
    assert.equal((await saveTimeProblem('https://lan.example/', false, privateName))?.code, 'BLOCKED_ADDRESS');
    assert.equal(await saveTimeProblem('https://ok.example/', false, async () => [{ address: '93.184.216.34', family: 4 }]), null);
  });
});
