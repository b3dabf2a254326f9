import { letterPairSimilarity } from '../common/letter-pair-similarity';
import { splitCodedTheme, vocabularyKey } from './theme-names';

/** A theme as answers name it: the UHRI code and its name, shown together ("D23 Death penalty"). */
export interface ThemeEntry {
  code: string;
  name: string;
}

/** A theme, group or SDG a source or a person gave that matches nothing: where, what, and the likeliest entries. */
export interface UnknownVocabularyName {
  field: string;
  value: string;
  suggestions: string[];
}

/** What one value of a themes field stands for: UHRI codes, and the groups of persons it names. */
export interface ThemeMeaning {
  codes: string[];
  groups: string[];
}

export interface VocabularyRows {
  themes: readonly { code: string; name: string }[];
  themeAliases: readonly { alias: string; themeCodes: string; groupNames: string }[];
  groups: readonly { name: string }[];
  groupAliases: readonly { alias: string; groupName: string }[];
  sdgs: readonly { code: string; goal: number; title: string | null }[];
}

/** A coalition's own name of a theme (target: its code) or group of persons (target: its name). */
export interface CoalitionAliasRow {
  kind: 'theme' | 'group';
  alias: string;
  target: string;
}

const SUGGESTIONS = 3;
/** A target's number as written: "5.1", "Target 5.1", "SDG 5.1", "SDG target 16.a", "- 5.1 - ...". */
const TARGET_NUMBER = /^(?:-\s*)?(?:SDG\s*)?(?:target\s*)?(\d{1,2}\.(?:\d{1,2}|[a-z]))(?![\w.])/i;
const MIN_SIMILARITY = 0.35;

/** "D23 Death penalty": how answers and pages show a theme. */
export function themeLabel(theme: ThemeEntry): string {
  return `${theme.code} ${theme.name}`;
}

/**
 * Every theme, group of persons and SDG with their spellings, in memory: read once per process (the
 * lists change only by migration), so that normalising 41,000 rows is a map lookup per value.
 */
export class VocabularyDirectory {
  private readonly themesByCode = new Map<string, ThemeEntry>();
  private readonly themeKeys = new Map<string, ThemeMeaning>();
  private readonly groupKeys = new Map<string, string>();
  private readonly groupNames = new Set<string>();
  private readonly sdgByCode = new Map<string, { code: string; goal: number; title: string | null }>();
  private readonly sdgKeys = new Map<string, string>();

  constructor(private readonly rows: VocabularyRows) {
    for (const t of rows.themes) {
      const entry = { code: t.code, name: t.name };
      this.themesByCode.set(t.code, entry);
      // Two codes may share a name (UHRI's B4 and B41 "Right to development"): the first, broader one answers the name.
      this.addThemeKey(vocabularyKey(t.name), { codes: [t.code], groups: [] });
      this.addThemeKey(vocabularyKey(themeLabel(entry)), { codes: [t.code], groups: [] });
    }
    for (const g of rows.groups) {
      this.groupNames.add(g.name);
      this.groupKeys.set(vocabularyKey(g.name), g.name);
    }
    for (const a of rows.groupAliases) if (!this.groupKeys.has(vocabularyKey(a.alias))) this.groupKeys.set(vocabularyKey(a.alias), a.groupName);
    for (const a of rows.themeAliases) {
      const codes = a.themeCodes.split(' ').filter((c) => this.themesByCode.has(c));
      const groups = a.groupNames.split('|').filter((g) => this.groupNames.has(g));
      // An alias that is a theme's own name adds its groups to the theme ("Migrants": G4 and the group).
      const key = vocabularyKey(a.alias);
      const existing = this.themeKeys.get(key);
      this.themeKeys.set(key, existing ? { codes: existing.codes, groups: [...new Set([...existing.groups, ...groups])] } : { codes, groups });
    }
    for (const s of rows.sdgs) {
      this.sdgByCode.set(s.code, s);
      this.sdgKeys.set(vocabularyKey(s.code), s.code);
      if (s.title) {
        this.sdgKeys.set(vocabularyKey(s.title), s.code);
        this.sdgKeys.set(vocabularyKey(`${s.code} - ${s.title}`), s.code);
      }
    }
  }

  /**
   * This directory with a coalition's own names added: a theme's (its code) or a group's (its name).
   * Added after the shipped names, so a coalition's alias never changes what a shipped name means.
   */
  withCoalitionAliases(own: readonly CoalitionAliasRow[]): VocabularyDirectory {
    const directory = new VocabularyDirectory(this.rows);
    for (const a of own) {
      const key = vocabularyKey(a.alias);
      if (a.kind === 'theme' && directory.themesByCode.has(a.target)) directory.addThemeKey(key, { codes: [a.target], groups: [] });
      if (a.kind === 'group' && directory.groupNames.has(a.target) && !directory.groupKeys.has(key)) directory.groupKeys.set(key, a.target);
    }
    return directory;
  }

  private addThemeKey(key: string, meaning: ThemeMeaning): void {
    if (!this.themeKeys.has(key)) this.themeKeys.set(key, meaning);
  }

  /** Every theme, by code (the alias page's choice of theme). */
  allThemes(): ThemeEntry[] {
    return [...this.themesByCode.values()];
  }

  /** Every group of persons, by name. */
  allGroups(): string[] {
    return [...this.groupNames].sort((a, b) => a.localeCompare(b));
  }

  theme(code: string): ThemeEntry | null {
    return this.themesByCode.get(code) ?? null;
  }

  /** The SDG of a stored value ("5", "5.1"), or null. */
  sdg(code: string): { code: string; goal: number; title: string | null } | null {
    return this.sdgByCode.get(code) ?? null;
  }

  /**
   * What a theme value stands for, or null when nothing: a name or alias ("Death penalty", UPR
   * Info's "Women's rights"), a code ("D23"), or a code and a name ("D23 Death penalty"). When the
   * name of a coded value names another theme, the name wins: OHCHR's lists have put a name under a
   * neighbour's code ("D8 Rights related to name, identity, nationality" is D6); a known code with a
   * name nobody listed keeps the code. A group's name alone is a group without a theme.
   */
  resolveTheme(value: string): ThemeMeaning | null {
    const key = vocabularyKey(value);
    const named = this.themeKeys.get(key);
    if (named) return { codes: [...named.codes], groups: [...named.groups, ...this.groupsNamedBy(key, named.groups)] };
    const coded = splitCodedTheme(value);
    if (coded) {
      const byName = this.themeKeys.get(vocabularyKey(coded.name));
      // A broader theme's name under a code beneath it ("D51 Administration of justice") keeps the code.
      const beneath = this.themesByCode.has(coded.code) && byName?.codes.some((code) => coded.code.startsWith(code));
      if (byName && byName.codes.length > 0 && !beneath) return { codes: [...byName.codes], groups: [...byName.groups] };
      if (this.themesByCode.has(coded.code)) return { codes: [coded.code], groups: [] };
    }
    const code = value.trim().replace(/^-\s*/, '').toUpperCase();
    if (this.themesByCode.has(code)) return { codes: [code], groups: [] };
    const group = this.groupKeys.get(key);
    return group ? { codes: [], groups: [group] } : null;
  }

  private groupsNamedBy(key: string, already: string[]): string[] {
    const group = this.groupKeys.get(key);
    return group && !already.includes(group) ? [group] : [];
  }

  /** The canonical group of a name or alias ("- women", "LGBTI"), or null. */
  resolveGroup(value: string): string | null {
    return this.groupKeys.get(vocabularyKey(value)) ?? null;
  }

  /** The SDG a filter's value names: "5", "SDG 5", "Goal 5", "Gender equality", "5.1", "Target 5.1"; null when none. */
  resolveSdg(value: string): string | null {
    // "S16" is OHCHR's SDG theme code; an S that starts a word is not stripped ("Sustainable cities and communities").
    const trimmed = value.trim().replace(/^(?:-\s*)?(?:(?:SDG|Goal)\s*|S(?=\d))?(?:target\s*)?/i, '');
    const number = /^(\d{1,2}(?:\.(?:\d{1,2}|[a-z]))?)\b/i.exec(trimmed)?.[1]?.toLowerCase();
    if (number && this.sdgByCode.has(number)) return number;
    return this.sdgKeys.get(vocabularyKey(trimmed)) ?? null;
  }

  /**
   * The SDG target a value names, as stored ("5.1", "16.a"): "5.1", "Target 5.1", "SDG 5.1", "SDG
   * target 5.1", "- 16.a - Strengthen ..." (the number decides; a text after it is not checked);
   * null for a goal, or a number that is no target of A/RES/70/1 ("5.9", "18.1").
   */
  resolveSdgTarget(value: string): string | null {
    const number = TARGET_NUMBER.exec(value.trim())?.[1]?.toLowerCase();
    return number && this.sdgByCode.has(number) ? number : null;
  }

  /** A target's text in A/RES/70/1 (or a goal's short name); null when unknown. */
  sdgTitle(code: string): string | null {
    return this.sdgByCode.get(code)?.title ?? null;
  }

  /**
   * The likeliest targets meant by an unknown one: those of the same goal whose number is nearest
   * ("5.9": 5.6, 5.5, 5.4), or, for a goal that does not exist, the targets whose number is written alike.
   */
  suggestSdgTargets(value: string): string[] {
    const match = /(\d{1,2})\.([0-9a-z]{1,2})/i.exec(value);
    if (!match) return [];
    const goal = Number(match[1]);
    const targets = [...this.sdgByCode.values()].filter((s) => s.code.includes('.'));
    const ofGoal = targets.filter((s) => s.goal === goal);
    if (ofGoal.length === 0) return this.suggest(vocabularyKey(`${match[1]}.${match[2]}`), targets.map((s) => ({ key: s.code, label: s.code })));
    // Numbered targets by distance; a lettered means of implementation by letter distance, after them.
    const rank = (part: string) => (/^\d+$/.test(part) ? Number(part) : 100 + part.charCodeAt(0));
    const wanted = rank(match[2].toLowerCase());
    return ofGoal
      .map((s) => ({ code: s.code, distance: Math.abs(rank(s.code.split('.')[1]) - wanted) }))
      .sort((a, b) => a.distance - b.distance || a.code.localeCompare(b.code, 'en', { numeric: true }))
      .slice(0, SUGGESTIONS)
      .map((s) => s.code);
  }

  /** Every stored SDG value a filter matches: a goal and its targets ("5": "5", "5.1" … "5.c"), or one target. */
  sdgFilterCodes(value: string): string[] | null {
    const code = this.resolveSdg(value);
    if (!code) return null;
    return code.includes('.') ? [code] : [...this.sdgByCode.keys()].filter((other) => other === code || other.startsWith(`${code}.`));
  }

  /** Every code a theme filter matches: the codes a value stands for and those beneath them (D2: D21 … D29). */
  themeFilterCodes(value: string): string[] | null {
    const meaning = this.resolveTheme(value);
    if (!meaning || meaning.codes.length === 0) return null;
    const codes = new Set<string>();
    for (const code of meaning.codes) for (const other of this.themesByCode.keys()) if (other.startsWith(code)) codes.add(other);
    return [...codes].sort();
  }

  /** The closest canonical themes to an unknown value ("D23 Death penalty"), best first. */
  suggestThemes(value: string): string[] {
    return this.suggest(vocabularyKey(splitCodedTheme(value)?.name ?? value), [...this.themesByCode.values()].map((t) => ({ key: vocabularyKey(t.name), label: themeLabel(t) })));
  }

  suggestGroups(value: string): string[] {
    return this.suggest(vocabularyKey(value), [...this.groupNames].map((name) => ({ key: vocabularyKey(name), label: name })));
  }

  private suggest(key: string, candidates: { key: string; label: string }[]): string[] {
    const best = new Map<string, number>();
    for (const candidate of candidates) {
      // A known name inside the unknown one, or the unknown one inside a known name ("torture"), is a likely match too.
      const contained = (candidate.key.length >= 5 && key.includes(candidate.key)) || (key.length >= 5 && candidate.key.includes(key));
      const score = Math.max(letterPairSimilarity(key, candidate.key), contained ? 0.6 : 0);
      if (score >= MIN_SIMILARITY && score > (best.get(candidate.label) ?? 0)) best.set(candidate.label, score);
    }
    return [...best.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, SUGGESTIONS).map(([label]) => label);
  }
}
