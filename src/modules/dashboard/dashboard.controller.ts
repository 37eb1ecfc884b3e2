import { Controller, Get, Head, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DashboardFiles } from './dashboard.files';

/**
 * SPEC §10: the dashboard from the same process and port. `/` is the app's page (never cached, so
 * a new build is seen at once); `/assets/<name>` are its content-hashed files, cached for a year.
 * The CSP allows only this origin's script, style and API: no inline script, no third party.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function common(reply: FastifyReply) {
  reply.header('content-security-policy', DASHBOARD_CSP);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('x-frame-options', 'DENY');
}

@ApiExcludeController()
@Controller()
export class DashboardController {
  constructor(private readonly files: DashboardFiles) {}

  @Get()
  @Head()
  index(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    common(reply);
    const page = this.files.file('index.html', req.headers['accept-encoding']);
    if (!page) {
      reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The dashboard is not built: run `npm run build:web` (npm start does it when web/dist is missing).\n');
      return;
    }
    reply.header('cache-control', 'no-cache');
    this.send(reply, page);
  }

  @Get('assets/:name')
  @Head('assets/:name')
  asset(@Param('name') name: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    common(reply);
    const file = this.files.file(`assets/${name}`, req.headers['accept-encoding']);
    if (!file) {
      reply.status(404).type('text/plain; charset=utf-8').header('cache-control', 'no-store').send('Not found\n');
      return;
    }
    reply.header('cache-control', 'public, max-age=31536000, immutable');
    this.send(reply, file);
  }

  private send(reply: FastifyReply, f: { body: Buffer; type: string; gzip: boolean; etag: string }) {
    reply.header('content-type', f.type).header('etag', f.etag).header('vary', 'accept-encoding');
    if (f.gzip) reply.header('content-encoding', 'gzip');
    reply.send(f.body);
  }
}
