import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';

/**
 * JSON lines on standard output (SPEC §9). Secrets never reach it: request logs carry the
 * route, not the query, and nothing logs headers.
 */
export function createPino(level: string): Logger {
  return pino({
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: ['token', 'api_key', 'key', 'authorization', 'secret', '*.token', '*.secret', '*.key'],
  });
}

/** Nest's start-up chatter (one line per module and per route): useful when debugging only. */
const CHATTY_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);

/**
 * Nest's logger on pino. A message may be an object, which becomes the line's fields:
 * `this.logger.warn({ msg: 'outbox claim failed', err: e.message })`, never interpolated text.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Logger) {}

  log(message: unknown, context?: string) {
    this.write(CHATTY_CONTEXTS.has(context ?? '') ? 'debug' : 'info', message, { context });
  }
  error(message: unknown, trace?: unknown, context?: string) {
    this.write('error', message, typeof trace === 'string' ? { context, trace } : { context });
  }
  warn(message: unknown, context?: string) {
    this.write('warn', message, { context });
  }
  debug(message: unknown, context?: string) {
    this.write('debug', message, { context });
  }
  verbose(message: unknown, context?: string) {
    this.write('trace', message, { context });
  }

  private write(level: 'error' | 'warn' | 'info' | 'debug' | 'trace', message: unknown, fields: Record<string, unknown>): void {
    if (!this.pino.isLevelEnabled(level)) return;
    if (message !== null && typeof message === 'object' && !(message instanceof Error)) {
      const { msg, ...rest } = message as Record<string, unknown>;
      this.pino[level]({ ...fields, ...rest }, typeof msg === 'string' ? msg : '');
    } else if (message instanceof Error) {
      this.pino[level]({ ...fields, err: message }, message.message);
    } else {
      this.pino[level](fields, String(message));
    }
  }
}
