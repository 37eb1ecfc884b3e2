/**
 * The `fields` of a SPEC §3 error (`[{field: "destinations[0].weight", message}]`) as a map keyed
 * by the dotted path (`destinations.0.weight`), so a test can ask for one field by name.
 */
export function fieldsOf(body: unknown): Record<string, string[]> {
  const list = (body as { fields?: unknown } | undefined)?.fields;
  if (list === undefined) return {};
  if (!Array.isArray(list)) throw new Error(`fields is not a list: ${JSON.stringify(body)}`);
  const out: Record<string, string[]> = {};
  for (const entry of list as { field: string; message: string }[]) {
    if (typeof entry.field !== 'string' || typeof entry.message !== 'string') throw new Error(`bad fields entry: ${JSON.stringify(entry)}`);
    (out[entry.field.replace(/\[(\d+)\]/g, '.$1')] ??= []).push(entry.message);
  }
  return out;
}
