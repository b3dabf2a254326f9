import { hash } from 'node:crypto';

/** The text as the natural key sees it: white space collapsed, nothing else changed. */
export function normalizeText(text: string): string {
  // An importer's texts come already collapsed: one scan finds nothing to change. With no two
  // white-space characters in a row and none but plain spaces, only a space at either end is left,
  // and trimming is a slice; only white space inside needs a new string.
  if (!UNCOLLAPSED_INSIDE.test(text)) return text.length > 0 && (text.charCodeAt(0) === SPACE || text.charCodeAt(text.length - 1) === SPACE) ? text.trim() : text;
  return text.trim().replace(/\s+/g, ' ');
}

/** Anything normalizeText would change but a plain space at either end: two white-space characters in a row, or any but a plain space. */
const UNCOLLAPSED_INSIDE = /\s\s|[^\S ]/;
const SPACE = 32;

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
