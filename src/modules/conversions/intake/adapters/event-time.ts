// `2024-03-11T10:20:30Z`, `2024-03-11T10:20:30.123+01:00`, or `2024-03-11 10:20:30` (UTC).
const EVENT_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)(Z|[+-]\d{2}:?\d{2})?$/i;
const UNIX = /^\d{9,13}$/;

/**
 * A time a network (or an upload) says a conversion happened: ISO 8601 (UTC without an offset),
 * or, when `unix` is allowed, Unix seconds (9-10 digits) or milliseconds (12-13). Null when unreadable.
 */
export function parseEventTime(value: string, unix = false): Date | null {
  let at: Date | null = null;
  const m = EVENT_TIME.exec(value);
  if (m) at = new Date(`${m[1]}T${m[2]}${m[3] ? m[3].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2') : 'Z'}`);
  else if (unix && UNIX.test(value)) at = new Date(value.length <= 10 ? Number(value) * 1000 : Number(value));
  return at && !Number.isNaN(at.getTime()) ? at : null;
}
