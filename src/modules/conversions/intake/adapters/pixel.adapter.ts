import type { AdapterOutcome, ConversionAdapter, NetworkSettings, RawCall } from './adapter.types';
import { CallDraft, namesFor, type FieldNames } from './call.draft';
import { fieldsFromQuery } from './fields';
import { GENERIC_NAMES } from './generic.adapter';
import { FieldReader } from './field.reader';
import { isUnreplacedMacro } from './macro';

const PIXEL_NAMES: FieldNames = {
  ...GENERIC_NAMES,
  clickId: ['h', ...GENERIC_NAMES.clickId.filter((n) => n !== 'h')],
  payout: ['a', ...GENERIC_NAMES.payout.filter((n) => n !== 'a')],
  type: ['c', ...GENERIC_NAMES.type],
};

/**
 * `/a.gif`: `c` type, `h` click id, `a` amount. Only the query counts (an image request has no
 * body). Without `h` the `tt_cid` cookie names the click, when the pixel is served first-party.
 */
export class PixelAdapter implements ConversionAdapter {
  readonly name = 'pixel';

  parse(call: RawCall, network: NetworkSettings | null): AdapterOutcome {
    const names = namesFor(PIXEL_NAMES, network);
    const draft = new CallDraft(new FieldReader(fieldsFromQuery(call.query)), network).readStandard(names);
    if (draft.call.clickId === null) {
      const cookie = cookieClickId(call.cookies);
      if (cookie) {
        draft.call.clickId = cookie;
        draft.notes.push('click id from the tt_cid cookie');
      }
    }
    return draft.outcome(`no click id in ${names.clickId.join(', ')} and no tt_cid cookie`);
  }
}

function cookieClickId(cookies: unknown): string | null {
  if (!cookies || typeof cookies !== 'object' || !Object.hasOwn(cookies, 'tt_cid')) return null;
  const value: unknown = (cookies as Record<string, unknown>).tt_cid;
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed !== '' && !isUnreplacedMacro(trimmed) ? trimmed : null;
}
