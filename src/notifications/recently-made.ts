/**
 * Values made lately, by the exact inputs they were made from (the key): `limit` entries at most,
 * the one made longest ago dropped first. For what many emails of one batch share (see EmailComposer).
 */
export class RecentlyMade<T> {
  private readonly values = new Map<string, T>();

  constructor(private readonly limit: number) {}

  get(key: string, make: () => T): T {
    const kept = this.values.get(key);
    if (kept !== undefined) return kept;
    const value = make();
    this.values.set(key, value);
    // A Map keeps insertion order: the first key is the oldest made.
    if (this.values.size > this.limit) this.values.delete(this.values.keys().next().value!);
    return value;
  }
}
