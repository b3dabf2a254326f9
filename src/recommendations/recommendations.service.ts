import { BadRequestException, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLog, type AuditValues } from '../audit/audit-log';
import type { AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { Page } from '../common/pagination';
import { CyclesService } from '../cycles/cycles.service';
import { StatesService } from '../states/states.service';
import type { ReviewCycle } from '../cycles/review-cycle.entity';
import { ChangeNotices } from './change-notices';
import { textKey } from './text-key';
import { allowedNextStatuses } from './lifecycle';
import { RecommendationAccess } from './recommendation-access.service';
import { Recommendation } from './recommendation.entity';
import { mapHistoryEntry, mapRecommendation } from './recommendation.mapper';
import { type ImplementationStatus, PLEDGE_RESPONSE, type RecommendationKind, type TagKind } from '../vocabulary/recommendation.vocabulary';
import type { StatusChange } from './status-change.entity';
import {
  AddOwnersDto, AddOwnersResponse, CreateRecommendationDto, FollowResponse, ListRecommendationsQuery, RecommendationDetailResponse, RecommendationResponse,
  UpdateRecommendationDto,
} from './recommendations.dto';
import { RecommendationFilters, RecommendationPeople, RecommendationsRepository, RecommendationSummary } from './recommendations.repository';
import { ThemesService } from '../themes/themes.service';
import { themeLabel } from '../themes/theme-directory';

/** What a caller of detail() has read already, for one recommendation (see detail). */
export interface KnownDetailParts {
  people: RecommendationPeople;
  /** True when the caller knows no close ever carried the recommendation (there are no carries to read). */
  noCarries: boolean;
}

@Injectable()
export class RecommendationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly recommendations: RecommendationsRepository,
    private readonly access: RecommendationAccess,
    private readonly cycles: CyclesService,
    private readonly notices: ChangeNotices,
    private readonly states: StatesService,
    private readonly themes: ThemesService,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  /** The recommendation, its descriptors and its owners are written together or not at all. */
  async create(auth: AuthUser, cycleId: number, dto: CreateRecommendationDto): Promise<RecommendationResponse> {
    dto = await this.withCanonicalTags(auth, await this.withCanonicalStates(auth, { affectedPersons: [], ...dto }));
    const id = await this.dataSource.transaction(async (manager) => {
      const cycle = await this.cycles.getOpen(auth, cycleId, manager);
      await this.access.assertUsersInCoalition(auth, 'ownerIds', dto.ownerIds, manager);
      if (dto.predecessorId != null) await this.assertPredecessor(auth, dto.predecessorId, cycle.id, manager);
      const kind = dto.kind ?? 'recommendation';
      assertPledgeFields(kind, dto);
      assertResponseOfParticipation(cycle, dto);
      const saved = await this.recommendations.save(
        manager.create(Recommendation, {
          coalitionId: auth.coalitionId,
          cycleId: cycle.id,
          paragraph: dto.paragraph ?? null,
          text: dto.text,
          textKey: textKey(dto.text),
          response: kind === 'voluntary_pledge' || cycle.participation === 'did_not_participate' ? 'no_response' : (dto.response ?? 'pending'),
          kind,
          status: 'not_assessed',
          actionCategory: dto.actionCategory ?? null,
          predecessorId: dto.predecessorId ?? null,
        }),
        manager,
      );
      await this.recommendations.replaceTags(saved, tagsOf({ recommendingStates: [], themes: [], affectedPersons: [], sdgs: [], sdgTargets: [], ...dto }), manager);
      await this.recommendations.replaceOwners(saved.id, dto.ownerIds ?? [], manager);
      if (saved.predecessorId !== null) await this.recommendations.supersedeCarried(saved.id, saved.predecessorId, manager);
      await this.audit.record({
        coalitionId: auth.coalitionId, actor: auth, entity: 'recommendation', entityId: saved.id, action: 'created', at: this.clock.now(),
        after: await this.auditedValues(saved, manager),
      }, manager);
      return saved.id;
    });
    return this.getSummary(auth, id);
  }

  async list(auth: AuthUser, query: ListRecommendationsQuery): Promise<Page<RecommendationResponse>> {
    const { page, pageSize, theme, group, sdg, ...rest } = query;
    const filters: Omit<RecommendationFilters, 'coalitionId'> = rest;
    if (theme !== undefined || group !== undefined || sdg !== undefined) {
      // A code, the canonical name or any alias finds the entry as stored (a theme code also finds
      // the themes beneath it); a value that names nothing is looked for as written (kept from before).
      // The coalition's own aliases count too.
      const vocabularies = await this.themes.directoryFor(auth.coalitionId);
      if (theme !== undefined) filters.theme = vocabularies.themeFilterCodes(theme) ?? [theme];
      if (group !== undefined) filters.affectedPerson = [vocabularies.resolveGroup(group) ?? group];
      if (sdg !== undefined) filters.sdg = vocabularies.sdgFilterCodes(sdg) ?? [sdg];
    }
    if (filters.recommendingState !== undefined || filters.stateUnderReview !== undefined) {
      // A code, the canonical name or any alias finds the State as stored; a value that names no
      // State is looked for as written (a value kept from before the States were canonical).
      const directory = await this.states.directoryFor(auth.coalitionId);
      if (filters.recommendingState !== undefined) filters.recommendingState = directory.resolve(filters.recommendingState)?.name ?? filters.recommendingState;
      if (filters.stateUnderReview !== undefined) filters.stateUnderReview = directory.resolve(filters.stateUnderReview)?.name ?? filters.stateUnderReview;
    }
    const { rows, total } = await this.recommendations.search({ ...filters, coalitionId: auth.coalitionId }, (page - 1) * pageSize, pageSize);
    return { items: await this.mapMany(rows), total, page, pageSize };
  }

  async get(auth: AuthUser, id: number): Promise<RecommendationDetailResponse> {
    return this.detail(auth, await this.access.getVisible(auth, id));
  }

  /**
   * The detail of a recommendation the caller may see, already read (e.g. by the change just made).
   * `known`: what the caller has read already in its transaction, not read again: the owners and
   * followers, and, when it knows there are none, the carries.
   */
  async detail(auth: AuthUser, recommendation: Recommendation, known?: KnownDetailParts): Promise<RecommendationDetailResponse> {
    const id = recommendation.id;
    const [[summary], history] = await Promise.all([this.mapMany([recommendation], known), this.recommendations.history(id)]);
    const { following, followerCount } = known
      ? { following: known.people.followerIds.includes(auth.id), followerCount: known.people.followerIds.length }
      : await this.recommendations.followers(id, auth.id);
    return {
      ...summary,
      allowedNextStatuses: allowedNextStatuses(recommendation.status),
      history: history.map(mapHistoryEntry),
      following,
      followerCount,
    };
  }

  async update(auth: AuthUser, id: number, dto: UpdateRecommendationDto): Promise<RecommendationDetailResponse> {
    dto = await this.withCanonicalTags(auth, await this.withCanonicalStates(auth, dto));
    await this.dataSource.transaction(async (manager) => {
      const { recommendation, cycle } = await this.access.getChangeable(auth, id, manager);
      assertResponseOfParticipation(cycle, dto);
      await this.access.assertUsersInCoalition(auth, 'ownerIds', dto.ownerIds, manager);
      if (dto.predecessorId != null) await this.assertPredecessor(auth, dto.predecessorId, recommendation.cycleId, manager, id);
      const before = await this.auditedValues(recommendation, manager);
      if (dto.paragraph !== undefined) recommendation.paragraph = dto.paragraph;
      if (dto.text !== undefined) {
        recommendation.text = dto.text;
        recommendation.textKey = textKey(dto.text);
      }
      const previousResponse = recommendation.response;
      if (dto.response !== undefined) recommendation.response = dto.response;
      if (dto.kind !== undefined) recommendation.kind = dto.kind;
      if (recommendation.kind === 'voluntary_pledge') {
        assertPledgeFields('voluntary_pledge', dto);
        // Made a pledge: what only a recommendation has goes (no recommending State, no response).
        recommendation.response = PLEDGE_RESPONSE;
        if (dto.kind === 'voluntary_pledge') dto.recommendingStates = [];
      }
      if (dto.actionCategory !== undefined) recommendation.actionCategory = dto.actionCategory;
      if (dto.predecessorId !== undefined) recommendation.predecessorId = dto.predecessorId;
      const now = this.clock.now();
      recommendation.updatedAt = now;
      await this.recommendations.save(recommendation, manager);
      if (recommendation.response !== previousResponse) {
        await this.notices.responseChanged(
          { recommendation, actor: { id: auth.id, name: auth.name }, from: previousResponse, to: recommendation.response, at: now },
          manager,
        );
      }
      // Goals and targets share the SDG tags: sending one of them keeps the other as it is.
      const storedSdgs = dto.sdgs === undefined && dto.sdgTargets === undefined ? [] : (await this.recommendations.loadTags([id], manager)).get(id)?.sdg ?? [];
      await this.recommendations.replaceTags(recommendation, tagsOf(dto, storedSdgs), manager);
      if (dto.ownerIds !== undefined) await this.recommendations.replaceOwners(id, dto.ownerIds, manager);
      if (dto.predecessorId !== undefined) await this.recommendations.supersedeCarried(id, recommendation.predecessorId, manager);
      // The State's response, the text, owners and tags: every field, before and after, in one entry.
      await this.audit.recordChanges(
        { coalitionId: auth.coalitionId, actor: auth, entity: 'recommendation', entityId: id, action: 'updated', at: now },
        before, await this.auditedValues(recommendation, manager), manager,
      );
    });
    return this.get(auth, id);
  }

  /**
   * Adds the same owners to several recommendations in one transaction: every recommendation must be
   * the caller's coalition's and in an open cycle, or nothing is written.
   */
  async addOwners(auth: AuthUser, dto: AddOwnersDto): Promise<AddOwnersResponse> {
    return this.dataSource.transaction(async (manager) => {
      await this.access.assertUsersInCoalition(auth, 'ownerIds', dto.ownerIds, manager);
      let changed = 0;
      for (const id of dto.recommendationIds) {
        await this.access.getChangeable(auth, id, manager);
        if ((await this.recommendations.addOwners(id, dto.ownerIds, manager)) > 0) changed += 1;
      }
      return { changed };
    });
  }

  async follow(auth: AuthUser, id: number): Promise<FollowResponse> {
    await this.access.getVisible(auth, id);
    await this.recommendations.follow(id, auth.id);
    return { recommendationId: id, following: true };
  }

  async unfollow(auth: AuthUser, id: number): Promise<FollowResponse> {
    await this.access.getVisible(auth, id);
    await this.recommendations.unfollow(id, auth.id);
    return { recommendationId: id, following: false };
  }

  private async getSummary(auth: AuthUser, id: number): Promise<RecommendationResponse> {
    const [summary] = await this.mapMany([await this.access.getVisible(auth, id)]);
    return summary;
  }

  private async mapMany(rows: RecommendationSummary[], known?: KnownDetailParts): Promise<RecommendationResponse[]> {
    const ids = rows.map((r) => r.id);
    const [tags, owners, carried, states, vocabularies] = await Promise.all([
      this.recommendations.loadTags(ids),
      known ? new Map(ids.map((id) => [id, known.people.ownerIds])) : this.recommendations.loadOwners(ids),
      known?.noCarries ? new Map(ids.map((id) => [id, []])) : this.recommendations.loadCarried(ids),
      this.states.shippedDirectory(),
      this.themes.vocabularies(),
    ]);
    const theme = (code: string) => {
      const entry = vocabularies.theme(code);
      return entry ? { code: entry.code, label: themeLabel(entry) } : null;
    };
    const sdgTitle = (code: string) => vocabularies.sdgTitle(code);
    return rows.map((r) => mapRecommendation(r, tags.get(r.id)!, owners.get(r.id)!, (name) => states.byCanonicalName(name)?.code ?? null, carried.get(r.id)!, theme, sdgTitle));
  }

  /** Recommending States as sent, mapped to their canonical names; an unknown name is a 400 with suggestions. */
  private async withCanonicalStates<T extends UpdateRecommendationDto>(auth: AuthUser, dto: T): Promise<T> {
    if (!dto.recommendingStates || dto.recommendingStates.length === 0) return dto;
    return { ...dto, recommendingStates: await this.states.requireStates(auth.coalitionId, 'recommendingStates', dto.recommendingStates) };
  }

  /**
   * Themes and groups as sent, mapped to what is stored (theme codes, group names; a theme that names
   * people adds their group when groups are sent too: a PATCH of themes alone leaves the groups as
   * they are); an unknown one is a 400 with suggestions.
   */
  private async withCanonicalTags<T extends UpdateRecommendationDto>(auth: AuthUser, dto: T): Promise<T> {
    if (dto.themes === undefined && dto.affectedPersons === undefined && dto.sdgTargets === undefined) return dto;
    return { ...dto, ...(await this.themes.requireTags(auth.coalitionId, dto.themes, dto.affectedPersons, dto.sdgTargets)) };
  }

  /** A predecessor must be another recommendation of the same coalition, in a different cycle. */
  /** The fields the audit trail follows, as they are in this transaction. */
  private async auditedValues(recommendation: Recommendation, manager: EntityManager): Promise<AuditValues> {
    const tags = (await this.recommendations.loadTags([recommendation.id], manager)).get(recommendation.id);
    // Themes as people read them, "D23 Death penalty" (the stored code, or a value kept as written).
    const vocabularies = await this.themes.vocabularies();
    const themeLabels = (tags?.theme ?? []).map((code) => {
      const theme = vocabularies.theme(code);
      return theme ? themeLabel(theme) : code;
    });
    const owners = (await this.recommendations.loadOwners([recommendation.id], manager)).get(recommendation.id) ?? [];
    return {
      paragraph: recommendation.paragraph,
      text: recommendation.text,
      response: recommendation.response,
      actionCategory: recommendation.actionCategory,
      predecessorId: recommendation.predecessorId,
      recommendingStates: tags?.recommending_state ?? [],
      themes: themeLabels,
      affectedPersons: tags?.affected_person ?? [],
      sdgs: tags?.sdg ?? [],
      ownerIds: owners,
    };
  }

  private async assertPredecessor(auth: AuthUser, predecessorId: number, cycleId: number, manager: EntityManager, selfId?: number): Promise<void> {
    const predecessor = await this.recommendations.findInCoalition(auth.coalitionId, predecessorId, manager);
    const problem = !predecessor
      ? `recommendation ${predecessorId} was not found`
      : predecessor.id === selfId || predecessor.cycleId === cycleId
        ? 'the predecessor must be a recommendation of an earlier cycle'
        : null;
    if (!problem) return;
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: `predecessorId: ${problem}`,
      details: [{ field: 'predecessorId', problem }],
    });
  }

  /** Whether the recommendation may change now: its cycle is open, or it is carried into an open cycle and followed there. */
  isChangeable(auth: AuthUser, recommendation: RecommendationResponse): Promise<boolean> {
    return this.access.isChangeable(auth, recommendation);
  }

  /** The dashboard's view of recommendations: what the person owns, the coalition's latest changes, `limit` of each. */
  async overviewFor(auth: AuthUser, limit: number): Promise<{ owned: { rows: Recommendation[]; total: number }; recentChanges: StatusChange[] }> {
    const [owned, recentChanges] = await Promise.all([
      this.recommendations.findOwnedBy(auth.coalitionId, auth.id, limit),
      this.recommendations.findRecentStatusChanges(auth.coalitionId, limit),
    ]);
    return { owned, recentChanges };
  }

  /** How many of a cycle's recommendations are in each status. */
  countByStatus(auth: AuthUser, cycleId: number): Promise<Map<ImplementationStatus, number>> {
    return this.recommendations.countByStatusInCycle(auth.coalitionId, cycleId);
  }
}

/** A State that did not participate responded to nothing: its recommendations have no response, and no other can be recorded. */
function assertResponseOfParticipation(cycle: ReviewCycle, dto: UpdateRecommendationDto): void {
  if (cycle.participation !== 'did_not_participate' || dto.response === undefined || dto.response === 'no_response') return;
  const problem = `${cycle.stateUnderReview} did not participate in this review (cycle ${cycle.id}): every recommendation has the response no_response`;
  throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `response: ${problem}`, details: [{ field: 'response', problem }] });
}

/** A voluntary pledge is the State's own commitment: no other State recommends it, and the State does not answer it. */
function assertPledgeFields(kind: RecommendationKind, dto: UpdateRecommendationDto): void {
  if (kind !== 'voluntary_pledge') return;
  const details: { field: string; problem: string }[] = [];
  if (dto.recommendingStates && dto.recommendingStates.length > 0) {
    details.push({ field: 'recommendingStates', problem: 'a voluntary pledge is made by the State under review itself: it has no recommending States' });
  }
  if (dto.response !== undefined && dto.response !== PLEDGE_RESPONSE) {
    details.push({ field: 'response', problem: `a voluntary pledge is not answered by the State: its response is always ${PLEDGE_RESPONSE}` });
  }
  if (details.length > 0) {
    throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: details.map((d) => `${d.field}: ${d.problem}`).join('; '), details });
  }
}

/**
 * The tags a write replaces (a kind left undefined is left alone). SDG tags hold goals ("5") then
 * targets ("5.1"); a target is stored alone, without its goal, which answers and filters derive
 * from it. `storedSdgs`: the SDG tags before the write, for the part (goals or targets) not sent.
 */
function tagsOf(dto: UpdateRecommendationDto, storedSdgs: string[] = []): Partial<Record<TagKind, string[]>> {
  const goals = dto.sdgs?.map(String) ?? storedSdgs.filter((v) => !v.includes('.'));
  const targets = dto.sdgTargets ?? storedSdgs.filter((v) => v.includes('.'));
  return {
    recommending_state: dto.recommendingStates,
    theme: dto.themes,
    affected_person: dto.affectedPersons,
    sdg: dto.sdgs === undefined && dto.sdgTargets === undefined ? undefined : [...goals, ...targets],
  };
}

