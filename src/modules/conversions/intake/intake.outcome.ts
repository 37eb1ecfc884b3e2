import { DomainException } from '../../../common/domain.exception';
import { toErrorBody } from '../../../common/http-exception.filter';

export type RecordedStatus = 'accepted' | 'updated' | 'duplicate' | 'unattributed';

/** Understood and refused by the SPEC §6 rules: answered 200 so networks keep sending. */
export type RejectionCode =
  | 'INVALID_AMOUNT'
  | 'INVALID_FIELD_TYPE'
  | 'MISSING_AMOUNT'
  | 'MISSING_CURRENCY'
  | 'MISSING_CLICK_ID'
  | 'TEST_CONVERSION'
  | 'UNKNOWN_CONVERSION_TYPE'
  | 'NEGATIVE_AMOUNT'
  | 'UNKNOWN_FIELD';

/** Refused at the door: an HTTP error (SPEC §6 "HTTP errors only for"). */
export type RefusalCode = 'UNPARSABLE_BODY' | 'INVALID_TOKEN' | 'IP_NOT_ALLOWED' | 'UNKNOWN_NETWORK' | 'PAYLOAD_TOO_LARGE' | 'RATE_LIMITED';

/** What became of one conversion call. */
export type IntakeOutcome =
  | { kind: 'recorded'; status: RecordedStatus; conversionId: string }
  | { kind: 'rejected'; code: RejectionCode; message: string }
  | { kind: 'refused'; code: RefusalCode; message: string };

export type LogOutcome = RecordedStatus | 'rejected';

/** The columns of the inbound log row that say what happened. */
export interface LoggedResult {
  outcome: LogOutcome;
  code: string | null;
  reason: string | null;
  conversionId: string | null;
}

export interface HttpAnswer {
  statusCode: number;
  body: Record<string, unknown>;
}

/**
 * Refusals not to replay: a replay skips the token and address checks; a body over the limit was
 * never kept; and a rate-limited sender was told to send again (429), so it does.
 */
export const NOT_REPLAYABLE_CODES: readonly string[] = ['INVALID_TOKEN', 'IP_NOT_ALLOWED', 'PAYLOAD_TOO_LARGE', 'RATE_LIMITED'];

export function logResultOf(outcome: IntakeOutcome): LoggedResult {
  switch (outcome.kind) {
    case 'recorded':
      return { outcome: outcome.status, code: null, reason: null, conversionId: outcome.conversionId };
    case 'rejected':
    case 'refused':
      return { outcome: 'rejected', code: outcome.code, reason: outcome.message, conversionId: null };
  }
}

export function answerOf(outcome: IntakeOutcome): HttpAnswer {
  switch (outcome.kind) {
    case 'recorded':
      return { statusCode: 200, body: { status: outcome.status, conversionId: outcome.conversionId } };
    case 'rejected':
      return { statusCode: 200, body: { status: 'rejected', code: outcome.code, message: outcome.message } };
    case 'refused': {
      const body = toErrorBody(new DomainException(outcome.code, outcome.message));
      return { statusCode: body.statusCode, body: { ...body } };
    }
  }
}

/** What a replay answers: the new outcome, HTTP refusals included, as a 200 body. */
export function replayAnswerOf(outcome: IntakeOutcome): Record<string, unknown> {
  return outcome.kind === 'recorded'
    ? { status: outcome.status, conversionId: outcome.conversionId }
    : { status: 'rejected', code: outcome.code, message: outcome.message };
}

export const recorded = (status: RecordedStatus, conversionId: string): IntakeOutcome => ({ kind: 'recorded', status, conversionId });
export const rejected = (code: RejectionCode, message: string): IntakeOutcome => ({ kind: 'rejected', code, message });
export const refused = (code: RefusalCode, message: string): IntakeOutcome => ({ kind: 'refused', code, message });
