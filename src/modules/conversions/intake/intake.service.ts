import { Inject, Injectable, Optional } from '@nestjs/common';
import type { AppConfig } from '../../../config/app-config';
import { APP_CONFIG } from '../../../config/config.module';
import { idTime, mintId } from '../../../common/ids';
import { secretsEqual } from '../../api-keys/api-key.hash';
import { anonymizeIp, resolveClient } from '../../enrichment/client-ip';
import { adapterFor } from './adapters/adapter.registry';
import type { AdapterOutcome, NetworkSettings, NormalizedCall } from './adapters/adapter.types';
import { pickLoggedHeaders, redactForLog } from './adapters/redact';
import { show } from './adapters/sensitive';
import { CallDescriber } from './call.describer';
import type { ClickContext } from '../rules/click-context.repository';
import { ClickContextLoader } from '../rules/click-context.loader';
import { ConversionTypeCache } from './conversion-type.cache';
import { ConversionBatcher } from '../rules/conversion.batcher';
import type { RecordRequest } from '../rules/conversion.service';
import type { IntakeCall } from './intake.call';
import { IntakeOutcome, logResultOf, refused, rejected } from './intake.outcome';
import { NetworkProfile, NetworkSettingsCache } from './network-settings.cache';
import type { PostbackLogEntry } from '../inbound-log/postback-log.row';
import { PostbackLogRepository } from '../inbound-log/postback-log.repository';
import { MetricsService } from '../../ops/metrics.service';

type Verdict = { outcome: IntakeOutcome } | { record: RecordRequest };

/**
 * The conversion intake (SPEC §6): which network, who may call, what the call says, then the
 * conversion service. Every call ends in one inbound log entry, written before the answer.
 */
@Injectable()
export class IntakeService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly networks: NetworkSettingsCache,
    private readonly types: ConversionTypeCache,
    private readonly clicks: ClickContextLoader,
    private readonly conversions: ConversionBatcher,
    private readonly log: PostbackLogRepository,
    private readonly describer: CallDescriber,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  async receive(call: IntakeCall): Promise<IntakeOutcome> {
    const client = resolveClient(
      call.origin.socketIp,
      { xForwardedFor: call.origin.headers['x-forwarded-for'], xForwardedProto: call.origin.headers['x-forwarded-proto'] },
      this.config.trustProxy,
      call.origin.socketProtocol,
    );
    const entry = this.logEntry(call, client.ip);
    const verdict = await this.evaluate(call, client.ip, entry);
    let outcome: IntakeOutcome;
    if ('record' in verdict) outcome = await this.conversions.record(verdict.record);
    else {
      await this.log.insertEntry({ ...entry, ...logResultOf(verdict.outcome) });
      outcome = verdict.outcome;
    }
    this.metrics?.conversionCalls.inc({ endpoint: call.endpoint, outcome: outcome.kind === 'recorded' ? outcome.status : outcome.kind });
    return outcome;
  }

  /** A call refused before it was read (rate limit, body too large), for the inbound log. */
  async logRefusal(call: IntakeCall, outcome: IntakeOutcome): Promise<void> {
    const ip = resolveClient(call.origin.socketIp, { xForwardedFor: call.origin.headers['x-forwarded-for'] }, this.config.trustProxy, 'http').ip;
    await this.log.insertEntry({ ...this.logEntry(call, ip), ...logResultOf(outcome) });
  }

  private async evaluate(call: IntakeCall, ip: string, entry: PostbackLogEntry): Promise<Verdict> {
    // A replay, a pixel and an upload row (its API key checked already) skip the token and address checks.
    const checked = !call.replayOf && call.endpoint !== 'pixel' && call.endpoint !== 'upload';
    let network: NetworkProfile | null = null;
    if (call.pathNetworkId !== null) {
      network = await this.networks.find(call.pathNetworkId);
      if (!network) return { outcome: refused('UNKNOWN_NETWORK', `no affiliate network has the id ${show(call.pathNetworkId)}`) };
      entry.affiliateNetworkId = network.id;
      if (checked && network.allowedIps && !network.allowedIps.allows(ip)) return { outcome: this.ipRefusal(ip, network) };
    }
    const adapter = adapterFor(call.endpoint);
    let parsed = adapter.parse(call.raw, network?.settings ?? null);
    const clickId = parsed.ok ? parsed.call.clickId : (parsed.partial?.clickId ?? null);
    const click = clickId === null ? null : await this.clicks.find(clickId);
    const networkFromPath = network !== null;
    if (!network && click?.offerNetworkId) {
      network = await this.networks.find(click.offerNetworkId);
      if (network) {
        entry.affiliateNetworkId = network.id;
        // SPEC §6: without a network in the path the click id is read with the default names.
        parsed = adapter.parse(call.raw, withoutClickIdName(network.settings));
      }
    }
    entry.notes.push(...notesOf(parsed));
    if (checked) {
      const expected = network?.postbackToken ?? this.config.postbackToken;
      const presented = tokenOf(parsed, call.raw.query);
      if (expected !== null && (presented === null || !secretsEqual(presented, expected))) {
        return { outcome: refused('INVALID_TOKEN', presented === null ? 'a token is required (token or api_key)' : 'the token is not valid') };
      }
      if (!networkFromPath && network?.allowedIps && !network.allowedIps.allows(ip)) return { outcome: this.ipRefusal(ip, network) };
    }
    if (!parsed.ok) {
      return { outcome: parsed.code === 'UNPARSABLE_BODY' ? refused('UNPARSABLE_BODY', parsed.reason) : rejected(parsed.code, parsed.reason) };
    }
    const type = await this.types.resolve(parsed.call.conversionType);
    if (!type) {
      return { outcome: rejected('UNKNOWN_CONVERSION_TYPE', `no conversion type has the id, code or alias ${show(parsed.call.conversionType ?? '')}`) };
    }
    return {
      record: {
        call: parsed.call as NormalizedCall & { clickId: string },
        type,
        network,
        networkFromPath,
        click: click as ClickContext | null,
        description: this.describer.describe(call, entry),
        log: entry,
      },
    };
  }

  private ipRefusal(ip: string, network: NetworkProfile): IntakeOutcome {
    return refused('IP_NOT_ALLOWED', `the address ${ip} is not in the allowed addresses of network ${network.id}`);
  }

  private logEntry(call: IntakeCall, ip: string): PostbackLogEntry {
    const id = call.logId ?? mintId();
    const redacted = redactForLog(call.raw.url, call.raw.body, call.raw.contentType);
    const headers = pickLoggedHeaders(call.origin.headers);
    // The pixel's cookie may carry the click id: kept (alone) so a replay finds it again.
    const cookieClick = call.endpoint === 'pixel' ? call.raw.cookies.tt_cid : undefined;
    if (cookieClick) headers.cookie = `tt_cid=${encodeURIComponent(cookieClick.slice(0, 256))}`;
    return {
      id,
      createdAt: idTime(id),
      endpoint: call.endpoint,
      method: call.raw.method,
      url: redacted.url,
      headers,
      body: redacted.body,
      ip: this.config.ipAnonymize ? anonymizeIp(ip) : ip,
      affiliateNetworkId: null,
      notes: [],
      replayOf: call.replayOf,
    };
  }
}

function withoutClickIdName(settings: NetworkSettings): NetworkSettings {
  const { clickId: _ignored, ...params } = settings.params;
  return { ...settings, params };
}

function notesOf(parsed: AdapterOutcome): string[] {
  return parsed.ok ? parsed.call.notes : (parsed.partial?.notes ?? []);
}

/** `token` or `api_key`, as the adapter read it (query or body), else from the query alone. */
function tokenOf(parsed: AdapterOutcome, query: Record<string, string | string[]>): string | null {
  const read = parsed.ok ? parsed.call.token : parsed.partial?.token;
  if (read) return read;
  for (const name of ['token', 'api_key']) {
    const v = Object.hasOwn(query, name) ? query[name] : undefined;
    const first = Array.isArray(v) ? v[0] : v;
    if (typeof first === 'string' && first !== '') return first;
  }
  return null;
}
