import { createHash } from 'node:crypto';

/** The text as the natural key sees it: white space collapsed, nothing else changed. */
export function normalizeText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * A short fixed-size stand-in for the normalised text, indexed with the cycle: recommendations
 * without a paragraph are matched on it, so re-importing a file finds what it created before.
 */
export function textKey(text: string): string {
  return createHash('sha256').update(normalizeText(text)).digest('hex').slice(0, 40);
}
