import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { checkUrlForSaveAsync, saveTimeProblem, type SaveTimeProblem } from './address.guard';
import { destinationUrlProblem } from '../../common/url-template';

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

  /** As problem(), with its code: BLOCKED_ADDRESS, or UNRESOLVABLE_HOST for a name DNS says does not exist. */
  async check(template: string, syntax: 'braces' | 'dollar'): Promise<SaveTimeProblem | null> {
    const literal = syntax === 'braces' ? template : template.replace(/\$\{/g, '{');
    const shape = destinationUrlProblem(literal);
    if (shape) return { code: 'BLOCKED_ADDRESS', message: shape };
    return saveTimeProblem(literal.replace(/\{[^}]*\}/g, 'x'), this.config.outboundAllowPrivate);
  }
}
