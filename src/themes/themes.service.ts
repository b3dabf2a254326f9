import { BadRequestException, HttpStatus, Injectable } from '@nestjs/common';
import { type UnknownVocabularyName, VocabularyDirectory } from './theme-directory';
import { ThemesRepository } from './themes.repository';

/** What a recommendation's themes, groups and SDGs become once canonical (the stored tag values). */
export interface CanonicalTags {
  themes: string[];
  affectedPersons: string[];
}

/**
 * The canonical themes, groups of persons and SDGs: what every write maps a value to, and what the
 * filters accept. The lists change only by migration, so they are read once per process.
 */
@Injectable()
export class ThemesService {
  private directory: Promise<VocabularyDirectory> | null = null;

  constructor(private readonly themes: ThemesRepository) {}

  vocabularies(): Promise<VocabularyDirectory> {
    this.directory ??= this.themes.listVocabularies().then((rows) => new VocabularyDirectory(rows));
    // A failed read is not cached: the next call tries again.
    this.directory.catch(() => (this.directory = null));
    return this.directory;
  }

  /**
   * The stored values of what a person sent (API, pages): theme codes, and group names (the groups
   * sent plus those a theme names, e.g. "Women's rights"), or a 400 naming every unknown value with
   * the closest entries: an unknown theme or group is never stored.
   */
  async requireTags(themes: readonly string[] | undefined, affectedPersons: readonly string[] | undefined): Promise<Partial<CanonicalTags>> {
    const directory = await this.vocabularies();
    const unknown: UnknownVocabularyName[] = [];
    const codes: string[] = [];
    // The groups sent, in their order, then those the themes name.
    const groups: string[] = [];
    const themeGroups: string[] = [];
    for (const value of themes ?? []) {
      const meaning = directory.resolveTheme(value);
      if (!meaning) unknown.push({ field: 'themes', value, suggestions: directory.suggestThemes(value) });
      else {
        codes.push(...meaning.codes);
        themeGroups.push(...meaning.groups);
      }
    }
    for (const value of affectedPersons ?? []) {
      const group = directory.resolveGroup(value);
      if (!group) unknown.push({ field: 'affectedPersons', value, suggestions: directory.suggestGroups(value) });
      else groups.push(group);
    }
    groups.push(...themeGroups);
    if (unknown.length > 0) throw unknownVocabulary(unknown);
    const result: Partial<CanonicalTags> = {};
    if (themes !== undefined) result.themes = [...new Set(codes)];
    // Groups named by themes join the groups sent; without groups sent (a PATCH of themes), the groups stay.
    if (affectedPersons !== undefined) result.affectedPersons = [...new Set(groups)];
    return result;
  }
}

/** 400: the themes or groups that match nothing, each with its closest entries. */
export function unknownVocabulary(unknown: UnknownVocabularyName[]): BadRequestException {
  const list = unknown.map((u) => `${u.field} "${u.value}"${u.suggestions.length > 0 ? ` (did you mean ${u.suggestions.join(', ')}?)` : ''}`).join('; ');
  return new BadRequestException({
    statusCode: HttpStatus.BAD_REQUEST,
    error: 'Bad Request',
    message: `not a UHRI theme or group of persons: ${list}. Use a UHRI code ("D23"), a theme's or group's name, or a known alias (README, "Vocabularies")`,
    details: unknown.map((u) => ({ field: u.field, value: u.value, problem: 'not a UHRI theme or group of persons, nor an alias of one', suggestions: u.suggestions })),
  });
}
