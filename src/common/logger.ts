import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

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

export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Logger) {}

  log(message: unknown, context?: string) {
    this.pino.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.pino.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.pino.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.pino.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.pino.trace({ context }, String(message));
  }
}
