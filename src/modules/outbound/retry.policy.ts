/**
 * Retry schedule for outbound deliveries (SPEC §7: exponential backoff for at least 24 hours).
 *
 * After attempt n fails, the nominal delay is d(n) = min(1 h, 5 s × 2^(n-1)):
 * 5 s, 10 s, 20 s, 40 s, 80 s, 160 s, 320 s, 640 s, 1280 s, 2560 s, then 1 h for good.
 * The actual delay is drawn uniformly from [d/2, d] ("equal jitter"): receivers that came back
 * up are not hit by a synchronised herd, and the half-delay floor lets us promise a span.
 * MAX_ATTEMPTS is the smallest count whose floors add up to 24 h (58 attempts: at least
 * ~24.2 h, at most ~48.4 h, typically ~36 h between the first and last attempt). After it,
 * nextAttemptDelayMs answers null and the message is dead.
 */
export const RETRY_BASE_MS = 5_000;
export const RETRY_CAP_MS = 60 * 60_000;
export const MIN_RETRY_SPAN_MS = 24 * 60 * 60_000;
/** A Retry-After longer than this is not honoured in full. */
export const RETRY_AFTER_CAP_MS = 6 * 60 * 60_000;

/** The delay before the next attempt, before jitter, after `attempt` attempts have failed. */
export function nominalDelayMs(attempt: number): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  return Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** exponent);
}

function attemptsForSpan(spanMs: number): number {
  let floorSum = 0;
  let attempt = 1;
  while (floorSum < spanMs) {
    floorSum += nominalDelayMs(attempt) / 2;
    attempt += 1;
  }
  return attempt;
}

/** Attempts in all, the first included. */
export const MAX_ATTEMPTS = attemptsForSpan(MIN_RETRY_SPAN_MS);

/**
 * Milliseconds to wait after the `attempt`-th attempt (1-based) failed, or null when it was the
 * last one. A receiver's Retry-After is honoured when it asks for longer, up to RETRY_AFTER_CAP_MS.
 */
export function nextAttemptDelayMs(attempt: number, random: () => number = Math.random, retryAfterMs?: number | null): number | null {
  if (attempt >= MAX_ATTEMPTS) return null;
  const nominal = nominalDelayMs(attempt);
  const jittered = Math.round(nominal / 2 + (nominal / 2) * random());
  if (retryAfterMs === null || retryAfterMs === undefined || !(retryAfterMs > jittered)) return jittered;
  return Math.min(retryAfterMs, RETRY_AFTER_CAP_MS);
}

/** Retry-After as delay-seconds or an HTTP date, in milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
