import { normalizeDecimal } from '../../common/money';
import type { CostModel } from '../campaigns/campaign.entity';

/** A cost a traffic source reports in the click URL: plain, non-negative, bounded. */
const REPORTED_COST = /^\d{1,15}(\.\d{1,12})?$/;

/** `amount` / 10^places, exactly, as a decimal string. */
function shiftLeft(amount: string, places: number): string {
  const [whole, frac = ''] = normalizeDecimal(amount).split('.');
  const digits = whole + frac;
  const point = whole.length - places;
  const padded = point > 0 ? digits : '0'.repeat(1 - point) + digits;
  const at = Math.max(point, 1);
  return normalizeDecimal(`${padded.slice(0, at)}.${padded.slice(at) || '0'}`);
}

/**
 * What one click costs, as an exact decimal string (SPEC §3 `cost.model`):
 * `cpc` the campaign amount, `cpm` the amount / 1000, `auto` the value of the source's costParam
 * when it is a plain non-negative decimal (else 0), `none` 0.
 */
export function clickCost(model: CostModel, amount: string, reported: string | undefined): string {
  switch (model) {
    case 'cpc':
      return normalizeDecimal(amount);
    case 'cpm':
      return shiftLeft(amount, 3);
    case 'auto': {
      const v = reported?.trim();
      return v && REPORTED_COST.test(v) ? normalizeDecimal(v) : '0';
    }
    case 'none':
      return '0';
  }
}
