import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { User } from '../accounts/user.entity';
import { ReviewCycle } from '../cycles/review-cycle.entity';
import { placeholder } from '../database/sql-values';
import { Recommendation } from '../recommendations/recommendation.entity';
import type { ImplementationStatus } from '../vocabulary/recommendation.vocabulary';
import { LineageSuggestion } from './lineage-suggestion.entity';
import type { LineageState } from '../vocabulary/lineage.vocabulary';

/** A recommendation with what lineage needs to know of its cycle. */
export interface LineageSubject {
  id: number;
  coalitionId: number;
  cycleId: number;
  cycleNumber: number;
  stateUnderReview: string;
  text: string;
  predecessorId: number | null;
}

export interface AncestorRow {
  id: number;
  cycleId: number;
  cycleNumber: number;
  paragraph: string | null;
  status: ImplementationStatus;
  depth: number;
}

export interface SuggestionRow {
  suggestion: LineageSuggestion;
  candidate: { id: number; cycleId: number; cycleNumber: number; paragraph: string | null; text: string; status: ImplementationStatus };
  decidedByName: string | null;
}

export interface NewSuggestion {
  recommendationId: number;
  candidateId: number;
  score: number;
}

/** Longest predecessor chain followed: far more cycles than any mechanism has; stops a loop made by hand. */
const MAX_CHAIN = 50;
/** Ids per IN list: well under SQLite's 32,766 bound parameters. */
const CHUNK = 500;

@Injectable()
export class LineageRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findSubjects(ids: number[], manager: EntityManager = this.dataSource.manager): Promise<LineageSubject[]> {
    const subjects: LineageSubject[] = [];
    for (let i = 0; i < ids.length; i += CHUNK) {
      subjects.push(...(await this.subjectQuery(manager).where('r.id IN (:...ids)', { ids: ids.slice(i, i + CHUNK) }).getRawMany()).map(toSubject));
    }
    return subjects;
  }

  /** Every recommendation of the coalition's cycles of this State numbered below `belowNumber`: the candidate predecessors. */
  async findEarlierInState(coalitionId: number, stateUnderReview: string, belowNumber: number, manager: EntityManager): Promise<LineageSubject[]> {
    const rows = await this.subjectQuery(manager)
      .where('c.coalition_id = :coalitionId', { coalitionId })
      .andWhere('c.state_under_review = :stateUnderReview', { stateUnderReview })
      .andWhere('c.number < :belowNumber', { belowNumber })
      .andWhere('r.coalition_id = :coalitionId')
      .orderBy('r.id', 'ASC')
      .getRawMany();
    return rows.map(toSubject);
  }

  /**
   * The recommendation's predecessors, nearest first, following predecessor_id upwards in one
   * recursive query (the same SQL on SQLite and PostgreSQL).
   */
  async findAncestors(coalitionId: number, id: number, manager: EntityManager = this.dataSource.manager): Promise<AncestorRow[]> {
    const p = (n: number) => placeholder(this.dataSource, n);
    const rows: Record<string, unknown>[] = await manager.query(
      `WITH RECURSIVE chain (id, depth) AS (
         SELECT r.predecessor_id, 1 FROM recommendation r WHERE r.id = ${p(1)} AND r.predecessor_id IS NOT NULL
         UNION ALL
         SELECT p.predecessor_id, chain.depth + 1 FROM chain JOIN recommendation p ON p.id = chain.id
         WHERE p.predecessor_id IS NOT NULL AND chain.depth < ${MAX_CHAIN}
       )
       SELECT r.id, r.cycle_id, c.number AS cycle_number, r.paragraph, r.status, chain.depth
       FROM chain JOIN recommendation r ON r.id = chain.id JOIN review_cycle c ON c.id = r.cycle_id
       WHERE r.coalition_id = ${p(2)}
       ORDER BY chain.depth`,
      [id, coalitionId],
    );
    const seen = new Set<number>();
    const chain: AncestorRow[] = [];
    for (const row of rows) {
      const ancestor: AncestorRow = {
        id: Number(row.id), cycleId: Number(row.cycle_id), cycleNumber: Number(row.cycle_number),
        paragraph: (row.paragraph as string | null) ?? null, status: row.status as ImplementationStatus, depth: Number(row.depth),
      };
      if (seen.has(ancestor.id)) break; // a loop (possible only through hand-made links): show it once
      seen.add(ancestor.id);
      chain.push(ancestor);
    }
    return chain;
  }

  /** The suggestions of these recommendations that a person decided (confirmed or rejected): kept on refresh. */
  async findDecided(recommendationIds: number[], manager: EntityManager): Promise<LineageSuggestion[]> {
    const found: LineageSuggestion[] = [];
    for (let i = 0; i < recommendationIds.length; i += CHUNK) {
      found.push(...(await manager.find(LineageSuggestion, {
        where: { recommendationId: In(recommendationIds.slice(i, i + CHUNK)), state: In(['confirmed', 'rejected']) },
      })));
    }
    return found;
  }

  async idsOfCycle(coalitionId: number, cycleId: number): Promise<number[]> {
    const rows = await this.dataSource.manager.find(Recommendation, { where: { coalitionId, cycleId }, select: { id: true }, order: { id: 'ASC' } });
    return rows.map((r) => r.id);
  }

  hasAny(recommendationId: number, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    return manager.existsBy(LineageSuggestion, { recommendationId });
  }

  findPair(recommendationId: number, candidateId: number, manager: EntityManager): Promise<LineageSuggestion | null> {
    return manager.findOneBy(LineageSuggestion, { recommendationId, candidateId });
  }

  /**
   * Replaces the undecided suggestions of these recommendations with `fresh`. Duplicates are
   * ignored rather than refused: two first views of the same recommendation at once compute the
   * same rows.
   */
  async replaceSuggested(recommendationIds: number[], fresh: NewSuggestion[], manager: EntityManager): Promise<void> {
    for (let i = 0; i < recommendationIds.length; i += CHUNK) {
      await manager.delete(LineageSuggestion, { recommendationId: In(recommendationIds.slice(i, i + CHUNK)), state: 'suggested' });
    }
    for (let i = 0; i < fresh.length; i += CHUNK) {
      await manager
        .createQueryBuilder()
        .insert()
        .into(LineageSuggestion)
        .values(fresh.slice(i, i + CHUNK).map((s) => ({ ...s, state: 'suggested' as const })))
        .orIgnore()
        .execute();
    }
  }

  async saveDecision(
    decision: { recommendationId: number; candidateId: number; score: number; state: LineageState; decidedById: number; decidedAt: Date },
    manager: EntityManager,
  ): Promise<void> {
    const existing = await this.findPair(decision.recommendationId, decision.candidateId, manager);
    if (existing) {
      await manager.update(LineageSuggestion, { id: existing.id }, { state: decision.state, decidedById: decision.decidedById, decidedAt: decision.decidedAt });
    } else {
      await manager.insert(LineageSuggestion, decision);
    }
  }

  /** A recommendation has one predecessor: confirming another turns an earlier confirmation into a rejection. */
  async rejectOtherConfirmed(recommendationId: number, keepCandidateId: number, decidedById: number, decidedAt: Date, manager: EntityManager): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(LineageSuggestion)
      .set({ state: 'rejected', decidedById, decidedAt })
      .where('recommendation_id = :recommendationId', { recommendationId })
      .andWhere('candidate_id <> :keepCandidateId', { keepCandidateId })
      .andWhere("state = 'confirmed'")
      .execute();
  }

  /** Confirmed first, then suggested from the best score, then rejected; with each candidate's cycle. */
  async listForRecommendation(recommendationId: number, manager: EntityManager = this.dataSource.manager): Promise<SuggestionRow[]> {
    const suggestions = await manager.find(LineageSuggestion, { where: { recommendationId } });
    if (suggestions.length === 0) return [];
    const candidates: Record<string, unknown>[] = await this.subjectQuery(manager)
      .addSelect('r.paragraph', 'paragraph')
      .addSelect('r.status', 'status')
      .where('r.id IN (:...ids)', { ids: suggestions.map((s) => s.candidateId) })
      .getRawMany();
    const byId = new Map(candidates.map((c) => [Number(c.id), c]));
    const deciders = suggestions.map((s) => s.decidedById).filter((id): id is number => id !== null);
    const names = new Map(
      deciders.length > 0 ? (await manager.find(User, { where: { id: In(deciders) }, select: { id: true, name: true } })).map((u) => [u.id, u.name]) : [],
    );
    const rank: Record<LineageState, number> = { confirmed: 0, suggested: 1, rejected: 2 };
    return suggestions
      .filter((s) => byId.has(s.candidateId))
      .sort((a, b) => rank[a.state] - rank[b.state] || b.score - a.score || a.candidateId - b.candidateId)
      .map((suggestion) => {
        const c = byId.get(suggestion.candidateId)!;
        return {
          suggestion,
          candidate: {
            id: Number(c.id), cycleId: Number(c.cycle_id), cycleNumber: Number(c.cycle_number), paragraph: (c.paragraph as string | null) ?? null,
            text: String(c.text), status: c.status as ImplementationStatus,
          },
          decidedByName: suggestion.decidedById === null ? null : (names.get(suggestion.decidedById) ?? null),
        };
      });
  }

  private subjectQuery(manager: EntityManager) {
    return manager
      .createQueryBuilder(Recommendation, 'r')
      .innerJoin(ReviewCycle, 'c', 'c.id = r.cycle_id')
      .select('r.id', 'id')
      .addSelect('r.coalition_id', 'coalition_id')
      .addSelect('r.cycle_id', 'cycle_id')
      .addSelect('c.number', 'cycle_number')
      .addSelect('c.state_under_review', 'state_under_review')
      .addSelect('r.text', 'text')
      .addSelect('r.predecessor_id', 'predecessor_id');
  }
}

function toSubject(row: Record<string, unknown>): LineageSubject {
  return {
    id: Number(row.id),
    coalitionId: Number(row.coalition_id),
    cycleId: Number(row.cycle_id),
    cycleNumber: Number(row.cycle_number),
    stateUnderReview: String(row.state_under_review),
    text: String(row.text),
    predecessorId: row.predecessor_id === null || row.predecessor_id === undefined ? null : Number(row.predecessor_id),
  };
}
