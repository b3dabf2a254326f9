/**
 * Values made lately, by the exact inputs they were made from (the key): `limit` keys at most,
 * the one made longest ago dropped first. For what many emails of one batch share (see EmailComposer).
 *
 * A value can also depend on a short `variant` besides the key (the language, the zone): kept
 * under the key, so that a long key (a notice's stored text, as read from the database) is looked
 * up as it is, not copied into a joined key for every notice of every email.
 */
export class RecentlyMade<T> {
  private readonly values = new Map<string, Map<string, T>>();

  constructor(private readonly limit: number) {}

  get(key: string, make: () => T, variant = ''): T {
    let variants = this.values.get(key);
    const kept = variants?.get(variant);
    if (kept !== undefined) return kept;
    const value = make();
    if (!variants) {
      this.values.set(key, (variants = new Map()));
      // A Map keeps insertion order: the first key is the oldest made.
      if (this.values.size > this.limit) this.values.delete(this.values.keys().next().value!);
    }
    variants.set(variant, value);
    return value;
  }
}
