/**
 * How a theme's or a group's name is compared, whoever wrote it: OHCHR, UHRI, UPR Info and people
 * write the same theme with "&" or "and", curly or straight apostrophes, in capitals or not, with
 * UHRI's list dash ("- women") and spaces around a slash ("minorities/ racial"). Two spellings with
 * the same key are the same name. The key is only for matching; what is stored is the canonical
 * code (themes), name (groups) or number (SDGs).
 */
export function vocabularyKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2018\u2019\u201a\u201b\u2032\u00b4\u0060\u02bc\u02b9]/g, "'")
    .replace(/[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]/g, '-')
    .replace(/&/g, ' and ')
    .toLowerCase()
    .replace(/\s*\/\s*/g, '/')
    .replace(/\s*\(\s*/g, ' (')
    .replace(/\s*\)/g, ')')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^-\s*/, '')
    .replace(/[.;,:]+$/, '')
    .trim();
}

/** "D23 Death penalty" (OHCHR matrices, UHRI exports): the code and the name; null for a name alone. */
export function splitCodedTheme(value: string): { code: string; name: string } | null {
  const match = /^(?:-\s*)?([A-H]\d{1,2})\s+(.+)$/.exec(value.trim());
  return match ? { code: match[1], name: match[2] } : null;
}

/** Letter pairs of a key, for a similarity that forgives typos and missing words. */
function bigrams(key: string): Map<string, number> {
  const padded = ` ${key} `;
  const counts = new Map<string, number>();
  for (let i = 0; i < padded.length - 1; i += 1) {
    const pair = padded.slice(i, i + 2);
    counts.set(pair, (counts.get(pair) ?? 0) + 1);
  }
  return counts;
}

/** Dice's coefficient of two keys' letter pairs: 1 for equal keys, 0 for nothing in common. */
export function keySimilarity(a: string, b: string): number {
  const x = bigrams(a);
  const y = bigrams(b);
  let shared = 0;
  let total = 0;
  for (const [pair, n] of x) {
    shared += Math.min(n, y.get(pair) ?? 0);
    total += n;
  }
  for (const n of y.values()) total += n;
  return total === 0 ? 0 : (2 * shared) / total;
}
