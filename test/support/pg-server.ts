import { Client } from 'pg';

/** `url` with its database replaced. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** A connected client on the server's maintenance database, for CREATE/DROP DATABASE. */
export function adminUrl(url: string): { query: Client['query']; end: () => Promise<void> } {
  const client = new Client({ connectionString: withDatabase(url, 'postgres') });
  const ready = client.connect();
  return {
    query: (async (...args: unknown[]) => {
      await ready;
      return (client.query as (...a: unknown[]) => unknown)(...args);
    }) as never,
    end: async () => {
      await ready.catch(() => undefined);
      await client.end();
    },
  };
}
