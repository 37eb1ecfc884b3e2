/**
 * Parameter name -> values in arrival order. A Map, so that names such as `__proto__` or
 * `constructor` sent by a caller are plain data.
 */
export type Fields = Map<string, string[]>;

export type FieldsReading = { ok: true; fields: Fields } | { ok: false; reason: string };

/** The HTTP layer's query object (already decoded once); anything but strings is ignored. */
export function fieldsFromQuery(query: unknown): Fields {
  const fields: Fields = new Map();
  if (!query || typeof query !== 'object') return fields;
  for (const name of Object.keys(query)) {
    const value: unknown = (query as Record<string, unknown>)[name];
    const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
    if (values.length) fields.set(name, values);
  }
  return fields;
}

/** A JSON field whose value was an object or an array: not a single value (SPEC §6 strict types). */
export type FieldShape = 'object' | 'array';

/** Names that came from a JSON object or array, per Fields map (kept beside it, not in it). */
const shapes = new WeakMap<Fields, Map<string, FieldShape>>();

export function shapesOf(fields: Fields): ReadonlyMap<string, FieldShape> {
  return shapes.get(fields) ?? new Map();
}

function markShape(fields: Fields, name: string, shape: FieldShape): void {
  let map = shapes.get(fields);
  if (!map) shapes.set(fields, (map = new Map()));
  if (!map.has(name)) map.set(name, shape);
}

/** Body fields replace query fields of the same name (the body wins). */
export function mergeFields(query: Fields, body: Fields): Fields {
  const merged: Fields = new Map(query);
  for (const [name, values] of body) merged.set(name, values);
  for (const [name, shape] of shapesOf(body)) markShape(merged, name, shape);
  return merged;
}

export function addField(fields: Fields, name: string, value: string): void {
  const values = fields.get(name);
  if (values) values.push(value);
  else fields.set(name, [value]);
}

const MAX_DEPTH = 8;

/**
 * Nested objects become dotted names (`amount.value`, `customParams.advS1`), so a JSON or XML
 * body and a GET query name a field the same way. Scalars become strings; null is absent. With
 * `strict` (JSON), each named object or array is remembered, so a reader expecting one value there
 * can refuse it instead of reading a part of it.
 */
export function flattenInto(fields: Fields, value: unknown, name: string, depth = 0, strict = false): void {
  if (value === null || value === undefined || depth > MAX_DEPTH) return;
  if (strict && name && typeof value === 'object') markShape(fields, name, Array.isArray(value) ? 'array' : 'object');
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (item !== null && typeof item === 'object') flattenInto(fields, item, `${name}.${i}`, depth + 1, strict);
      else flattenInto(fields, item, name, depth + 1, strict);
    });
  } else if (typeof value === 'object') {
    for (const key of Object.keys(value)) {
      flattenInto(fields, (value as Record<string, unknown>)[key], name ? `${name}.${key}` : key, depth + 1, strict);
    }
  } else if (name) {
    addField(fields, name, String(value));
  }
}
