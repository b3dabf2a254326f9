import type { ImplementationStatus } from '../src/vocabulary/recommendation.vocabulary';

/**
 * The statuses the walk moves through. Each may follow any other (src/recommendations/lifecycle.ts);
 * left out: not_assessed (never returned to) and the two implemented statuses (they need cited
 * evidence, which would make every request also an evidence upload).
 */
export const WALK: readonly ImplementationStatus[] = ['not_started', 'in_progress', 'not_implemented', 'regressed'];

/**
 * Hands out status changes that are each a valid transition: recommendations are taken in turn, and
 * each is moved to the walk's next status after the one it has. The same recommendation comes back
 * only after every other one, so with more recommendations than concurrent requests two changes of
 * one recommendation are never in flight together (which would make the second a 409).
 */
export class StatusWalk {
  private next = 0;
  private readonly ids: number[];

  /** `current`: every recommendation the walk may change, with its status now. */
  constructor(private readonly current: Map<number, ImplementationStatus>) {
    this.ids = [...current.keys()];
    if (this.ids.length === 0) throw new Error('the status walk needs recommendations');
  }

  get size(): number {
    return this.ids.length;
  }

  /** The next change: which recommendation, from what, to what. Records it as done. */
  step(): { id: number; from: ImplementationStatus; to: ImplementationStatus } {
    const id = this.ids[this.next];
    this.next = (this.next + 1) % this.ids.length;
    const from = this.current.get(id)!;
    const to = WALK[(WALK.indexOf(from) + 1) % WALK.length]; // indexOf -1 (a status outside the walk) gives WALK[0]
    this.current.set(id, to);
    return { id, from, to };
  }
}
