import type { ImportedRecommendation } from './import-record';
import type { ThemeMeaning, UnknownVocabularyName, VocabularyDirectory } from '../themes/theme-directory';

/**
 * Maps the themes, groups of persons and SDG targets of an import's rows to what is stored (UHRI theme codes,
 * group names, target numbers "5.1"), remembering each value it has seen (UPR Info repeats 54 issues 41,000 times) and
 * collecting the values that match nothing, each once per field. A theme that names people (UPR
 * Info's "Women's rights", "Rights of the Child") adds their group too.
 */
export class ThemeNormalizer {
  private readonly themes = new Map<string, ThemeMeaning | null>();
  private readonly groups = new Map<string, string | null>();
  private readonly targets = new Map<string, string | null>();
  private readonly unknown = new Map<string, UnknownVocabularyName>();
  /**
   * What a row with themes only (no groups, no SDG targets) becomes, by its list of themes: UPR Info's
   * 41,066 rows have 3,120 different lists. The rows of one list share the arrays, as the rows of one
   * recommending State share StateNormalizer's: nothing after the import's normalising changes an array in place.
   */
  private readonly themesOnly = new Map<string, ThemesOnly>();
  /**
   * The same by the given array itself: a parser gives the rows of one cell one array (UprInfoCsvParser
   * does), and finding an array by identity costs neither the joined key nor its hashing.
   */
  private readonly themesOnlyByArray = new Map<string[], ThemesOnly>();

  constructor(private readonly directory: VocabularyDirectory) {}

  /** Rewrites the record's themes and groups; an unknown value is kept as written (and listed), so a dry run still counts its rows. */
  normalize(record: ImportedRecommendation): void {
    if (record.affectedPersons.length === 0 && !record.sdgTargets) {
      const given = record.themes;
      const same = this.themesOnlyByArray.get(given);
      if (same) {
        record.themes = same.themes;
        record.affectedPersons = same.affectedPersons;
        return;
      }
      const key = given.join('\u0000');
      const normalized = this.themesOnly.get(key);
      // Compared value by value: a value holding the separator could make another list's key.
      if (normalized && sameValues(normalized.given, given)) {
        record.themes = normalized.themes;
        record.affectedPersons = normalized.affectedPersons;
        this.rememberArray(given, normalized);
        return;
      }
      this.normalizeAll(record);
      const made = { given, themes: record.themes, affectedPersons: record.affectedPersons };
      if (!normalized) this.themesOnly.set(key, made);
      this.rememberArray(given, made);
      return;
    }
    this.normalizeAll(record);
  }

  /** Arrays remembered: as many as a file has lists of themes, within a bound for a file whose every row has its own. */
  private rememberArray(given: string[], normalized: ThemesOnly): void {
    if (this.themesOnlyByArray.size < MAX_REMEMBERED_ARRAYS) this.themesOnlyByArray.set(given, normalized);
  }

  private normalizeAll(record: ImportedRecommendation): void {
    const codes: string[] = [];
    const themeGroups: string[] = [];
    for (const value of record.themes) {
      const meaning = this.theme(value);
      if (meaning) {
        codes.push(...meaning.codes);
        themeGroups.push(...meaning.groups);
      } else codes.push(value);
    }
    // The row's groups in their order, then those its themes name.
    const groups = record.affectedPersons.map((value) => this.group(value) ?? value);
    record.themes = [...new Set(codes)];
    record.affectedPersons = [...new Set([...groups, ...themeGroups])];
    if (record.sdgTargets) record.sdgTargets = [...new Set(record.sdgTargets.map((value) => this.target(value) ?? value))];
  }

  unknownNames(): UnknownVocabularyName[] {
    return [...this.unknown.values()];
  }

  private theme(value: string): ThemeMeaning | null {
    let meaning = this.themes.get(value);
    if (meaning === undefined) {
      meaning = this.directory.resolveTheme(value);
      if (!meaning) this.unknown.set(`themes\u0000${value}`, { field: 'themes', value, suggestions: this.directory.suggestThemes(value) });
      this.themes.set(value, meaning);
    }
    return meaning;
  }

  private target(value: string): string | null {
    let target = this.targets.get(value);
    if (target === undefined) {
      target = this.directory.resolveSdgTarget(value);
      if (!target) this.unknown.set(`sdgTargets\u0000${value}`, { field: 'sdgTargets', value, suggestions: this.directory.suggestSdgTargets(value) });
      this.targets.set(value, target);
    }
    return target;
  }

  private group(value: string): string | null {
    let group = this.groups.get(value);
    if (group === undefined) {
      group = this.directory.resolveGroup(value);
      if (!group) this.unknown.set(`affectedPersons\u0000${value}`, { field: 'affectedPersons', value, suggestions: this.directory.suggestGroups(value) });
      this.groups.set(value, group);
    }
    return group;
  }
}

type ThemesOnly = { given: string[]; themes: string[]; affectedPersons: string[] };

const MAX_REMEMBERED_ARRAYS = 10_000;

function sameValues(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}
