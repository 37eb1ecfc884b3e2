import type { IntakeOutcome } from '../intake/intake.outcome';

/**
 * Calls of one batch whose new conversions were committed on their own before the rest failed:
 * `outcomes` holds, by position, the answers that stand; the others may run again.
 */
export class PartlyRecorded extends Error {
  constructor(
    readonly outcomes: ReadonlyArray<IntakeOutcome | undefined>,
    cause: unknown,
  ) {
    super(`part of a batch was recorded before the rest failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}
