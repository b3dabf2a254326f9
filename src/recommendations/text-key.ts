import { hash } from 'node:crypto';

/** The text as the natural key sees it: white space collapsed, nothing else changed. */
export function normalizeText(text: string): string {
  // An importer's texts come already collapsed: testing is a scan, replacing a new string per text.
  if (!UNCOLLAPSED.test(text)) return text;
  // Trimming is a slice; only white space inside needs a new string.
  const trimmed = text.trim();
  return UNCOLLAPSED_INSIDE.test(trimmed) ? trimmed.replace(/\s+/g, ' ') : trimmed;
}

/** Anything normalizeText would change: white space at either end, two in a row, or any but a plain space. */
const UNCOLLAPSED = /^\s|\s$|\s\s|[^\S ]/;
/** What is left to collapse once the ends are trimmed. */
const UNCOLLAPSED_INSIDE = /\s\s|[^\S ]/;

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
