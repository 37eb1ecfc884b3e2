import { randomBytes } from 'node:crypto';
import { DemoClient, DemoHttpError } from './demo.client';

export interface DemoSetup {
  trafficSourceId: string;
  affiliateNetworkId: string;
  offerId: string;
  campaign: { id: string; key: string; name: string };
  trackingUrl: string;
  /** The network's postbackToken: calls other than pixels must carry it. */
  postbackToken: string;
}

interface Created {
  id: string;
}

/**
 * `demo`, else `demo-2`, `demo-3`…: a kept DATA_DIR or a shared DATABASE_URL may hold the
 * campaigns of earlier runs.
 */
async function createCampaign(client: DemoClient, body: Record<string, unknown>): Promise<Created & { key: string; name: string; trackingUrl: string }> {
  for (let n = 1; n <= 100; n++) {
    const key = n === 1 ? 'demo' : `demo-${n}`;
    try {
      return await client.api('POST', '/campaigns', { ...body, key });
    } catch (e) {
      if (!(e instanceof DemoHttpError && e.status === 400 && e.body.includes(`key '${key}' exists`))) throw e;
    }
  }
  return client.api('POST', '/campaigns', body);
}

/** The resources of SPEC §3 a media buyer sets up before buying traffic. */
export async function createDemoResources(client: DemoClient): Promise<DemoSetup> {
  const postbackToken = randomBytes(12).toString('hex');
  const source = await client.api<Created>('POST', '/traffic-sources', {
    name: 'Demo ad sources',
    clickIdParam: 'clickid',
    costParam: 'cost',
    params: [
      { param: 'utm_source', as: 'source' },
      { param: 'utm_content', as: 'target' },
    ],
  });
  const network = await client.api<Created>('POST', '/affiliate-networks', { name: 'Demo network', kind: 'generic', postbackToken, defaultStatus: 'approved' });
  const offer = await client.api<Created>('POST', '/offers', {
    name: 'Demo offer',
    affiliateNetworkId: network.id,
    url: 'https://offer.example/landing?sub={click_id}&src={source}&geo={country}',
    payout: { type: 'dynamic', amount: '25.00', currency: 'USD' },
  });
  const campaign = await createCampaign(client, {
    name: 'Demo campaign',
    category: 'DEMO',
    trafficSourceId: source.id,
    // The source reports what each click cost in `cost`.
    cost: { model: 'auto', currency: 'USD' },
    destinations: [{ offerId: offer.id, weight: 100 }],
  });
  return {
    trafficSourceId: source.id,
    affiliateNetworkId: network.id,
    offerId: offer.id,
    campaign: { id: campaign.id, key: campaign.key, name: campaign.name },
    trackingUrl: campaign.trackingUrl,
    postbackToken,
  };
}
