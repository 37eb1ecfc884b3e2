import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { isId } from '../../common/ids';
import { EnrichmentService, type ClientInfo } from '../enrichment/enrichment.service';
import { pickByWeight } from './destination.picker';
import { compileTemplate, renderTemplate } from './macro.renderer';
import { CapCounter } from './cap.counter';
import { RouteCache } from './route.cache';
import { ClickFacts, firstMatch } from './rule.matcher';
import type { RouteCampaign, RouteRule, RouteSnapshot } from './route.snapshot';
import { storableText } from './text.sanitizer';
import { UniqueOracle } from './unique.oracle';
import { buildVisit, visitMacros, type ClickRequest } from './visit.builder';
import { VisitRepository } from './visit.repository';
import { VisitWriter } from './visit.writer';

export type RedirectOutcome = { kind: 'redirect'; location: string; clickId: string | null; secure: boolean } | { kind: 'not-found'; message: string };

/**
 * The click path (SPEC §4): campaign from the route cache, destination by weight, visit written
 * (group commit) before the redirect is answered. Throws DomainException OVERLOADED or
 * DATABASE_UNAVAILABLE when the visit cannot be committed.
 */
@Injectable()
export class RedirectService {
  constructor(
    private readonly routes: RouteCache,
    private readonly writer: VisitWriter,
    private readonly visits: VisitRepository,
    private readonly enrichment: EnrichmentService,
    private readonly uniques: UniqueOracle,
    private readonly caps: CapCounter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async click(req: ClickRequest): Promise<RedirectOutcome> {
    const current = this.routes.current();
    const snapshot = current instanceof Promise ? await current : current;
    const campaign = snapshot.byKey.get(req.key);
    if (!campaign) return this.fallback(this.config.fallbackUrl, 'unknown campaign');
    if (!campaign.active) return this.fallback(campaign.fallbackUrl, 'campaign not active');
    const client = this.enrichment.describeClient({ socketIp: req.socketIp, socketProtocol: req.socketProtocol, headers: req.headers });
    let rule: RouteRule | null = null;
    if (campaign.rules.length) {
      const now = Date.now();
      // Only a campaign whose rules ask about uniqueness waits for it (a look-up).
      const unique = campaign.rulesNeedUnique ? await this.isUnique(campaign, req, client, now) : null;
      rule = firstMatch(campaign.rules, new ClickFacts(client, req.query, now, unique));
    }
    const path = rule ? rule.destinations : campaign.destinations;
    const now = Date.now();
    await this.caps.prepare(path, now);
    // From here to take() nothing awaits: the cap check and the count are one step (exact in a process).
    const dest = pickByWeight(this.caps.open(path, now));
    if (!dest) return this.fallback(campaign.fallbackUrl, path.length ? 'every destination of the path is capped' : 'campaign has no destination');
    if (req.method !== 'HEAD') this.caps.take(dest, now);
    const visit = buildVisit(req, campaign, dest, client, rule);
    const secure = client.protocol === 'https';
    // HEAD answers what GET would, with an empty click id, and records nothing (SPEC §1).
    if (req.method === 'HEAD') return { kind: 'redirect', location: renderTemplate(dest.first, visitMacros(visit, campaign)), clickId: null, secure };
    const id = await this.writer.write(visit);
    return { kind: 'redirect', location: renderTemplate(dest.first, visitMacros(visit, campaign)), clickId: id, secure };
  }

  private isUnique(campaign: RouteCampaign, req: ClickRequest, client: ClientInfo, now: number): Promise<boolean> {
    // The fingerprint of the stored user agent, as the click batch computes it.
    return this.uniques.isUnique(campaign.id, client.ip, client.ua === null ? null : storableText(client.ua), now, req.method !== 'HEAD');
  }

  /** `GET /lp/click`: from the lander on to the visit's offer, recording the click-through. */
  async landerClick(clickId: string | null, method: string): Promise<RedirectOutcome> {
    const id = clickId?.trim().toLowerCase() ?? '';
    if (!isId(id)) return this.fallback(this.config.fallbackUrl, 'unknown click');
    const visit = method === 'HEAD' ? await this.visits.findVisitById(id) : await this.visits.recordLanderClick(id);
    if (!visit) return this.fallback(this.config.fallbackUrl, 'unknown click');
    const current = this.routes.current();
    const snapshot: RouteSnapshot = current instanceof Promise ? await current : current;
    const template =
      (visit.offer_link_id ? snapshot.links.get(visit.offer_link_id) : undefined) ?? (visit.offer_id ? snapshot.offers.get(visit.offer_id)?.url : undefined);
    if (!template) return this.fallback(this.config.fallbackUrl, 'the offer of this click is gone');
    return { kind: 'redirect', location: renderTemplate(template, visitMacros(visit, snapshot.byId.get(visit.campaign_id))), clickId: null, secure: false };
  }

  private fallback(url: string | null, message: string): RedirectOutcome {
    // Rendered with no values: any macro stays as written, and the text becomes header-safe.
    return url
      ? { kind: 'redirect', location: renderTemplate(compileTemplate(url), () => undefined), clickId: null, secure: false }
      : { kind: 'not-found', message };
  }
}
