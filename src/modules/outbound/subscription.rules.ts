import { XMLValidator } from 'fast-xml-parser';
import { DomainException, type ErrorCode } from '../../common/domain.exception';
import { destinationUrlProblem } from '../../common/url-template';
import type { ExchangeRates } from '../exchange-rates/exchange-rates.service';
import type { SaveTimeProblem } from './address.guard';
import { isSupportedCurrency } from './currency.converter';
import type { SubscriptionDto } from './subscription.dto';
import { EMPTY_FILTER, type CustomAttribute, type Receiver, type SubscriptionFilter } from './subscription.types';
import { assertLiteralHost, renderJson, renderXml, TEMPLATE_ATTRIBUTES, validateTemplate } from './template.renderer';
import { attributeName, rewriteAliases, TD_ATTRIBUTES_UNSUPPORTED, TD_FILTER_ALIASES, TD_FILTERS_UNSUPPORTED } from './tradedoubler.aliases';
import { tradeTrackerReceiverProblem } from './tradetracker.sender';
import { isValidSecret } from './webhook.signer';

/** A subscription as it is stored, once every rule passed. */
export interface CheckedSubscription {
  name: string | null;
  filter: SubscriptionFilter;
  receivers: Receiver[];
  currencyConversion: { to: string } | null;
  customAttribute: CustomAttribute | null;
  secret: string | null;
}

export interface SubscriptionRuleContext {
  rates: ExchangeRates;
  conversionTypes: Array<{ id: string; code: string; aliases: string[] }>;
  /** Save-time address check of a `${attribute}` URL template (private and loopback ranges, unknown hosts). */
  addressProblem: (urlTemplate: string) => Promise<SaveTimeProblem | string | null>;
}

type Problems = Record<string, string[]>;

const STANDARD = new Set<string>(TEMPLATE_ATTRIBUTES);
const SAMPLE = Object.fromEntries([...TEMPLATE_ATTRIBUTES].map((n) => [n, '1']));

function add(problems: Problems, field: string, message: string): void {
  (problems[field] ??= []).push(message);
}

function coded(code: ErrorCode, problems: Problems): DomainException {
  const message = Object.entries(problems)
    .map(([f, m]) => `${f}: ${m.join('; ')}`)
    .join('. ');
  return new DomainException(code, message, problems);
}

const present = (text: string | null | undefined): text is string => typeof text === 'string' && text !== '';

function unknownAttribute(name: string): string {
  return Object.hasOwn(TD_ATTRIBUTES_UNSUPPORTED, name)
    ? `Tradedoubler's '${name}' has no equivalent here: ${TD_ATTRIBUTES_UNSUPPORTED[name]}`
    : `unknown attribute '${name}'`;
}

/**
 * The subscription with Tradedoubler's names (`${orderNumber}`, `tdAttributes`, `programIds`, …)
 * replaced by the tracker's; filters that cannot be honoured are added to `unsupported`.
 */
function withTradedoublerNames(dto: SubscriptionDto, unsupported: Problems): SubscriptionDto {
  const receivers = (dto.receivers ?? []).map((r) => ({
    ...r,
    receiverUrl: typeof r.receiverUrl === 'string' ? rewriteAliases(r.receiverUrl) : r.receiverUrl,
    receiverBody: typeof r.receiverBody === 'string' ? rewriteAliases(r.receiverBody) : r.receiverBody,
  }));
  let customAttribute = dto.customAttribute ?? null;
  if (customAttribute) {
    const { tdAttributes, ...rest } = customAttribute;
    customAttribute = { ...rest, attributes: (rest.attributes ?? tdAttributes ?? []).map(attributeName) };
  }
  let filter = dto.filter ?? null;
  if (filter) {
    const { programIds, eventIds, messageTypeIds, eventTypeIds, siteIds, ...rest } = filter;
    const given: Record<string, unknown[] | undefined> = { programIds, eventIds, messageTypeIds, eventTypeIds, siteIds };
    const mapped: Record<string, string[]> = { offerIds: [...(rest.offerIds ?? [])], conversionTypes: [...(rest.conversionTypes ?? [])] };
    for (const [name, values] of Object.entries(given)) {
      if (values === undefined || values === null) continue;
      if (Object.hasOwn(TD_FILTERS_UNSUPPORTED, name)) {
        add(unsupported, `filter.${name}`, `Tradedoubler's ${name} cannot be honoured: ${TD_FILTERS_UNSUPPORTED[name]}`);
        continue;
      }
      const to = TD_FILTER_ALIASES[name];
      mapped[to].push(...values.map((v) => String(v)));
    }
    filter = {
      ...rest,
      ...(mapped.offerIds.length ? { offerIds: mapped.offerIds } : {}),
      ...(mapped.conversionTypes.length ? { conversionTypes: mapped.conversionTypes } : {}),
    };
  }
  return { ...dto, receivers, filter, customAttribute } as SubscriptionDto;
}

/** Whether a body template still parses in its format once every attribute holds a value. */
function bodyProblem(format: 'json' | 'xml' | 'custom', template: string, extra: string[]): string | null {
  const values = { ...SAMPLE, ...Object.fromEntries(extra.map((n) => [n, '1'])) };
  if (format === 'json') {
    try {
      JSON.parse(renderJson(template, values));
      return null;
    } catch (e) {
      return `is not valid JSON once its attributes are filled in (${(e as Error).message})`;
    }
  }
  if (format === 'xml') {
    const result = XMLValidator.validate(renderXml(template, values));
    return result === true ? null : `is not well-formed XML once its attributes are filled in (${result.err.msg})`;
  }
  return null;
}

/**
 * Every rule of SPEC §7 for a subscription. Field problems answer VALIDATION_FAILED; otherwise
 * an unknown `${attribute}` is UNKNOWN_ATTRIBUTE, a body that cannot parse INVALID_TEMPLATE,
 * and a refused address BLOCKED_ADDRESS, each naming the field.
 */
export async function checkSubscription(input: SubscriptionDto, ctx: SubscriptionRuleContext): Promise<CheckedSubscription> {
  const fields: Problems = {};
  const unknown: Problems = {};
  const invalid: Problems = {};
  const unsupported: Problems = {};
  const dto = withTradedoublerNames(input, unsupported);

  const custom = dto.customAttribute ?? null;
  const extra = custom ? [custom.userAttribute] : [];
  if (custom) {
    if (STANDARD.has(custom.userAttribute))
      add(fields, 'customAttribute.userAttribute', `'${custom.userAttribute}' is a standard attribute; choose another name`);
    custom.attributes.forEach((name, i) => {
      if (!STANDARD.has(name)) add(unknown, `customAttribute.attributes.${i}`, unknownAttribute(name));
    });
    custom.rules.forEach((rule, j) => {
      if (rule.inputs.length !== custom.attributes.length)
        add(fields, `customAttribute.rules.${j}.inputs`, `must hold ${custom.attributes.length} value(s), one per attribute`);
    });
  }

  const receivers: Receiver[] = dto.receivers.map((r, i) => {
    const at = `receivers.${i}`;
    const hasBody = present(r.receiverBody);
    if (r.receiverFormat === 'tradetracker') {
      if (r.httpMethod !== 'GET') add(fields, `${at}.httpMethod`, 'a tradetracker receiver is a GET');
      if (hasBody) add(fields, `${at}.receiverBody`, 'a tradetracker receiver sends no body');
      const problem = tradeTrackerReceiverProblem(r.receiverUrl);
      if (problem) add(fields, `${at}.receiverUrl`, problem);
    } else if (r.httpMethod === 'GET') {
      if (hasBody) add(fields, `${at}.receiverBody`, 'a GET receiver sends no body: use POST, or put the values in receiverUrl');
      if (present(r.receiverFormat)) add(fields, `${at}.receiverFormat`, 'a GET receiver has no body, so no format');
    } else if (!present(r.receiverFormat)) {
      add(fields, `${at}.receiverFormat`, 'a POST receiver needs receiverFormat: json, xml or custom');
    }
    const shape = assertLiteralHost(r.receiverUrl) ?? destinationUrlProblem(r.receiverUrl.replace(/\$\{/g, '{'));
    if (shape) add(fields, `${at}.receiverUrl`, shape);
    for (const name of validateTemplate(r.receiverUrl, extra)) add(unknown, `${at}.receiverUrl`, unknownAttribute(name));
    if (r.httpMethod === 'POST' && hasBody) {
      const names = validateTemplate(r.receiverBody!, extra);
      for (const name of names) add(unknown, `${at}.receiverBody`, unknownAttribute(name));
      const problem =
        names.length === 0 && r.receiverFormat && r.receiverFormat !== 'tradetracker' ? bodyProblem(r.receiverFormat, r.receiverBody!, extra) : null;
      if (problem) add(invalid, `${at}.receiverBody`, problem);
    }
    return {
      httpMethod: r.httpMethod,
      receiverUrl: r.receiverUrl,
      receiverBody: r.httpMethod === 'POST' && hasBody ? r.receiverBody! : null,
      receiverFormat: r.httpMethod === 'POST' || r.receiverFormat === 'tradetracker' ? (r.receiverFormat ?? null) : null,
    };
  });

  const to = dto.currencyConversion?.to;
  if (to && !isSupportedCurrency(ctx.rates, to)) {
    const known = [ctx.rates.base, ...Object.keys(ctx.rates.rates)].join(', ');
    add(fields, 'currencyConversion.to', `no exchange rate for ${to} (known: ${known}); set one at /api/v1/exchange-rates`);
  }

  const secret = present(dto.secret) ? dto.secret : null;
  if (secret !== null && !isValidSecret(secret)) add(fields, 'secret', "must be 'whsec_' followed by the base64 of at least 24 random bytes");

  const filter = { ...EMPTY_FILTER, ...Object.fromEntries(Object.entries(dto.filter ?? {}).filter(([, v]) => v != null)) } as SubscriptionFilter;
  filter.conversionTypes = filter.conversionTypes.map((name, i) => {
    const l = name.toLowerCase();
    const type = ctx.conversionTypes.find((t) => t.id.toLowerCase() === l || t.code.toLowerCase() === l || t.aliases.some((a) => a.toLowerCase() === l));
    if (!type) add(fields, `filter.conversionTypes.${i}`, `no conversion type has the id, code or alias '${name}'`);
    // An alias is kept as its type's code: messages match on id or code.
    return type && type.id.toLowerCase() !== l && type.code.toLowerCase() !== l ? type.code : name;
  });

  if (Object.keys(fields).length) throw coded('VALIDATION_FAILED', fields);
  if (Object.keys(unsupported).length) throw coded('UNSUPPORTED_FILTER', unsupported);
  if (Object.keys(unknown).length) throw coded('UNKNOWN_ATTRIBUTE', unknown);
  if (Object.keys(invalid).length) throw coded('INVALID_TEMPLATE', invalid);

  const blocked: Problems = {};
  const unresolvable: Problems = {};
  for (const [i, r] of receivers.entries()) {
    const problem = await ctx.addressProblem(r.receiverUrl);
    if (problem === null) continue;
    const { code, message } = typeof problem === 'string' ? { code: 'BLOCKED_ADDRESS' as const, message: problem } : problem;
    add(code === 'UNRESOLVABLE_HOST' ? unresolvable : blocked, `receivers.${i}.receiverUrl`, message);
  }
  if (Object.keys(blocked).length) throw coded('BLOCKED_ADDRESS', blocked);
  if (Object.keys(unresolvable).length) throw coded('UNRESOLVABLE_HOST', unresolvable);

  return {
    name: dto.subscriptionName ?? null,
    filter,
    receivers,
    currencyConversion: to ? { to } : null,
    customAttribute: custom
      ? { attributes: custom.attributes, userAttribute: custom.userAttribute, rules: custom.rules.map((r) => ({ inputs: r.inputs, output: r.output })) }
      : null,
    secret,
  };
}
