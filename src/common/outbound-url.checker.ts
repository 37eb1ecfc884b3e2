import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { checkUrlForSaveAsync } from '../modules/outbound/address.guard';
import { destinationUrlProblem } from './url-template';

/**
 * Save-time check of a URL the tracker will call (SPEC §7): literal http(s) scheme and host,
 * no user info, and (unless OUTBOUND_ALLOW_PRIVATE) no private or loopback address.
 * `braces` templates hold `{macro}`s, `dollar` templates `${attribute}`s.
 */
@Injectable()
export class OutboundUrlChecker {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async problem(template: string, syntax: 'braces' | 'dollar'): Promise<string | null> {
    const literal = syntax === 'braces' ? template : template.replace(/\$\{/g, '{');
    const shape = destinationUrlProblem(literal);
    if (shape) return shape;
    const concrete = literal.replace(/\{[^}]*\}/g, 'x');
    return checkUrlForSaveAsync(concrete, this.config.outboundAllowPrivate);
  }
}
