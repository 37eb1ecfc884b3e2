import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { LRUCache } from 'lru-cache';
import { botName } from './bot-name';
import { DatacenterLookup } from './datacenter.lookup';
import { anonymizeForwardedFor, anonymizeIp, resolveClient, type Protocol } from './client-ip';
import { GeoLookup, type Geo } from './geo.lookup';
import { UserAgentParser, type DeviceKind, type ParsedUserAgent } from './user-agent.parser';

export interface ClientRequest {
  socketIp: string;
  socketProtocol: Protocol;
  /** Lower-case header names, as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
}

export interface ClientInfo {
  ip: string;
  forwardedFor: string | null;
  ua: string | null;
  agent: ParsedUserAgent['agent'];
  os: ParsedUserAgent['os'];
  device: ParsedUserAgent['device'];
  mobile: boolean;
  bot: boolean;
  /** Which bot (`Googlebot`, `Other`...), null for a human. */
  botName: string | null;
  deviceType: DeviceKind;
  /** The cloud provider whose published range holds the (full) address, null when none. */
  datacenter: string | null;
  lang: string | null;
  protocol: Protocol;
  geo: Geo;
}

/** Bounds what one request can make us store. */
const MAX_STORED_UA = 1024;
const MAX_LANG = 256;

function first(v: string | string[] | undefined): string | null {
  const s = Array.isArray(v) ? v[0] : v;
  return s ? s : null;
}

/** Describes the client of a click or conversion call: address, agent, language, place. */
@Injectable()
export class EnrichmentService {
  private readonly agents = new UserAgentParser();
  private readonly geo: GeoLookup;
  private readonly datacenters = DatacenterLookup.bundled();
  /** Bot names by agent: bots repeat their agents, and naming one runs a few regexes. */
  private readonly botNames = new LRUCache<string, string>({ max: 2_000 });

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.geo = new GeoLookup(config.geoipMmdb);
  }

  describeClient(input: ClientRequest): ClientInfo {
    const h = input.headers;
    const client = resolveClient(
      input.socketIp,
      { xForwardedFor: h['x-forwarded-for'], xForwardedProto: h['x-forwarded-proto'] },
      this.config.trustProxy,
      input.socketProtocol,
    );
    const ua = first(h['user-agent']);
    const parsed = this.agents.parse(ua);
    const anonymize = this.config.ipAnonymize;
    return {
      ip: anonymize ? anonymizeIp(client.ip) : client.ip,
      // The raw header holds full addresses too, so it is anonymized alike.
      forwardedFor: anonymize && client.forwardedFor !== null ? anonymizeForwardedFor(client.forwardedFor) : client.forwardedFor,
      ua: ua === null ? null : ua.slice(0, MAX_STORED_UA),
      agent: parsed.agent,
      os: parsed.os,
      device: parsed.device,
      mobile: parsed.mobile,
      bot: parsed.bot,
      botName: parsed.bot ? this.nameBot(ua ?? '') : null,
      deviceType: parsed.deviceType,
      datacenter: this.datacenters.provider(client.ip),
      lang: first(h['accept-language'])?.slice(0, MAX_LANG) ?? null,
      protocol: client.protocol,
      // Looked up on the full address: anonymizing first would blur the city.
      geo: this.geo.lookup(client.ip),
    };
  }

  private nameBot(ua: string): string {
    let name = this.botNames.get(ua);
    if (name === undefined) {
      name = botName(ua) ?? 'Other';
      this.botNames.set(ua, name);
    }
    return name;
  }
}
