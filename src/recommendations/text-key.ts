import { hash } from 'node:crypto';

/** The text as the natural key sees it: white space collapsed, nothing else changed. */
export function normalizeText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * A short fixed-size stand-in for the normalised text, indexed with the cycle: recommendations
 * without a paragraph are matched on it, so re-importing a file finds what it created before.
 */
export function textKey(text: string): string {
  return hashNormalizedText(normalizeText(text));
}

/** textKey of a text already normalised: the import normalises each text once. */
export function hashNormalizedText(normalized: string): string {
  // One-shot crypto.hash (Node 20.12+; engines asks for 20.19): no Hash object per text.
  return hash('sha256', normalized, 'hex').slice(0, 40);
}
