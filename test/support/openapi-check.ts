import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

type Json = Record<string, any>;

/** OpenAPI 3.0 `nullable` as JSON Schema: the same schema, or null. */
function toJsonSchema(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(toJsonSchema);
  if (!s || typeof s !== 'object') return s;
  const out: Json = {};
  for (const [k, v] of Object.entries(s as Json)) if (k !== 'nullable' && k !== 'example') out[k] = toJsonSchema(v);
  if (out.$ref) out.$ref = String(out.$ref).replace('#/components/schemas/', 'components#/schemas/');
  if ((s as Json).nullable) {
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

/**
 * Checks real answers against the response schemas of the app's own OpenAPI document (issue 10):
 * the operation is found by method and path template, the schema by status and content type.
 */
export class OpenApiResponses {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly cache = new Map<string, ValidateFunction>();
  private readonly templates: { re: RegExp; path: string }[];
  readonly checked: string[] = [];

  constructor(private readonly doc: Json) {
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: 'components', schemas: toJsonSchema(doc.components.schemas) as Json });
    this.templates = Object.keys(doc.paths)
      .map((path) => ({ path, re: new RegExp(`^${path.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`) }))
      // Literal segments win over parameters: /api/v1/conversions/upload before /api/v1/conversions/{id}.
      .sort((a, b) => (a.path.match(/\{/g)?.length ?? 0) - (b.path.match(/\{/g)?.length ?? 0));
  }

  /** Problems of one answer ([] when it matches); throws when the document has no schema for it. */
  problems(method: string, url: string, status: number, body: unknown): string[] {
    const path = url.split('?')[0];
    const t = this.templates.find((x) => x.re.test(path));
    if (!t) throw new Error(`no documented path for ${method} ${path}`);
    const op = this.doc.paths[t.path][method.toLowerCase()];
    if (!op) throw new Error(`${method} ${t.path} is not documented`);
    const response = op.responses[String(status)];
    if (!response) throw new Error(`${method} ${t.path} does not document status ${status}`);
    const schema = response.content?.['application/json']?.schema;
    if (!schema) throw new Error(`${method} ${t.path} ${status} has no JSON schema`);
    const key = `${method} ${t.path} ${status}`;
    let validate = this.cache.get(key);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(schema) as Json);
      this.cache.set(key, validate);
    }
    this.checked.push(key);
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${key}: ${e.instancePath || '/'} ${e.message}`);
  }
}
