import type { AdapterName } from './adapters/adapter.registry';

/** The network kinds an affiliate network may be (SPEC §4): one per format of receiver. */
export const NETWORK_KINDS = ['generic', 'trackdesk', 'tradedoubler', 'tradetracker'] as const;
export type NetworkKind = (typeof NETWORK_KINDS)[number];

/**
 * One conversion receiver (SPEC §6): where networks call, how, and which adapter reads the call.
 * Everything else is derived from this list: the routes, which of them the per-address rate
 * limit guards, which paths name a network (replay reads the id back from a logged URL), the
 * receivers a network template may name, the network URL a buyer copies and the API document's
 * examples. A new network format is one adapter and one entry here.
 */
export interface Receiver {
  adapter: AdapterName;
  /** The network kind it serves. */
  kind: NetworkKind;
  path: string;
  methods: readonly ('GET' | 'POST')[];
  /** Also `path/:networkId`, so the network's settings (token, addresses, names) apply. */
  networkInPath: boolean;
  /** Also `/:account/path` (TrackingDesk-style pixel URLs; the account is ignored). */
  accountPrefix: boolean;
  /** Pages load the pixel, so a per-address limit would refuse a busy office: not limited. */
  rateLimited: boolean;
  /**
   * The query of the URL a buyer gives a network of this kind, in the network's own macros (SPEC
   * §6); none for the generic receiver, whose names come from each network's settings.
   */
  networkQuery?: string;
  /** The API document's example call. */
  example: { summary: string; query?: string; body?: unknown };
}

export const RECEIVERS: readonly Receiver[] = [
  {
    adapter: 'generic',
    kind: 'generic',
    path: '/postback',
    methods: ['GET', 'POST'],
    networkInPath: true,
    accountPrefix: false,
    rateLimited: true,
    example: { summary: 'HasOffers / TUNE style', query: 'clickid=0190f3a2b4c50000a1b2c3d4&payout=12.50&currency=USD&txid=ORDER-1&status=approved' },
  },
  {
    adapter: 'trackdesk',
    kind: 'trackdesk',
    path: '/tracking/conversion/v1',
    methods: ['GET', 'POST'],
    networkInPath: false,
    accountPrefix: false,
    rateLimited: true,
    networkQuery: 'conversionTypeCode={CONVERSION_TYPE}&cid={CLICK_ID}&amount.value={PAYOUT}&currency.code={CURRENCY}&externalId={ORDER_ID}&status={STATUS}',
    example: {
      summary: 'Trackdesk conversion',
      query: 'conversionTypeCode=SALE&cid=0190f3a2b4c50000a1b2c3d4&amount.value=12.5&currency.code=EUR&externalId=T-1&status=CONVERSION_STATUS_APPROVED',
    },
  },
  {
    adapter: 'tradedoubler',
    kind: 'tradedoubler',
    path: '/receivers/tradedoubler',
    methods: ['GET', 'POST'],
    networkInPath: true,
    accountPrefix: false,
    rateLimited: true,
    networkQuery:
      'epi={epi}&transactionId={transactionId}&publisherCommission={publisherCommission}&orderValue={orderValue}&currencyId={currencyId}&messageTypeId={messageTypeId}&eventTypeId={eventTypeId}&sequenceNumber={sequenceNumber}',
    example: {
      summary: 'Tradedoubler Conversions API message',
      body: {
        epi: '0190f3a2b4c50000a1b2c3d4',
        transactionId: '123456',
        publisherCommission: 4.2,
        orderValue: 42,
        currencyId: 'EUR',
        messageTypeId: 1,
        eventTypeId: 5,
      },
    },
  },
  {
    adapter: 'tradetracker',
    kind: 'tradetracker',
    path: '/receivers/tradetracker',
    methods: ['GET'],
    networkInPath: true,
    accountPrefix: false,
    rateLimited: true,
    networkQuery: 'cid={cid}&pid={pid}&tid={tid}&tam={tam}&currency={currency}&qty={qty}&data={data}&event={event}',
    example: { summary: 'TradeTracker S2S', query: 'cid=1&pid=2&tid=TT-1&tam=42.00&currency=EUR&data=0190f3a2b4c50000a1b2c3d4&event=sale' },
  },
  {
    adapter: 'pixel',
    kind: 'generic',
    path: '/a.gif',
    methods: ['GET'],
    networkInPath: false,
    accountPrefix: true,
    rateLimited: false,
    example: { summary: 'Pixel', query: 'h=0190f3a2b4c50000a1b2c3d4&c=lead&a=5' },
  },
];

/** A route as fastify names it (`/postback/:networkId`), with the receiver behind it. */
export interface ReceiverRoute {
  url: string;
  receiver: Receiver;
}

export function receiverRoutes(): ReceiverRoute[] {
  const routes: ReceiverRoute[] = [];
  for (const receiver of RECEIVERS) {
    routes.push({ url: receiver.path, receiver });
    if (receiver.networkInPath) routes.push({ url: `${receiver.path}/:networkId`, receiver });
    if (receiver.accountPrefix) routes.push({ url: `/:account${receiver.path}`, receiver });
  }
  return routes;
}

/** The receivers whose last path segment may name the network (SPEC §6). */
export const NETWORK_PATHS: readonly string[] = RECEIVERS.filter((r) => r.networkInPath).map((r) => r.path);

/** The receiver a network of this kind is given: the first of its kind in the list. */
export function receiverOfKind(kind: NetworkKind): Receiver {
  return RECEIVERS.find((r) => r.kind === kind)!;
}

/** The receiver paths a network of each kind may be given. */
export function receiverPathsOf(kind: NetworkKind): string[] {
  return RECEIVERS.filter((r) => r.kind === kind).map((r) => r.path);
}
