import { BadRequestException, HttpStatus, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditLog, type AuditRecord } from '../audit/audit-log';
import { Clock } from '../common/clock';
import { conflict, notFound } from '../common/errors';
import { type PageQuery, pageWindow } from '../common/pagination';
import { themeLabel, type UnknownVocabularyName, VocabularyDirectory } from './theme-directory';
import type { CoalitionVocabularyAlias, CoalitionVocabularyKind } from './theme.entity';
import { CreateVocabularyAliasDto, mapVocabularyAlias, VocabularyAliasList, VocabularyAliasResponse } from './themes.dto';
import { ThemesRepository } from './themes.repository';

/** What a recommendation's themes, groups and SDGs become once canonical (the stored tag values). */
export interface CanonicalTags {
  themes: string[];
  affectedPersons: string[];
  /** "5.1", "16.a", in the order sent. */
  sdgTargets: string[];
}

/**
 * The canonical themes, groups of persons and SDGs: what every write maps a value to, and what the
 * filters accept. The lists change only by migration, so they are read once per process.
 */
@Injectable()
export class ThemesService {
  private directory: Promise<VocabularyDirectory> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly themes: ThemesRepository,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  /** The shipped lists: enough to name a stored (canonical) theme, group or SDG. */
  vocabularies(): Promise<VocabularyDirectory> {
    this.directory ??= this.themes.listVocabularies().then((rows) => new VocabularyDirectory(rows));
    // A failed read is not cached: the next call tries again.
    this.directory.catch(() => (this.directory = null));
    return this.directory;
  }

  /** Every name the coalition's writes, imports and filters accept: the shipped ones, then its own aliases. */
  async directoryFor(coalitionId: number): Promise<VocabularyDirectory> {
    const [shipped, own] = await Promise.all([this.vocabularies(), this.themes.listCoalitionAliases(coalitionId)]);
    return own.length > 0 ? shipped.withCoalitionAliases(own) : shipped;
  }

  /**
   * The stored values of what a person sent (API, pages): theme codes, and group names (the groups
   * sent plus those a theme names, e.g. "Women's rights"), or a 400 naming every unknown value with
   * the closest entries: an unknown theme or group is never stored.
   */
  async requireTags(
    coalitionId: number, themes: readonly string[] | undefined, affectedPersons: readonly string[] | undefined, sdgTargets?: readonly string[],
  ): Promise<Partial<CanonicalTags>> {
    const directory = await this.directoryFor(coalitionId);
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
    const targets: string[] = [];
    for (const value of sdgTargets ?? []) {
      const target = directory.resolveSdgTarget(value);
      if (!target) unknown.push({ field: 'sdgTargets', value, suggestions: directory.suggestSdgTargets(value) });
      else targets.push(target);
    }
    groups.push(...themeGroups);
    if (unknown.length > 0) throw unknownVocabulary(unknown);
    const result: Partial<CanonicalTags> = {};
    if (themes !== undefined) result.themes = [...new Set(codes)];
    // Groups named by themes join the groups sent; without groups sent (a PATCH of themes), the groups stay.
    if (affectedPersons !== undefined) result.affectedPersons = [...new Set(groups)];
    if (sdgTargets !== undefined) result.sdgTargets = [...new Set(targets)];
    return result;
  }

  /** A page of the coalition's theme and group aliases (a handful: paged in memory); all of them without `query` (the CLI). */
  async listAliases(coalitionId: number, query?: PageQuery): Promise<VocabularyAliasList> {
    const [directory, rows] = await Promise.all([this.vocabularies(), this.themes.listCoalitionAliases(coalitionId)]);
    const all = rows.map((row) => mapVocabularyAlias(row, labelOf(directory, row.kind, row.target)));
    if (!query) return { items: all, total: all.length, page: 1, pageSize: Math.max(all.length, 1) };
    const { skip, take } = pageWindow(query);
    return { items: all.slice(skip, skip + take), total: all.length, page: query.page, pageSize: query.pageSize };
  }

  /**
   * Adds a name of a theme or a group of persons for the coalition's files. Refused when the name
   * already means something (a shipped name or alias, or one of the coalition's own): it would make a
   * name mean two things. `actor` is null for the command line; the audit trail records either.
   */
  async addAlias(coalitionId: number, dto: CreateVocabularyAliasDto, actor: AuditRecord['actor']): Promise<VocabularyAliasResponse> {
    if ((dto.theme === undefined) === (dto.group === undefined)) {
      throw badRequest('theme', 'give either theme (a UHRI code or name) or group (a group of persons), not both and not neither');
    }
    return this.dataSource.transaction(async (manager) => {
      const directory = (await this.vocabularies()).withCoalitionAliases(await this.themes.listCoalitionAliases(coalitionId, manager));
      const kind: CoalitionVocabularyKind = dto.theme !== undefined ? 'theme' : 'group';
      const target = kind === 'theme' ? themeCodeOf(directory, dto.theme!) : directory.resolveGroup(dto.group!);
      if (!target) {
        const value = (dto.theme ?? dto.group)!;
        const suggestions = kind === 'theme' ? directory.suggestThemes(value) : directory.suggestGroups(value);
        throw badRequest(kind, `"${value}" is not a UHRI ${kind === 'theme' ? 'theme' : 'group of persons'}${suggestions.length > 0 ? `; did you mean ${suggestions.join(', ')}?` : ''}`, suggestions);
      }
      const existing = describeMeaning(directory, dto.alias);
      if (existing) throw conflict(`alias: "${dto.alias}" already names ${existing}`, { field: 'alias', value: dto.alias, names: existing });
      const row = await this.themes.insertCoalitionAlias({ coalitionId, kind, alias: dto.alias, target, createdAt: this.clock.now() }, manager);
      const label = labelOf(directory, kind, target);
      await this.audit.record({
        coalitionId, actor, entity: 'vocabulary_alias', entityId: row.id, action: 'added', at: row.createdAt, after: { kind, alias: row.alias, target, label },
      }, manager);
      return mapVocabularyAlias(row, label);
    });
  }

  async removeAlias(coalitionId: number, id: number, actor: AuditRecord['actor']): Promise<void> {
    const directory = await this.vocabularies();
    await this.dataSource.transaction(async (manager) => {
      const row: CoalitionVocabularyAlias | null = await this.themes.findCoalitionAlias(coalitionId, id, manager);
      if (!row || !(await this.themes.deleteCoalitionAlias(coalitionId, id, manager))) throw notFound('Theme or group alias', id);
      await this.audit.record({
        coalitionId, actor, entity: 'vocabulary_alias', entityId: id, action: 'removed', at: this.clock.now(),
        before: { kind: row.kind, alias: row.alias, target: row.target, label: labelOf(directory, row.kind, row.target) },
      }, manager);
    });
  }
}

/** A theme's code from its code ("d23") or a name that stands for exactly one theme; null otherwise. */
function themeCodeOf(directory: VocabularyDirectory, value: string): string | null {
  const byCode = directory.theme(value.trim().toUpperCase());
  if (byCode) return byCode.code;
  const meaning = directory.resolveTheme(value);
  return meaning && meaning.codes.length === 1 ? meaning.codes[0] : null;
}

/** What a name already stands for ("theme D23 Death penalty", "group Women"), or null. */
function describeMeaning(directory: VocabularyDirectory, name: string): string | null {
  const meaning = directory.resolveTheme(name);
  if (meaning && meaning.codes.length > 0) return `theme ${meaning.codes.map((code) => labelOf(directory, 'theme', code)).join(', ')}`;
  const group = directory.resolveGroup(name) ?? meaning?.groups[0];
  if (group) return `group ${group}`;
  // A shipped name that stands for no theme (UPR Info's "Other") is taken too.
  return meaning ? 'a shipped name with no UHRI theme' : null;
}

function labelOf(directory: VocabularyDirectory, kind: CoalitionVocabularyKind, target: string): string {
  const theme = kind === 'theme' ? directory.theme(target) : null;
  return theme ? themeLabel(theme) : target;
}

function badRequest(field: string, problem: string, suggestions?: string[]): BadRequestException {
  return new BadRequestException({
    statusCode: HttpStatus.BAD_REQUEST, error: 'Bad Request', message: `${field}: ${problem}`, details: [{ field, problem, ...(suggestions ? { suggestions } : {}) }],
  });
}

/** 400: the themes, groups or SDG targets that match nothing, each with its closest entries. */
export function unknownVocabulary(unknown: UnknownVocabularyName[]): BadRequestException {
  const list = unknown.map((u) => `${u.field} "${u.value}"${u.suggestions.length > 0 ? ` (did you mean ${u.suggestions.join(', ')}?)` : ''}`).join('; ');
  const targetsOnly = unknown.every((u) => u.field === 'sdgTargets');
  const vocabulary = unknown.some((u) => u.field !== 'sdgTargets');
  const what = targetsOnly ? 'not an SDG target' : unknown.some((u) => u.field === 'sdgTargets') ? 'not a UHRI theme, group of persons or SDG target' : 'not a UHRI theme or group of persons';
  const help = [
    ...(vocabulary ? ['Use a UHRI code ("D23"), a theme\'s or group\'s name, or a known alias (README, "Vocabularies"), or add an alias for your coalition (POST /api/v1/admin/theme-aliases)'] : []),
    ...(unknown.some((u) => u.field === 'sdgTargets') ? ['SDG targets are those of A/RES/70/1, written "5.1", "Target 5.1" or "SDG 5.1"'] : []),
  ].join('. ');
  return new BadRequestException({
    statusCode: HttpStatus.BAD_REQUEST,
    error: 'Bad Request',
    message: `${what}: ${list}. ${help}`,
    details: unknown.map((u) => ({
      field: u.field, value: u.value,
      problem: u.field === 'sdgTargets' ? 'not a target of the Sustainable Development Goals (A/RES/70/1)' : 'not a UHRI theme or group of persons, nor an alias of one',
      suggestions: u.suggestions,
    })),
  });
}
