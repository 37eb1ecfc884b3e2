import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

interface Loaded {
  body: Buffer;
  gz: Buffer | null;
  type: string;
  etag: string;
}

/** Where `npm run build:web` writes the dashboard: web/dist at the project root. */
export function defaultDashboardDir(): string {
  return join(__dirname, '..', '..', '..', '..', 'web', 'dist');
}

/**
 * The built dashboard's files, read once into memory (with a gzip copy for text) and served by
 * name only: the list is what the build wrote, so no request path ever reaches the file system.
 */
@Injectable()
export class DashboardFiles {
  private loaded: Map<string, Loaded> | null = null;
  private loadedFrom = 0;

  constructor(private readonly dir: string = defaultDashboardDir()) {}

  private load(): Map<string, Loaded> {
    const index = join(this.dir, 'index.html');
    // A rebuild while running (npm run build:web) is picked up: index.html is rewritten last.
    const stamp = existsSync(index) ? statSync(index).mtimeMs : 0;
    if (this.loaded && stamp === this.loadedFrom) return this.loaded;
    const map = new Map<string, Loaded>();
    if (stamp) {
      const add = (rel: string) => {
        const body = readFileSync(join(this.dir, rel));
        const type = TYPES[extname(rel)] ?? 'application/octet-stream';
        const text = /^text\/|javascript|json|svg/.test(type);
        map.set(rel, {
          body,
          gz: text && body.length > 512 ? gzipSync(body, { level: 9 }) : null,
          type,
          etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
        });
      };
      add('index.html');
      const assets = join(this.dir, 'assets');
      if (existsSync(assets)) for (const name of readdirSync(assets)) if (statSync(join(assets, name)).isFile()) add(`assets/${name}`);
    }
    this.loaded = map;
    this.loadedFrom = stamp;
    return map;
  }

  /** A file by its path under the build (`index.html`, `assets/<name>`), gzipped when the client takes it. */
  file(rel: string, acceptEncoding: string | string[] | undefined): { body: Buffer; type: string; gzip: boolean; etag: string } | null {
    const f = this.load().get(rel);
    if (!f) return null;
    const gzip = f.gz !== null && /\bgzip\b/.test(String(acceptEncoding ?? ''));
    return { body: gzip ? f.gz! : f.body, type: f.type, gzip, etag: gzip ? f.etag.replace(/"$/, '-gz"') : f.etag };
  }
}
