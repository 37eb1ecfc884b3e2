import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TrustProxy } from '../../config/app-config';
import { anonymizeForwardedFor, anonymizeIp, resolveClient } from './client-ip';

const LOOPBACK: TrustProxy = { all: false, cidrs: ['127.0.0.0/8', '::1/128'] };

describe('resolveClient', () => {
  it('uses the socket and keeps the raw header when no proxy is trusted', () => {
    const r = resolveClient('203.0.113.9', { xForwardedFor: '1.2.3.4', xForwardedProto: 'https' }, null, 'http');
    assert.deepEqual(r, { ip: '203.0.113.9', forwardedFor: '1.2.3.4', protocol: 'http' });
    assert.equal(resolveClient('203.0.113.9', {}, null, 'http').forwardedFor, null);
  });

  it('ignores the headers when the socket peer is not trusted', () => {
    const r = resolveClient('198.51.100.7', { xForwardedFor: '1.2.3.4', xForwardedProto: 'https' }, LOOPBACK, 'http');
    assert.deepEqual(r, { ip: '198.51.100.7', forwardedFor: '1.2.3.4', protocol: 'http' });
  });

  it('takes X-Forwarded-For and X-Forwarded-Proto from a trusted loopback proxy', () => {
    const r = resolveClient('127.0.0.1', { xForwardedFor: '8.8.8.8', xForwardedProto: 'https' }, LOOPBACK, 'http');
    assert.deepEqual(r, { ip: '8.8.8.8', forwardedFor: '8.8.8.8', protocol: 'https' });
  });

  it('walks a chain of trusted proxies from the right', () => {
    const trust: TrustProxy = { all: false, cidrs: ['127.0.0.0/8', '10.0.0.0/8'] };
    const xff = '198.51.100.1, 8.8.4.4, 10.1.1.1, 10.2.2.2';
    assert.equal(resolveClient('127.0.0.1', { xForwardedFor: xff }, trust, 'http').ip, '8.8.4.4');
    assert.equal(resolveClient('127.0.0.1', { xForwardedFor: ['10.9.9.9', '10.1.1.1'] }, trust, 'http').ip, '10.9.9.9');
  });

  it('does not believe a spoofed left-most entry when only loopback is trusted', () => {
    const r = resolveClient('127.0.0.1', { xForwardedFor: '6.6.6.6, 203.0.113.50' }, LOOPBACK, 'http');
    assert.equal(r.ip, '203.0.113.50');
    assert.equal(r.forwardedFor, '6.6.6.6, 203.0.113.50');
  });

  it('takes the left-most entry when every hop is trusted', () => {
    const r = resolveClient('192.0.2.1', { xForwardedFor: '6.6.6.6, 203.0.113.50' }, { all: true }, 'http');
    assert.equal(r.ip, '6.6.6.6');
  });

  it('normalises IPv4-mapped IPv6 addresses, in the socket, the header and the rules', () => {
    const r = resolveClient('::ffff:127.0.0.1', { xForwardedFor: '::ffff:8.8.8.8' }, LOOPBACK, 'http');
    assert.equal(r.ip, '8.8.8.8');
    assert.equal(resolveClient('::ffff:10.0.0.1', {}, null, 'http').ip, '10.0.0.1');
  });

  it('matches IPv6 CIDRs and skips invalid entries and ports', () => {
    const trust: TrustProxy = { all: false, cidrs: ['2001:db8::/32'] };
    const xff = '8.8.8.8:4711, not-an-ip, [2001:db8::5]:443';
    assert.equal(resolveClient('2001:db8:1::1', { xForwardedFor: xff }, trust, 'https').ip, '8.8.8.8');
    assert.equal(resolveClient('2001:db9::1', { xForwardedFor: xff }, trust, 'https').ip, '2001:db9::1');
  });

  it('uses the first X-Forwarded-Proto value and falls back on the socket for junk', () => {
    const proto = (p: string) => resolveClient('127.0.0.1', { xForwardedProto: p }, LOOPBACK, 'http').protocol;
    assert.equal(proto('HTTPS, http'), 'https');
    assert.equal(proto('gopher'), 'http');
    assert.equal(resolveClient('127.0.0.1', { xForwardedProto: 'http' }, LOOPBACK, 'https').protocol, 'http');
  });
});

describe('anonymizeIp', () => {
  it('zeroes the last IPv4 octet', () => {
    assert.equal(anonymizeIp('8.8.8.8'), '8.8.8.0');
    assert.equal(anonymizeIp('::ffff:192.0.2.77'), '192.0.2.0');
  });

  it('cuts IPv6 to its /48 in compressed form', () => {
    assert.equal(anonymizeIp('2001:db8:1:2:3:4:5:6'), '2001:db8:1::');
    assert.equal(anonymizeIp('2001:0DB8:0001::1'), '2001:db8:1::');
    assert.equal(anonymizeIp('2001:0:0:5::1'), '2001::');
    assert.equal(anonymizeIp('::1'), '::');
  });

  it('anonymizes each X-Forwarded-For entry', () => {
    assert.equal(anonymizeForwardedFor('8.8.8.8, junk, 2001:db8:1:2::9'), '8.8.8.0, unknown, 2001:db8:1::');
  });
});
