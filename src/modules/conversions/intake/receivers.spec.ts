import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { networkIdOf } from '../inbound-log/replay.call';
import { ADAPTERS } from './adapters/adapter.registry';
import { NETWORK_KINDS, RECEIVERS, receiverOfKind, receiverRoutes } from './receivers';
import { ReceiversController } from './receivers.controller';

describe('the receiver registry', () => {
  it('gives every network kind a receiver, and every receiver an adapter', () => {
    for (const kind of NETWORK_KINDS) assert.equal(receiverOfKind(kind).kind, kind);
    for (const r of RECEIVERS) assert.ok(Object.hasOwn(ADAPTERS, r.adapter), r.adapter);
  });

  it('derives one route per path, a network route where the path names the network', () => {
    const urls = receiverRoutes().map((r) => r.url);
    assert.equal(new Set(urls).size, urls.length);
    assert.ok(urls.includes('/postback/:networkId') && urls.includes('/:account/a.gif') && !urls.includes('/tracking/conversion/v1/:networkId'));
  });

  it('reads the network back from a logged URL of each receiver that names one, and only those', () => {
    for (const r of RECEIVERS) {
      assert.equal(networkIdOf(`${r.path}/net%201?x=1`), r.networkInPath ? 'net 1' : null, r.path);
      assert.equal(networkIdOf(`${r.path}?x=1`), null);
    }
  });

  it('makes a controller method for each route and HTTP method', () => {
    const methods = Object.getOwnPropertyNames(ReceiversController.prototype).filter((n) => n !== 'constructor');
    const expected = receiverRoutes().reduce((n, { receiver }) => n + receiver.methods.length, 0);
    assert.equal(methods.length, expected);
    assert.ok(methods.includes('postPostbackNetworkId') && methods.includes('getAccountAGif'), methods.join());
  });
});
