import { Injectable } from '@nestjs/common';
import { EnrichmentService } from '../../enrichment/enrichment.service';
import type { CallDescription } from '../rules/conversion.service';
import type { IntakeCall } from './intake.call';
import type { PostbackLogEntry } from '../inbound-log/postback-log.row';

/** SPEC §8 `source`, `client` and `geo` of a conversion call (keys always present). */
@Injectable()
export class CallDescriber {
  constructor(private readonly enrichment: EnrichmentService) {}

  /** `entry` holds the URL and referer already redacted: secrets are never stored. */
  describe(call: IntakeCall, entry: PostbackLogEntry): CallDescription {
    const c = this.enrichment.describeClient({
      socketIp: call.origin.socketIp,
      socketProtocol: call.origin.socketProtocol,
      headers: call.origin.headers,
    });
    return {
      source: { method: call.raw.method, url: entry.url, referer: entry.headers.referer ?? null, protocol: c.protocol, host: call.origin.host },
      client: { ip: c.ip, forwardedFor: c.forwardedFor, ua: c.ua, agent: c.agent, mobile: c.mobile, bot: c.bot, os: c.os, device: c.device, lang: c.lang },
      geo: c.geo,
    };
  }
}
