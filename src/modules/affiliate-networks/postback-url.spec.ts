import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TemplateCatalogue } from '../templates/template.catalogue';
import { networkEndpoints } from './postback-url';

const base = 'https://trk.example';
const network = (o: Partial<Parameters<typeof networkEndpoints>[1]> = {}) => ({ id: 'n1', kind: 'generic' as const, params: {}, postbackToken: null, ...o });

describe('networkEndpoints (what to give a network)', () => {
  it('a generic network: its own parameter names, placeholders, the token as a placeholder, and the pixel', () => {
    const e = networkEndpoints(base, network({ params: { clickId: 'sub', payout: 'sum' }, postbackToken: 'secret' }), null);
    assert.equal(
      e.postbackUrl,
      `${base}/postback/n1?sub={CLICK_ID}&sum={PAYOUT}&txid={TRANSACTION_ID}&currency={CURRENCY}&status={STATUS}&token={YOUR_POSTBACK_TOKEN}`,
    );
    assert.ok(!e.postbackUrl.includes('secret'), 'the token itself is never shown');
    assert.match(e.pixel!, /^<img src="https:\/\/trk\.example\/a\.gif\?h=\{CLICK_ID\}/);
  });

  it("from a template: the template's receiver with the network's id and its own macros", () => {
    const tune = new TemplateCatalogue().affiliateNetwork('tune')!;
    const e = networkEndpoints(base, network({ id: 'n 2' }), tune);
    assert.equal(e.postbackUrl, `${base}/postback/n%202?clickid={aff_sub}&payout={payout}&currency={currency}&txid={transaction_id}`);
    const td = new TemplateCatalogue().affiliateNetwork('tradedoubler')!;
    assert.match(networkEndpoints(base, network({ kind: 'tradedoubler' }), td).postbackUrl, /^https:\/\/trk\.example\/receivers\/tradedoubler\/n1[?]/);
  });

  it('each kind without a template has its receiver', () => {
    assert.match(networkEndpoints(base, network({ kind: 'trackdesk' }), null).postbackUrl, /\/tracking\/conversion\/v1\?conversionTypeCode=/);
    assert.match(networkEndpoints(base, network({ kind: 'tradetracker' }), null).postbackUrl, /\/receivers\/tradetracker\/n1\?cid=\{cid\}/);
    assert.equal(networkEndpoints(base, network({ kind: 'tradetracker' }), null).pixel, null);
  });
});
