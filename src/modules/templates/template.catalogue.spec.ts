import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AppConfig } from '../../config/app-config';
import { DomainException } from '../../common/domain.exception';
import type { CreateAffiliateNetworkDto } from '../affiliate-networks/affiliate-network.dto';
import type { CreateTrafficSourceDto } from '../traffic-sources/traffic-source.dto';
import networkData from './data/affiliate-networks.json';
import sourceData from './data/traffic-sources.json';
import { catalogueProblems, TemplateCatalogue } from './template.catalogue';
import { TemplatesService } from './templates.service';

const service = new TemplatesService({ baseUrl: 'https://trk.example' } as AppConfig);

describe('the template catalogue (data/*.json)', () => {
  it('loads, and every template passes every check', () => {
    assert.deepEqual(catalogueProblems('traffic-sources', sourceData.templates), []);
    assert.deepEqual(catalogueProblems('affiliate-networks', networkData.templates), []);
    const catalogue = new TemplateCatalogue();
    assert.ok(catalogue.trafficSources.length >= 6);
    assert.ok(catalogue.affiliateNetworks.length >= 10);
    for (const kind of ['generic', 'trackdesk', 'tradedoubler', 'tradetracker'])
      assert.ok(
        catalogue.affiliateNetworks.some((t) => t.kind === kind),
        kind,
      );
  });

  it('names each problem of a bad file, and a bad file stops the start', () => {
    const good = sourceData.templates[0];
    const problems = catalogueProblems('traffic-sources', [
      { ...good, id: 'Bad Id', docs: 'not a url', extra: 1 },
      { ...good, id: 'dup' },
      { ...good, id: 'dup', params: [{ param: 'x', as: 'country' }], postbackUrl: 'https://{host}/pb?c={clickid}', placeholders: ['NOPE'] },
    ]);
    assert.deepEqual(problems, [
      'traffic-sources/Bad Id: unknown field extra',
      'traffic-sources/Bad Id: id must be lower-case letters, digits and dashes',
      'traffic-sources/Bad Id: docs must be the URL of the public page the template comes from',
      'traffic-sources/dup: id is used twice',
      "traffic-sources/dup: params[0].as 'country' is not a free slot name",
      'traffic-sources/dup: postbackUrl the scheme, host and port must be literal (no macros)',
      'traffic-sources/dup: postbackUrl: {host} is not a tracker macro (SPEC §7)',
      'traffic-sources/dup: postbackUrl: {clickid} is not a tracker macro (SPEC §7)',
      "traffic-sources/dup: postbackUrl must pass the source's click id as {external_id}",
      'traffic-sources/dup: placeholder NOPE must be an UPPER_CASE word of postbackUrl',
    ]);
    const net = networkData.templates[0];
    assert.deepEqual(
      catalogueProblems('affiliate-networks', [
        { ...net, kind: 'trackdesk', statusMap: { 1: 'ok' }, example: { values: { '{nope}': 'x' }, status: 'approved' } },
      ]),
      [
        'affiliate-networks/tune: statusMap.1 must be a status',
        'affiliate-networks/tune: postbackPath must start with /tracking/conversion/v1 for kind trackdesk',
        'affiliate-networks/tune: example: {nope} is not a value in postbackPath',
        'affiliate-networks/tune: example: one macro must carry <click id>',
      ],
    );
    assert.throws(() => new TemplateCatalogue([{ ...good, id: 'x' }], []), /template catalogue: traffic-sources\/x: id must be/);
  });
});

describe('TemplatesService', () => {
  it('shows network templates with the postback URL on BASE_URL', () => {
    const tune = service.get('affiliate-networks', 'tune') as ReturnType<TemplatesService['networkView']>;
    assert.equal(tune.postbackUrl, 'https://trk.example/postback?clickid={aff_sub}&payout={payout}&currency={currency}&txid={transaction_id}');
    assert.equal(tune.docs, 'https://support.tune.com/hc/en-us/articles/1500008248741-Passing-Values-to-a-Partner-Conversion-URL');
    assert.throws(
      () => service.get('affiliate-networks', 'nope'),
      (e: DomainException) => e.code === 'NOT_FOUND',
    );
  });

  it("shows a source's tracking query with its own macros", () => {
    const tiktok = service.get('traffic-sources', 'tiktok') as ReturnType<TemplatesService['sourceView']>;
    assert.match(tiktok.trackingQuery, /^campaign_id=__CAMPAIGN_ID__&campaign_name=__CAMPAIGN_NAME__&adgroup_id=__AID__/);
    const mgid = service.get('traffic-sources', 'mgid') as ReturnType<TemplatesService['sourceView']>;
    assert.equal(
      mgid.trackingQuery,
      'click_id={click_id}&widget_id={widget_id}&teaser_id={teaser_id}&campaign_id={campaign_id}&category_id={category_id}&click_price={click_price}',
    );
  });

  it('fills what the body leaves out; the body wins, null included', () => {
    const filled = service.fillTrafficSource({
      template: 'mgid',
      name: 'My MGID',
      costParam: null,
      postbackUrl: 'https://a.mgid.com/postback?c={external_id}&e=buy1',
    } as CreateTrafficSourceDto);
    assert.deepEqual(
      { ...filled },
      {
        template: undefined,
        name: 'My MGID',
        costParam: null,
        clickIdParam: 'click_id',
        postbackUrl: 'https://a.mgid.com/postback?c={external_id}&e=buy1',
        params: [
          { param: 'widget_id', as: 'widget' },
          { param: 'teaser_id', as: 'teaser' },
          { param: 'campaign_id', as: 'source_campaign' },
          { param: 'category_id', as: 'source_category' },
        ],
      },
    );
    const network = service.fillAffiliateNetwork({ template: 'affise', defaultStatus: 'pending' } as CreateAffiliateNetworkDto);
    assert.equal(network.name, 'Affise');
    assert.equal(network.kind, 'generic');
    assert.equal(network.defaultStatus, 'pending');
    assert.deepEqual(network.statusMap, { 1: 'approved', 2: 'pending', 3: 'declined', 5: 'pending' });
    const plain = { name: 'no template' };
    assert.equal(service.fillTrafficSource(plain as CreateTrafficSourceDto), plain);
  });

  it('refuses an unknown template, naming it, and a postback URL with placeholders left to fill', () => {
    assert.throws(
      () => service.fillAffiliateNetwork({ template: 'hasofers' } as CreateAffiliateNetworkDto),
      (e: DomainException) => e.code === 'UNKNOWN_TEMPLATE' && /'hasofers'/.test(e.message) && /tune, everflow/.test(e.message) && !!e.fields?.template,
    );
    assert.throws(
      () => service.fillTrafficSource({ template: 'taboola' } as CreateTrafficSourceDto),
      (e: DomainException) => e.code === 'VALIDATION_FAILED' && /needs your EVENT_NAME/.test(e.fields?.postbackUrl?.[0] ?? ''),
    );
    assert.equal(service.fillTrafficSource({ template: 'taboola', postbackUrl: null } as CreateTrafficSourceDto).postbackUrl, null);
  });
});
