/**
 * A coded error thrown by services (STYLE: never HttpException below the controller). The one
 * exception filter maps each code to its HTTP status.
 */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'INVALID_JSON'
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RATE_LIMITED'
  | 'DATABASE_UNAVAILABLE'
  | 'OVERLOADED'
  | 'INTERNAL_ERROR'
  // conversions in (SPEC §6)
  | 'INVALID_TOKEN'
  | 'IP_NOT_ALLOWED'
  | 'UNKNOWN_NETWORK'
  | 'UNPARSABLE_BODY'
  | 'NOT_REPLAYABLE'
  // conversions by hand: a status a conversion cannot go back to
  | 'INVALID_TRANSITION'
  // outbound (SPEC §7)
  | 'BLOCKED_ADDRESS'
  | 'UNKNOWN_ATTRIBUTE'
  | 'INVALID_TEMPLATE'
  | 'UNRESOLVABLE_HOST'
  // management: `template` on create names no template
  | 'UNKNOWN_TEMPLATE'
  // subscriptions: a Tradedoubler filter that has no equivalent here
  | 'UNSUPPORTED_FILTER';

export class DomainException extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Per-field problems for VALIDATION_FAILED: `{field: [messages]}`. */
    readonly fields?: Record<string, string[]>,
  ) {
    super(message);
  }

  static notFound(what: string, id: string): DomainException {
    return new DomainException('NOT_FOUND', `${what} '${id}' does not exist`);
  }

  static invalid(fields: Record<string, string[]>): DomainException {
    const names = Object.keys(fields);
    const message = names.map((f) => `${f}: ${fields[f].join('; ')}`).join('. ');
    return new DomainException('VALIDATION_FAILED', message || 'invalid input', fields);
  }

  static field(field: string, problem: string): DomainException {
    return DomainException.invalid({ [field]: [problem] });
  }
}
