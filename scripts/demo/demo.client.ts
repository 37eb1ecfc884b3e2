/** A failed call to the tracker, with what it answered. */
export class DemoHttpError extends Error {
  constructor(
    readonly what: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${what}: HTTP ${status} ${body.slice(0, 500)}`);
  }
}

export interface SendOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  json?: unknown;
  headers?: Record<string, string>;
}

/** Talks to the tracker over real HTTP, as its outside callers do. */
export class DemoClient {
  constructor(
    readonly baseUrl: string,
    private readonly adminKey: string,
  ) {}

  /** A raw request; redirects are answers here, never followed. */
  send(path: string, options: SendOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.json !== undefined) headers['content-type'] = 'application/json';
    return fetch(this.baseUrl + path, {
      method: options.method ?? 'GET',
      headers,
      body: options.json === undefined ? undefined : JSON.stringify(options.json),
      redirect: 'manual',
    });
  }

  /** A management or analytics call: JSON in and out, admin key, a 2xx or a DemoHttpError. */
  async api<T>(method: SendOptions['method'], path: string, json?: unknown): Promise<T> {
    const res = await this.send(`/api/v1${path}`, { method, json, headers: { authorization: `Bearer ${this.adminKey}` } });
    const text = await res.text();
    if (!res.ok) throw new DemoHttpError(`${method} /api/v1${path}`, res.status, text);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
