import { isNonStateName } from '../states/state-names';
import type { StateDirectory, UnknownStateName } from '../states/state-directory';

/**
 * Maps the States of an import's rows to their canonical names, remembering each spelling it has
 * seen (a file repeats the same few hundred names tens of thousands of times) and collecting the
 * names that match no State, each once per field.
 */
export class StateNormalizer {
  private readonly underReview = new Map<string, string>();
  private readonly recommending = new Map<string, string[]>();
  private readonly unknown = new Map<string, UnknownStateName>();

  constructor(private readonly directory: StateDirectory) {}

  /** The last State under Review asked for and its name: a file lists a State's rows one after another. */
  private lastUnderReview: { value: string; name: string } | null = null;

  /** The canonical name; an unknown name is kept as written (and listed), so a dry run still counts its rows. */
  stateUnderReview(value: string): string {
    // Comparing with the last value is cheaper than hashing each row's new string for the map.
    if (this.lastUnderReview?.value === value) return this.lastUnderReview.name;
    let name = this.underReview.get(value);
    if (name === undefined) {
      const state = isNonStateName(value) ? null : this.directory.resolveName(value);
      if (!state) this.noteUnknown('stateUnderReview', value);
      name = state?.name ?? value;
      this.underReview.set(value, name);
    }
    this.lastUnderReview = { value, name };
    return name;
  }

  recommendingStates(cells: string[]): string[] {
    if (cells.length === 1) {
      let names = this.recommending.get(cells[0]);
      if (names === undefined) {
        names = this.normalize(cells);
        this.recommending.set(cells[0], names);
      }
      return names;
    }
    return this.normalize(cells);
  }

  unknownNames(): UnknownStateName[] {
    return [...this.unknown.values()];
  }

  private normalize(cells: string[]): string[] {
    const { names, unknown } = this.directory.normalizeList(cells);
    for (const value of unknown) this.noteUnknown('recommendingStates', value);
    return [...names, ...unknown];
  }

  private noteUnknown(field: string, value: string): void {
    const key = `${field}\u0000${value}`;
    if (!this.unknown.has(key)) this.unknown.set(key, { field, value, suggestions: this.directory.suggest(value) });
  }
}
