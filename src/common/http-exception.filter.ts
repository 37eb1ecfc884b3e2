import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { DomainException, ErrorCode } from './domain.exception';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function statusOf(code: ErrorCode): number {
  switch (code) {
    case 'VALIDATION_FAILED':
    case 'INVALID_JSON':
    case 'BAD_REQUEST':
    case 'UNPARSABLE_BODY':
    case 'UNKNOWN_ATTRIBUTE':
    case 'INVALID_TEMPLATE':
    case 'BLOCKED_ADDRESS':
    case 'UNRESOLVABLE_HOST':
    case 'UNKNOWN_TEMPLATE':
    case 'UNSUPPORTED_FILTER':
      return 400;
    case 'UNAUTHORIZED':
    case 'INVALID_TOKEN':
      return 401;
    case 'FORBIDDEN':
    case 'IP_NOT_ALLOWED':
      return 403;
    case 'NOT_FOUND':
    case 'UNKNOWN_NETWORK':
      return 404;
    case 'CONFLICT':
    case 'NOT_REPLAYABLE':
    case 'INVALID_TRANSITION':
      return 409;
    case 'PAYLOAD_TOO_LARGE':
      return 413;
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 415;
    case 'RATE_LIMITED':
      return 429;
    case 'DATABASE_UNAVAILABLE':
    case 'OVERLOADED':
      return 503;
    case 'INTERNAL_ERROR':
      return 500;
  }
}

export interface ErrorBody {
  statusCode: number;
  error: string;
  code: string;
  message: string;
  /** SPEC §3: one entry per bad field, its path written as in the body (`rules[0].when.contry`). */
  fields?: FieldError[];
}

export interface FieldError {
  field: string;
  message: string;
}

/** `destinations.0.weight` → `destinations[0].weight`: the path as a JSON body is read. */
export function bracketPath(path: string): string {
  return path.replace(/\.(\d+)(?=\.|\[|$)/g, '[$1]');
}

function fieldList(fields: Record<string, string[]>): FieldError[] {
  return Object.entries(fields).map(([field, messages]) => ({ field: bracketPath(field), message: messages.join('; ') }));
}

/** Maps anything thrown to the SPEC §1 error shape; fastify's own errors keep their meaning. */
export function toErrorBody(err: unknown): ErrorBody {
  if (err instanceof DomainException) {
    const statusCode = statusOf(err.code);
    return { statusCode, error: REASONS[statusCode], code: err.code, message: err.message, ...(err.fields && { fields: fieldList(err.fields) }) };
  }
  if (err instanceof HttpException) {
    const statusCode = err.getStatus();
    const code = statusCode === 404 ? 'NOT_FOUND' : statusCode === 413 ? 'PAYLOAD_TOO_LARGE' : statusCode === 405 ? 'METHOD_NOT_ALLOWED' : 'BAD_REQUEST';
    return { statusCode, error: REASONS[statusCode] ?? 'Error', code, message: err.message };
  }
  const e = err as { code?: string; statusCode?: number; message?: string };
  if (typeof e?.code === 'string' && e.code.startsWith('FST_')) {
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return { statusCode: 413, error: REASONS[413], code: 'PAYLOAD_TOO_LARGE', message: 'the body is larger than allowed' };
    if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return { statusCode: 415, error: REASONS[415], code: 'UNSUPPORTED_MEDIA_TYPE', message: e.message ?? 'unsupported content type' };
    if (e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || e instanceof SyntaxError)
      return { statusCode: 400, error: REASONS[400], code: 'INVALID_JSON', message: 'the body is not valid JSON' };
    const statusCode = e.statusCode && e.statusCode < 500 ? e.statusCode : 400;
    return { statusCode, error: REASONS[statusCode] ?? 'Bad Request', code: 'BAD_REQUEST', message: e.message ?? 'bad request' };
  }
  if (err instanceof SyntaxError || (e?.statusCode === 400 && /JSON/i.test(e.message ?? '')))
    return { statusCode: 400, error: REASONS[400], code: 'INVALID_JSON', message: 'the body is not valid JSON' };
  if (isDatabaseDown(err)) return { statusCode: 503, error: REASONS[503], code: 'DATABASE_UNAVAILABLE', message: 'the database is not reachable; try again' };
  return { statusCode: 500, error: REASONS[500], code: 'INTERNAL_ERROR', message: 'internal error' };
}

/** A connection-level failure (as opposed to a query the database refused). */
const CONNECTION_LOST =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|connection is not open|Cannot use a pool after calling end|Driver not Connected|Client has encountered a connection error/i;

export function isDatabaseDown(err: unknown): boolean {
  if (err instanceof QueryFailedError) {
    // A connection dropped mid-query reaches TypeORM as a QueryFailedError whose driver error has
    // no SQLSTATE, only pg's message ("Connection terminated unexpectedly"): that is the database
    // gone too (a 503 the sender retries), not a query it refused.
    const driver = err.driverError as { code?: string; message?: string } | undefined;
    const code = driver?.code ?? '';
    return (
      code.startsWith('08') || code === '57P01' || code === '57P03' || (!/^[0-9A-Z]{5}$/.test(code) && CONNECTION_LOST.test(driver?.message ?? err.message))
    );
  }
  const e = err as { code?: string; message?: string };
  return ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P03'].includes(e?.code ?? '') || CONNECTION_LOST.test(e?.message ?? '');
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(err: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const body = toErrorBody(err);
    if (body.statusCode >= 500 && body.code !== 'DATABASE_UNAVAILABLE' && body.code !== 'OVERLOADED') {
      const req = host.switchToHttp().getRequest<{ id?: string }>();
      this.logger.error({ msg: 'request failed', reqId: req?.id, err: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
    if (reply.sent) return;
    reply.status(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}

export { HttpStatus };
