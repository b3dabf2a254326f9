/**
 * How alike two names are, forgiving typos and missing words: Dice's coefficient of their letter
 * pairs, 1 for equal strings, 0 for nothing in common. Compares matching keys (a State's, a theme's
 * or a group's), so that unknown names get the closest canonical entries as suggestions.
 */
export function letterPairSimilarity(a: string, b: string): number {
  const x = letterPairs(a);
  const y = letterPairs(b);
  let shared = 0;
  let total = 0;
  for (const [pair, n] of x) {
    shared += Math.min(n, y.get(pair) ?? 0);
    total += n;
  }
  for (const n of y.values()) total += n;
  return total === 0 ? 0 : (2 * shared) / total;
}

/** The letter pairs of a key, padded with a space so that first and last letters count too. */
function letterPairs(key: string): Map<string, number> {
  const padded = ` ${key} `;
  const counts = new Map<string, number>();
  for (let i = 0; i < padded.length - 1; i += 1) {
    const pair = padded.slice(i, i + 2);
    counts.set(pair, (counts.get(pair) ?? 0) + 1);
  }
  return counts;
}
