import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as received, for the inbound log and the network adapters. */
    rawBody?: string;
  }
}

/**
 * JSON is parsed (and kept raw); forms, XML, plain text and anything else stay text, because
 * conversion adapters parse them their own way and the inbound log stores what arrived.
 */
export function registerBodyParsers(fastify: FastifyInstance): void {
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (req: FastifyRequest, body: string, done) => {
    req.rawBody = body;
    if (body.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(body));
    } catch {
      const err = Object.assign(new Error('the body is not valid JSON'), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' });
      done(err, undefined);
    }
  });
  fastify.removeContentTypeParser('text/plain');
  fastify.addContentTypeParser(
    ['application/x-www-form-urlencoded', 'text/plain', 'application/xml', 'text/xml', 'text/csv'],
    { parseAs: 'string' },
    (req: FastifyRequest, body: string, done) => {
      req.rawBody = body;
      done(null, body);
    },
  );
  fastify.addContentTypeParser('*', { parseAs: 'string' }, (req: FastifyRequest, body: string, done) => {
    req.rawBody = body;
    done(null, body);
  });
}
