/** First retry after 30 s, doubling up to an hour between tries. */
const BASE_DELAY_MS = 30_000;
const MAX_DELAY_MS = 60 * 60_000;

/**
 * Exponential backoff with "full jitter" (a random delay between half and all of the exponential
 * step), so instances that failed together do not retry together.
 */
export function nextRetryDelayMs(attempt: number, random: () => number = Math.random): number {
  const step = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/** SMTP 5xx is permanent for that address; 4xx, timeouts and network errors are worth retrying. */
export function isPermanentSmtpFailure(error: { responseCode?: number; code?: string }): boolean {
  return typeof error.responseCode === 'number' && error.responseCode >= 500 && error.responseCode < 600;
}
