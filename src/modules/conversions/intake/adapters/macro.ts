/**
 * Placeholders that a sender forgot to fill in (SPEC §6). Such a value is absent: never a click
 * id, never a transaction id, never a dedupe key (a literal `OPTIONAL` txid would merge every
 * conversion of a click into one).
 */
const MACRO_SHAPES: readonly RegExp[] = [
  /^\$?\{+[^{}]*\}+$/, // {payout} {{payout}} ${orderValue} {DeltaAmo unt}
  /^(#[^#\s]+#)+$/, // #s2#, CAKE spill-over #s2##s3#
  /^\[\[[^\]]*\]\]$/, // [[sub2]]
  /^!!![^!]*!!!$/, // !!!clickRef!!!
  /^%%[^%]*%%$/, // %%click_id%%
  /^%[A-Za-z_][\w.-]*%$/, // %product_price%
  /^(REPLACE|OPTIONAL)$/i, // Voluum and BeMob template defaults
];

const ENCODED = /%[0-9A-Fa-f]{2}/;

/** Whether a (trimmed) value still looks like a macro, raw or still percent-encoded. */
export function isUnreplacedMacro(value: string): boolean {
  const v = value.trim();
  if (MACRO_SHAPES.some((re) => re.test(v))) return true;
  // `%7Bpayout%7D` arrives when the sender encoded the braces of a macro it never expanded
  // (`%257B...` when a second tracker escaped it again).
  let current = v;
  for (let i = 0; i < 3 && ENCODED.test(current); i++) {
    const decoded = safeDecode(current).trim();
    if (decoded === current) return false;
    if (MACRO_SHAPES.some((re) => re.test(decoded))) return true;
    current = decoded;
  }
  return false;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
