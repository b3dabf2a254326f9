import { letterPairSimilarity } from '../common/letter-pair-similarity';
import { isNonStateName, splitStateCell, stateMatchKey } from './state-names';

/** A State as answers name it: the UN's English short name and the ISO codes. */
export interface StateEntry {
  code: string;
  alpha2: string;
  name: string;
}

/** A name a source or a person gave that matches no State: where, what, and the likeliest States. */
export interface UnknownStateName {
  field: string;
  value: string;
  suggestions: string[];
}

/** What a list of names becomes: the canonical names in order (non-States kept as written), and the unknown ones. */
export interface NormalizedStates {
  names: string[];
  unknown: string[];
}

const SUGGESTIONS = 3;
const lettersOnly = (key: string) => key.replace(/[^a-z0-9 ]/g, '').replace(/\s+/g, ' ').trim();
const MIN_SIMILARITY = 0.35;
const MAX_RESOLVED_NAMES = 10_000;
/**
 * Longer names are resolved every time, not remembered: the shipped directory lives as long as the
 * process, and an import's cells can be 32,768 characters each. The longest State name is 52.
 */
const MAX_REMEMBERED_NAME_CHARS = 120;

/**
 * Every spelling of every State, in memory: built once per import (or per request for a filter) from
 * the `state`, `state_alias` and the coalition's `coalition_state_alias` rows, so that normalising
 * 41,000 rows is a map lookup per name, not a query.
 */
export class StateDirectory {
  private readonly byKey = new Map<string, StateEntry>();
  private readonly byCodeMap = new Map<string, StateEntry>();
  private readonly byName = new Map<string, StateEntry>();
  /** Keys without spaces, for typos that split a word ("Sierra Le one"); null where two States would share one. */
  private readonly byCompactKey = new Map<string, StateEntry | null>();
  /** Each key once with its State, for suggestions. */
  private readonly keys: { key: string; state: StateEntry }[] = [];
  /**
   * What each name asked for resolved to, by the name as given: an import asks for the same few
   * hundred names file after file, and making a key is a dozen replacements. Bounded for a stream
   * of names that never repeat.
   */
  private readonly resolved = new Map<string, StateEntry | null>();

  constructor(states: readonly { code: string; alpha2: string; nameEn: string; nameFr: string; nameEs: string }[], aliases: readonly { alias: string; stateCode: string }[]) {
    for (const s of states) {
      const entry: StateEntry = { code: s.code, alpha2: s.alpha2, name: s.nameEn };
      this.byCodeMap.set(s.code, entry);
      this.byCodeMap.set(s.alpha2, entry);
      this.byName.set(s.nameEn, entry);
      for (const name of [s.nameEn, s.nameFr, s.nameEs]) this.addKey(stateMatchKey(name), entry);
    }
    for (const a of aliases) {
      const entry = this.byCodeMap.get(a.stateCode);
      if (entry) this.addKey(stateMatchKey(a.alias), entry);
    }
  }

  /** A copy with a coalition's own aliases added (they never override a shipped spelling). */
  withAliases(aliases: readonly { alias: string; stateCode: string }[]): StateDirectory {
    const copy = Object.create(StateDirectory.prototype) as StateDirectory;
    Object.assign(copy, { byKey: new Map(this.byKey), byCompactKey: new Map(this.byCompactKey), byCodeMap: this.byCodeMap, byName: this.byName, keys: [...this.keys], resolved: new Map() });
    for (const a of aliases) {
      const entry = this.byCodeMap.get(a.stateCode);
      if (entry) copy.addKey(stateMatchKey(a.alias), entry);
    }
    return copy;
  }

  private addKey(key: string, entry: StateEntry): void {
    if (this.byKey.has(key)) return;
    this.byKey.set(key, entry);
    const compact = key.replace(/ /g, '');
    const other = this.byCompactKey.get(compact);
    this.byCompactKey.set(compact, other === undefined || other === entry ? entry : null);
    this.keys.push({ key, state: entry });
  }

  get size(): number {
    return this.byName.size;
  }

  /** The State a name (any spelling or alias) stands for, or null. */
  resolveName(name: string): StateEntry | null {
    let state = this.resolved.get(name);
    if (state === undefined) {
      const key = stateMatchKey(name);
      state = this.byKey.get(key) ?? this.byCompactKey.get(key.replace(/ /g, '')) ?? null;
      if (this.resolved.size < MAX_RESOLVED_NAMES && name.length <= MAX_REMEMBERED_NAME_CHARS) this.resolved.set(name, state);
    }
    return state;
  }

  /** A filter's value: a name or alias, or an ISO 3166 alpha-2 or alpha-3 code. */
  resolve(value: string): StateEntry | null {
    const byName = this.resolveName(value);
    if (byName) return byName;
    const code = value.trim().toUpperCase();
    return /^[A-Z]{2,3}$/.test(code) ? (this.byCodeMap.get(code) ?? null) : null;
  }

  /** The State of an ISO 3166 alpha-3 (or alpha-2) code, or null. */
  /** Every State once, by name: what a person picks a State from. */
  all(): StateEntry[] {
    return [...this.byName.values()].sort((a, b) => a.name.localeCompare(b.name, 'en'));
  }

  byCode(code: string): StateEntry | null {
    return this.byCodeMap.get(code) ?? null;
  }

  /** The State of a canonical name as stored, or null (a value kept as written before issue 12). */
  byCanonicalName(name: string): StateEntry | null {
    return this.byName.get(name) ?? null;
  }

  isKnown(name: string): boolean {
    return this.resolveName(name) !== null;
  }

  /** The closest canonical names to an unknown one, best first. */
  suggest(name: string): string[] {
    const key = lettersOnly(stateMatchKey(name));
    const best = new Map<string, number>();
    for (const candidate of this.keys) {
      const other = lettersOnly(candidate.key);
      // A known name inside the unknown one ("Republic of Cote dIvoire") is a likely match too.
      const score = Math.max(letterPairSimilarity(key, other), other.length >= 4 && key.includes(other) ? 0.6 : 0);
      if (score >= MIN_SIMILARITY && score > (best.get(candidate.state.name) ?? 0)) best.set(candidate.state.name, score);
    }
    return [...best.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, SUGGESTIONS).map(([n]) => n);
  }

  /**
   * Cells as a source gives them (one State each, or several: "Chile, Peru and Brazil") to canonical
   * names, in order, each once. Names that are no State on purpose (UPR Info's "(Unknown)") are kept
   * as written; the others that match nothing are returned as unknown.
   */
  normalizeList(cells: readonly string[]): NormalizedStates {
    const names: string[] = [];
    const unknown: string[] = [];
    for (const cell of cells) {
      for (const name of splitStateCell(cell, (n) => this.isKnown(n) || isNonStateName(n))) {
        const state = this.resolveName(name);
        const kept = state ? state.name : isNonStateName(name) ? name : null;
        if (kept === null) unknown.push(name);
        else if (!names.includes(kept)) names.push(kept);
      }
    }
    return { names, unknown };
  }
}
