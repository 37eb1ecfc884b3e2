import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DomainException } from '../../common/domain.exception';
import { ApiKeysService } from './api-keys.service';

/** The key a request presents: `Authorization: Bearer` or `X-Api-Key`. */
export function presentedKey(req: FastifyRequest): string | null {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, '').trim() || null;
  const x = req.headers['x-api-key'];
  return typeof x === 'string' && x.trim() ? x.trim() : null;
}

/** SPEC §3: no or bad key 401; a `read` key may only GET (403 otherwise). */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly keys: ApiKeysService) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<FastifyRequest>();
    const key = presentedKey(req);
    if (!key) throw new DomainException('UNAUTHORIZED', 'an API key is required (Authorization: Bearer <key> or X-Api-Key)');
    const scope = await this.keys.authenticate(key);
    if (!scope) throw new DomainException('UNAUTHORIZED', 'the API key is not valid');
    if (scope === 'read' && req.method !== 'GET' && req.method !== 'HEAD')
      throw new DomainException('FORBIDDEN', 'this API key has the read scope and may only read');
    return true;
  }
}
