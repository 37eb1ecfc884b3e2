import { ApiKeyEntity } from '../modules/api-keys/api-key.entity';
import { AffiliateNetworkEntity } from '../modules/affiliate-networks/affiliate-network.entity';
import { CampaignEntity } from '../modules/campaigns/campaign.entity';
import { ConversionTypeEntity } from '../modules/conversion-types/conversion-type.entity';
import { LandingPageEntity } from '../modules/landing-pages/landing-page.entity';
import { OfferEntity, OfferLinkEntity } from '../modules/offers/offer.entity';
import { SubscriptionEntity } from '../modules/outbound/subscription.entity';
import { TrafficSourceEntity } from '../modules/traffic-sources/traffic-source.entity';

/** Entities of the management resources; hot paths use plain SQL and need none. */
export const entities = [
  ApiKeyEntity,
  AffiliateNetworkEntity,
  CampaignEntity,
  ConversionTypeEntity,
  LandingPageEntity,
  OfferEntity,
  OfferLinkEntity,
  TrafficSourceEntity,
  SubscriptionEntity,
];
