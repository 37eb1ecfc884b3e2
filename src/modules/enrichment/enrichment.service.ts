import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { anonymizeForwardedFor, anonymizeIp, resolveClient, type Protocol } from './client-ip';
import { GeoLookup, type Geo } from './geo.lookup';
import { UserAgentParser, type ParsedUserAgent } from './user-agent.parser';

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
      lang: first(h['accept-language'])?.slice(0, MAX_LANG) ?? null,
      protocol: client.protocol,
      // Looked up on the full address: anonymizing first would blur the city.
      geo: this.geo.lookup(client.ip),
    };
  }
}
