import { BadRequestException, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import type { AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { conflict } from '../common/errors';
import { CyclesRepository } from '../cycles/cycles.repository';
import { RecommendationAccess } from '../recommendations/recommendation-access.service';
import { RecommendationsRepository } from '../recommendations/recommendations.repository';
import { DecideLineageDto, LineageResponse, mapLineage } from './lineage.dto';
import { LineageRepository, LineageSubject, NewSuggestion } from './lineage.repository';
import { MAX_SUGGESTIONS, SUGGESTION_THRESHOLD } from '../vocabulary/lineage.vocabulary';
import { SimilarityIndex, similarity } from './text-similarity';

export interface SuggestSummary {
  /** Recommendations looked at. */
  recommendations: number;
  /** Undecided suggestions stored for them. */
  suggestions: number;
}

@Injectable()
export class LineageService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly lineage: LineageRepository,
    private readonly recommendations: RecommendationsRepository,
    private readonly cycles: CyclesRepository,
    private readonly access: RecommendationAccess,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  /** The chain of predecessors and the suggestions; suggestions are computed on the first view, or when asked to refresh. */
  async get(auth: AuthUser, id: number, refresh = false): Promise<LineageResponse> {
    const recommendation = await this.access.getVisible(auth, id);
    if (refresh || !(await this.lineage.hasAny(id))) await this.suggestForRecommendations([id]);
    const [chain, suggestions] = await Promise.all([this.lineage.findAncestors(auth.coalitionId, id), this.lineage.listForRecommendation(id)]);
    return mapLineage(recommendation, chain, suggestions);
  }

  /**
   * Finds likely predecessors for these recommendations (e.g. right after an import) and stores
   * them, replacing earlier undecided suggestions; confirmed and rejected pairs are kept, and a
   * rejected candidate is never suggested again. Each recommendation is compared only with the
   * recommendations of earlier cycles of the same State under Review in its coalition, and those
   * are loaded and indexed once per State: 350 new against 1,000 older take well under a second.
   * Pass the caller's transaction manager to run inside it.
   */
  async suggestForRecommendations(ids: number[], manager?: EntityManager): Promise<SuggestSummary> {
    if (!manager) return this.dataSource.transaction((m) => this.suggestForRecommendations(ids, m));
    const subjects = await this.lineage.findSubjects([...new Set(ids)], manager);
    const decided = new Set((await this.lineage.findDecided(subjects.map((s) => s.id), manager)).map((d) => `${d.recommendationId}:${d.candidateId}`));
    const fresh: NewSuggestion[] = [];
    for (const group of groupByState(subjects)) {
      const maxNumber = Math.max(...group.map((s) => s.cycleNumber));
      const candidates = await this.lineage.findEarlierInState(group[0].coalitionId, group[0].stateUnderReview, maxNumber, manager);
      if (candidates.length === 0) continue;
      const index = new SimilarityIndex(candidates.map((c) => c.text));
      const byId = new Map(candidates.map((c) => [c.id, c]));
      for (const subject of group) {
        // Ancestors are already in the chain; suggesting one would skip the cycles between.
        const excluded = subject.predecessorId === null
          ? new Set<number>()
          : new Set([subject.predecessorId, ...(await this.lineage.findAncestors(subject.coalitionId, subject.id, manager)).map((a) => a.id)]);
        const matches = index
          .query(subject.text, SUGGESTION_THRESHOLD)
          .map((match) => ({ candidate: candidates[match.index], score: match.score }))
          .filter(({ candidate }) =>
            candidate.cycleNumber < subject.cycleNumber && !excluded.has(candidate.id) && !decided.has(`${subject.id}:${candidate.id}`));
        // One commitment is offered once: a candidate that another match continues (a carried item's
        // original and the recurring recommendation that superseded it, or an old close's copy and
        // its original) is left out for the latest of its chain, whose ancestors it brings along.
        const continued = ancestorsOf(matches.map(({ candidate }) => candidate), byId);
        const best = matches
          .filter(({ candidate }) => !continued.has(candidate.id))
          // Equal scores: the nearest earlier cycle first, as that is the likelier predecessor.
          .sort((a, b) => b.score - a.score || b.candidate.cycleNumber - a.candidate.cycleNumber || a.candidate.id - b.candidate.id)
          .slice(0, MAX_SUGGESTIONS);
        fresh.push(...best.map(({ candidate, score }) => ({ recommendationId: subject.id, candidateId: candidate.id, score })));
      }
    }
    await this.lineage.replaceSuggested(subjects.map((s) => s.id), fresh, manager);
    return { recommendations: subjects.length, suggestions: fresh.length };
  }

  /**
   * confirm: the candidate becomes the predecessor (it must be a recommendation of an earlier
   * cycle of the same State under Review); reject: it is never suggested again, and stops being
   * the predecessor if it was. The recommendation's cycle must be open.
   */
  async decide(auth: AuthUser, id: number, dto: DecideLineageDto): Promise<LineageResponse> {
    await this.dataSource.transaction(async (manager) => {
      const { recommendation, cycle } = await this.access.getChangeable(auth, id, manager);
      const candidate = await this.recommendations.findInCoalition(auth.coalitionId, dto.candidateId, manager);
      if (!candidate) throw badCandidate(`recommendation ${dto.candidateId} was not found`);
      if (candidate.id === id) throw badCandidate('a recommendation cannot be its own predecessor');
      const now = this.clock.now();
      const existing = await this.lineage.findPair(id, candidate.id, manager);
      const decision = {
        recommendationId: id, candidateId: candidate.id, score: existing?.score ?? similarity(recommendation.text, candidate.text),
        decidedById: auth.id, decidedAt: now,
      };
      if (dto.decision === 'reject') {
        await this.lineage.saveDecision({ ...decision, state: 'rejected' }, manager);
        if (recommendation.predecessorId === candidate.id) await this.recommendations.setPredecessor(id, null, now, manager);
        await this.recordDecision(auth, id, 'rejected', candidate.id, recommendation.predecessorId, recommendation.predecessorId === candidate.id ? null : recommendation.predecessorId, now, manager);
        return;
      }
      const candidateCycle = (await this.cycles.findInCoalition(auth.coalitionId, candidate.cycleId, manager))!;
      if (candidateCycle.stateUnderReview !== cycle.stateUnderReview) {
        throw badCandidate(`recommendation ${candidate.id} was made to ${candidateCycle.stateUnderReview}, this one to ${cycle.stateUnderReview}: a predecessor must be a recommendation to the same State`);
      }
      if (candidateCycle.number >= cycle.number) {
        throw badCandidate(`recommendation ${candidate.id} is in cycle ${candidateCycle.number}, this one in cycle ${cycle.number}: a predecessor must be of an earlier cycle`);
      }
      const candidateAncestors = await this.lineage.findAncestors(auth.coalitionId, candidate.id, manager);
      if (candidateAncestors.some((a) => a.id === id)) {
        throw conflict(`Recommendation ${id} is already a predecessor of recommendation ${candidate.id}; confirming would make a loop`, { candidateId: candidate.id });
      }
      await this.lineage.saveDecision({ ...decision, state: 'confirmed' }, manager);
      await this.lineage.rejectOtherConfirmed(id, candidate.id, auth.id, now, manager);
      if (recommendation.predecessorId !== candidate.id) await this.recommendations.setPredecessor(id, candidate.id, now, manager);
      await this.recordDecision(auth, id, 'confirmed', candidate.id, recommendation.predecessorId, candidate.id, now, manager);
    });
    return this.get(auth, id);
  }

  private recordDecision(
    auth: AuthUser, id: number, decision: 'confirmed' | 'rejected', candidateId: number, predecessorBefore: number | null, predecessorAfter: number | null, at: Date,
    manager: EntityManager,
  ): Promise<void> {
    return this.audit.record({
      coalitionId: auth.coalitionId, actor: auth, entity: 'lineage', entityId: id, recommendationId: id, action: decision, at,
      before: { predecessorId: predecessorBefore }, after: { candidateId, predecessorId: predecessorAfter },
    }, manager);
  }

  /** The recommendation ids of a cycle, for the command line's "lineage suggest --cycle". */
  async idsOfCycle(cycleId: number): Promise<{ coalitionId: number; ids: number[] } | null> {
    const cycle = await this.cycles.findById(cycleId);
    if (!cycle) return null;
    return { coalitionId: cycle.coalitionId, ids: await this.lineage.idsOfCycle(cycle.coalitionId, cycle.id) };
  }
}

/** The ids of every predecessor, among the State's earlier recommendations, of these recommendations. */
function ancestorsOf(recommendations: LineageSubject[], byId: Map<number, LineageSubject>): Set<number> {
  const ancestors = new Set<number>();
  for (const recommendation of recommendations) {
    // A chain made by hand may loop: a predecessor already seen ends the walk.
    for (let id = recommendation.predecessorId; id !== null && !ancestors.has(id); id = byId.get(id)?.predecessorId ?? null) ancestors.add(id);
  }
  return ancestors;
}

function groupByState(subjects: LineageSubject[]): LineageSubject[][] {
  const groups = new Map<string, LineageSubject[]>();
  for (const subject of subjects) {
    const key = `${subject.coalitionId}\u0000${subject.stateUnderReview}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(subject);
  }
  return [...groups.values()];
}

function badCandidate(problem: string): BadRequestException {
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `candidateId: ${problem}`, details: [{ field: 'candidateId', problem }] });
}
