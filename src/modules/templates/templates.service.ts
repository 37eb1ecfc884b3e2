import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { DomainException } from '../../common/domain.exception';
import type { CreateAffiliateNetworkDto } from '../affiliate-networks/affiliate-network.dto';
import type { CreateTrafficSourceDto } from '../traffic-sources/traffic-source.dto';
import { TemplateCatalogue } from './template.catalogue';
import type { AffiliateNetworkTemplate, TemplateKind, TrafficSourceTemplate } from './template.types';

export type TrafficSourceTemplateView = ReturnType<TemplatesService['sourceView']>;
export type AffiliateNetworkTemplateView = ReturnType<TemplatesService['networkView']>;

/**
 * The template catalogue (docs/templates.md) as the API shows it, and the one rule of `template`
 * on create: the template fills each field the body leaves out; the body always wins, an explicit
 * null included.
 */
@Injectable()
export class TemplatesService {
  private readonly catalogue = new TemplateCatalogue();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  list(kind: TemplateKind): { items: (TrafficSourceTemplateView | AffiliateNetworkTemplateView)[] } {
    return kind === 'traffic-sources'
      ? { items: this.catalogue.trafficSources.map((t) => this.sourceView(t)) }
      : { items: this.catalogue.affiliateNetworks.map((t) => this.networkView(t)) };
  }

  get(kind: TemplateKind, id: string): TrafficSourceTemplateView | AffiliateNetworkTemplateView {
    const found = kind === 'traffic-sources' ? this.catalogue.trafficSource(id) : this.catalogue.affiliateNetwork(id);
    if (!found) throw DomainException.notFound(`${kind} template`, id);
    return kind === 'traffic-sources' ? this.sourceView(found as TrafficSourceTemplate) : this.networkView(found as AffiliateNetworkTemplate);
  }

  /** The body with the template's fields where the body has none; the body unchanged without `template`. */
  fillTrafficSource<T extends CreateTrafficSourceDto>(dto: T): T {
    if (dto.template === undefined) return dto;
    const t = this.catalogue.trafficSource(dto.template) ?? this.unknown('traffic-sources', dto.template);
    const out = { ...dto, template: undefined };
    out.name ??= t.name;
    if (out.clickIdParam === undefined && t.clickIdParam) out.clickIdParam = t.clickIdParam;
    if (out.costParam === undefined && t.costParam) out.costParam = t.costParam;
    if (out.params === undefined && t.params.length) out.params = t.params.map(({ param, as }) => ({ param, as }));
    if (out.postbackStatuses === undefined && t.postbackStatuses) out.postbackStatuses = [...t.postbackStatuses];
    if (out.postbackUrl === undefined && t.postbackUrl) {
      // A URL still holding EVENT_NAME and the like would be called as is: the user completes it.
      if (t.placeholders?.length)
        throw DomainException.invalid({
          postbackUrl: [
            `the ${t.name} template's postback URL needs your ${t.placeholders.join(', ')}: give postbackUrl (GET /api/v1/templates/traffic-sources/${t.id} shows it), or null to add it later`,
          ],
        });
      out.postbackUrl = t.postbackUrl;
    }
    return out;
  }

  fillAffiliateNetwork<T extends CreateAffiliateNetworkDto>(dto: T): T {
    if (dto.template === undefined) return dto;
    const t = this.catalogue.affiliateNetwork(dto.template) ?? this.unknown('affiliate-networks', dto.template);
    const out = { ...dto, template: undefined };
    out.name ??= t.name;
    out.kind ??= t.kind;
    if (out.params === undefined && t.params) out.params = { ...t.params };
    if (out.statusMap === undefined && t.statusMap) out.statusMap = { ...t.statusMap };
    if (out.defaultStatus === undefined && t.defaultStatus) out.defaultStatus = t.defaultStatus;
    return out;
  }

  /** The affiliate-network template with this id, or null (a network keeps the id it was made from). */
  affiliateNetworkTemplate(id: string): AffiliateNetworkTemplate | null {
    return this.catalogue.affiliateNetwork(id) ?? null;
  }

  private unknown(kind: TemplateKind, id: string): never {
    const ids = (kind === 'traffic-sources' ? this.catalogue.trafficSources : this.catalogue.affiliateNetworks).map((t) => t.id);
    const problem = `no ${kind === 'traffic-sources' ? 'traffic-source' : 'affiliate-network'} template is called '${id}'; the templates are ${ids.join(', ')}`;
    throw new DomainException('UNKNOWN_TEMPLATE', problem, { template: [problem] });
  }

  sourceView(t: TrafficSourceTemplate) {
    const tokens = [
      ...(t.clickIdParam ? [[t.clickIdParam, t.clickIdToken]] : []),
      ...t.params.map((p) => [p.param, p.token]),
      ...(t.costParam ? [[t.costParam, t.costToken]] : []),
    ] as [string, string | null | undefined][];
    return {
      id: t.id,
      name: t.name,
      docs: t.docs,
      moreDocs: t.moreDocs ?? [],
      clickIdParam: t.clickIdParam ?? null,
      costParam: t.costParam ?? null,
      params: t.params.map((p) => ({ param: p.param, as: p.as, token: p.token ?? `{${p.param}}` })),
      postbackUrl: t.postbackUrl,
      placeholders: t.placeholders ?? [],
      postbackStatuses: t.postbackStatuses ?? ['approved'],
      /** What the campaign link takes, with the source's own macros (paste after `?`). */
      trackingQuery: tokens.map(([param, token]) => `${param}=${token ?? `{${param}}`}`).join('&'),
      notes: t.notes ?? null,
    };
  }

  networkView(t: AffiliateNetworkTemplate) {
    return {
      id: t.id,
      name: t.name,
      docs: t.docs,
      moreDocs: t.moreDocs ?? [],
      kind: t.kind,
      params: t.params ?? {},
      statusMap: t.statusMap ?? {},
      defaultStatus: t.defaultStatus ?? 'approved',
      /** What to give the network: the tracker's receiver, the network's macros as values. */
      postbackUrl: `${this.config.baseUrl}${t.postbackPath}`,
      offerUrlQuery: t.offerUrlQuery ?? null,
      notes: t.notes ?? null,
      example: t.example,
    };
  }
}
