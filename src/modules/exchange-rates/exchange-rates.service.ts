import { Injectable } from '@nestjs/common';
import { ChangeBus } from '../../common/change-bus';
import { DomainException } from '../../common/domain.exception';
import { AMOUNT_PATTERN, normalizeDecimal } from '../../common/money';
import { SettingsRepository } from './settings.repository';

/** Units of each currency per one unit of `base` (SPEC §3): 10 EUR at 0.92 count 10 / 0.92 USD. */
export interface ExchangeRates {
  base: string;
  rates: Record<string, string>;
}

const CURRENCY = /^[A-Z]{3}$/;
const KEY = 'exchange_rates';

@Injectable()
export class ExchangeRatesService {
  constructor(
    private readonly settings: SettingsRepository,
    private readonly changes: ChangeBus,
  ) {}

  async get(): Promise<ExchangeRates> {
    return (await this.settings.read<ExchangeRates>(KEY)) ?? { base: 'USD', rates: {} };
  }

  async replace(input: unknown): Promise<ExchangeRates> {
    const rates = parseRates(input);
    await this.settings.write(KEY, rates);
    this.changes.emit('exchange-rates');
    return rates;
  }
}

export function parseRates(input: unknown): ExchangeRates {
  const problems: Record<string, string[]> = {};
  const body = (input ?? {}) as { base?: unknown; rates?: unknown };
  const base = body.base === undefined ? 'USD' : body.base;
  if (typeof input === 'object' && input !== null && !Array.isArray(input))
    for (const key of Object.keys(input)) if (key !== 'base' && key !== 'rates') problems[key] = ['is not a field of this body'];
  if (typeof base !== 'string' || !CURRENCY.test(base)) problems.base = ['must be a three-letter currency code such as USD'];
  const rates: Record<string, string> = {};
  if (body.rates !== undefined && (typeof body.rates !== 'object' || body.rates === null || Array.isArray(body.rates)))
    problems.rates = ['must be an object of currency code to rate'];
  else
    for (const [code, value] of Object.entries((body.rates ?? {}) as Record<string, unknown>)) {
      const text = typeof value === 'number' ? String(value) : value;
      if (!CURRENCY.test(code)) problems[`rates.${code}`] = ['is not a three-letter currency code'];
      else if (typeof text !== 'string' || !AMOUNT_PATTERN.test(text) || text.startsWith('-') || !/[1-9]/.test(text))
        problems[`rates.${code}`] = ['must be a positive decimal rate'];
      else rates[code] = normalizeDecimal(text);
    }
  if (Object.keys(problems).length) throw DomainException.invalid(problems);
  return { base: base as string, rates };
}
