/**
 * The made-up traffic the demo sends: where visitors come from, what they browse with, which
 * ad source brought them, and how well each market converts.
 */
export interface Market {
  country: string;
  weight: number;
  /** /24 prefixes the bundled geo data places in `country` (checked by the demo's e2e test). */
  prefixes: readonly string[];
  lang: string;
  /** Share of human clicks that convert. */
  conversionRate: number;
  /** Tier-1 traffic costs more: the source's CPC is multiplied by this. */
  cpcFactor: number;
}

export const MARKETS: readonly Market[] = [
  { country: 'US', weight: 26, prefixes: ['23.20.0', '8.8.8'], lang: 'en-US,en;q=0.9', conversionRate: 0.15, cpcFactor: 1 },
  { country: 'DE', weight: 12, prefixes: ['5.9.0', '78.46.0'], lang: 'de-DE,de;q=0.9,en;q=0.6', conversionRate: 0.13, cpcFactor: 0.8 },
  { country: 'GB', weight: 11, prefixes: ['81.2.69', '86.0.0'], lang: 'en-GB,en;q=0.9', conversionRate: 0.12, cpcFactor: 0.9 },
  { country: 'FR', weight: 8, prefixes: ['62.210.0', '90.0.0'], lang: 'fr-FR,fr;q=0.9,en;q=0.5', conversionRate: 0.1, cpcFactor: 0.7 },
  { country: 'CA', weight: 7, prefixes: ['24.48.0', '99.224.0'], lang: 'en-CA,fr-CA;q=0.8', conversionRate: 0.12, cpcFactor: 0.8 },
  { country: 'AU', weight: 6, prefixes: ['1.120.0', '1.128.0'], lang: 'en-AU,en;q=0.9', conversionRate: 0.11, cpcFactor: 0.8 },
  { country: 'ES', weight: 6, prefixes: ['80.58.0', '88.0.0'], lang: 'es-ES,es;q=0.9', conversionRate: 0.08, cpcFactor: 0.5 },
  { country: 'JP', weight: 6, prefixes: ['133.242.0', '210.140.0'], lang: 'ja-JP,ja;q=0.9', conversionRate: 0.07, cpcFactor: 0.9 },
  { country: 'BR', weight: 9, prefixes: ['200.147.0', '189.0.0'], lang: 'pt-BR,pt;q=0.9', conversionRate: 0.05, cpcFactor: 0.6 },
  { country: 'IN', weight: 9, prefixes: ['49.44.0', '117.192.0'], lang: 'en-IN,hi;q=0.8', conversionRate: 0.03, cpcFactor: 0.45 },
];

export interface Browser {
  weight: number;
  ua: string;
  bot: boolean;
}

export const BROWSERS: readonly Browser[] = [
  { weight: 24, bot: false, ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36' },
  {
    weight: 22,
    bot: false,
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  },
  { weight: 18, bot: false, ua: 'Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36' },
  { weight: 12, bot: false, ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15' },
  {
    weight: 8,
    bot: false,
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51',
  },
  { weight: 6, bot: false, ua: 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0' },
  {
    weight: 6,
    bot: false,
    ua: 'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  },
  { weight: 4, bot: true, ua: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' },
];

export interface AdSource {
  weight: number;
  /** `utm_source`, remapped to the `source` slot by the traffic source. */
  name: string;
  referer: string;
  /** The CPC the source reports in `cost` for a US click, in USD. */
  cpc: number;
  /** Prefix of the source's own click id (the visit's `externalId`). */
  idPrefix: string;
}

export const AD_SOURCES: readonly AdSource[] = [
  { weight: 40, name: 'facebook', referer: 'https://www.facebook.com/', cpc: 1.6, idPrefix: 'fb' },
  { weight: 30, name: 'google', referer: 'https://www.google.com/', cpc: 2.4, idPrefix: 'gclid' },
  { weight: 20, name: 'tiktok', referer: 'https://www.tiktok.com/', cpc: 0.9, idPrefix: 'tt' },
  { weight: 10, name: 'newsletter', referer: 'https://mail.example/', cpc: 0.1, idPrefix: 'nl' },
];

/** Creatives, remapped to the `target` slot. */
export const ADS = ['spring-sale', 'free-shipping', 'video-15s', 'carousel'] as const;
