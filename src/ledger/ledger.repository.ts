import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ReviewCycle } from '../cycles/review-cycle.entity';
import { placeholder, readSqlTime } from '../database/sql-values';
import type { Mechanism } from '../vocabulary/cycle.vocabulary';
import type { EvidenceKind } from '../vocabulary/evidence.vocabulary';
import type { ImplementationStatus, RecommendationResponse } from '../vocabulary/recommendation.vocabulary';

export interface LedgerRecommendationRow {
  id: number;
  paragraph: string | null;
  text: string;
  response: RecommendationResponse;
  status: ImplementationStatus;
}

export interface LedgerTagRow {
  recommendationId: number;
  value: string;
}

export interface LedgerNoteRow {
  recommendationId: number;
  fromStatus: ImplementationStatus;
  toStatus: ImplementationStatus;
  note: string;
  createdAt: Date;
}

export interface LedgerEvidenceRow {
  id: number;
  recommendationId: number;
  kind: EvidenceKind;
  title: string;
  url: string | null;
  fileName: string | null;
  hasFile: boolean;
}

export interface LedgerExcerptRow {
  recommendationId: number;
  text: string;
}

export interface LedgerRelatedCycleRow {
  id: number;
  mechanism: Mechanism;
  number: number;
  stateUnderReview: string;
}

export interface LedgerFileRow {
  sha256: string;
  fileName: string | null;
  mimeType: string | null;
}

/**
 * What a published cycle shows the public, and nothing else. Every query here selects named,
 * public columns only (never who changed or submitted anything), and the rules of what is public
 * are in the WHERE clauses themselves, so no caller can forget one:
 * - a cycle is public only while published_at is set;
 * - a note only when the coordinator marked it public (note_public);
 * - evidence only when it is not confidential and not testimony (testimony is never public,
 *   whatever its flag says);
 * - of a linked testimony, only the coordinator's anonymised excerpt, and only while the person's
 *   consent is anonymised or public and the testimony was not withdrawn: never its text, its
 *   contact or its id.
 */
@Injectable()
export class LedgerRepository {
  constructor(private readonly dataSource: DataSource) {}

  private p(n: number): string {
    return placeholder(this.dataSource, n);
  }

  findPublishedCycle(cycleId: number): Promise<ReviewCycle | null> {
    return this.dataSource.manager
      .createQueryBuilder(ReviewCycle, 'c')
      .where('c.id = :cycleId', { cycleId })
      .andWhere('c.published_at IS NOT NULL')
      .getOne();
  }

  /** How many of the cycle's recommendations are in each status, and how many public notes and evidence items it has. */
  async countForLedger(cycleId: number): Promise<{ byStatus: Map<ImplementationStatus, number>; publicNotes: number; publicEvidence: number }> {
    const [statuses, notes, evidence]: Record<string, unknown>[][] = await Promise.all([
      this.dataSource.query(`SELECT status, COUNT(*) AS n FROM recommendation WHERE cycle_id = ${this.p(1)} GROUP BY status`, [cycleId]),
      this.dataSource.query(
        `SELECT COUNT(*) AS n FROM status_change s JOIN recommendation r ON r.id = s.recommendation_id WHERE r.cycle_id = ${this.p(1)} AND s.note_public = TRUE`,
        [cycleId],
      ),
      this.dataSource.query(
        `SELECT COUNT(*) AS n FROM evidence e JOIN recommendation r ON r.id = e.recommendation_id
         WHERE r.cycle_id = ${this.p(1)} AND e.confidential = FALSE AND e.kind <> 'testimony' AND e.removed_at IS NULL`,
        [cycleId],
      ),
    ]);
    return {
      byStatus: new Map(statuses.map((row) => [row.status as ImplementationStatus, Number(row.n)])),
      publicNotes: Number(notes[0].n),
      publicEvidence: Number(evidence[0].n),
    };
  }

  /** One page of the cycle's recommendations, in id order. */
  async listRecommendations(cycleId: number, offset: number, limit: number): Promise<LedgerRecommendationRow[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT r.id, r.paragraph, r.text, r.response, r.status FROM recommendation r WHERE r.cycle_id = ${this.p(1)} ORDER BY r.id LIMIT ${this.p(2)} OFFSET ${this.p(3)}`,
      [cycleId, limit, offset],
    );
    return rows.map((row) => ({
      id: Number(row.id),
      paragraph: (row.paragraph as string | null) ?? null,
      text: String(row.text),
      response: row.response as RecommendationResponse,
      status: row.status as ImplementationStatus,
    }));
  }

  /** The recommending States of the cycle's recommendations with ids in [fromId, toId] (a page), in the order they were given. */
  async listRecommendingStates(cycleId: number, fromId: number, toId: number): Promise<LedgerTagRow[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT t.recommendation_id AS "recommendationId", t.value FROM recommendation_tag t JOIN recommendation r ON r.id = t.recommendation_id
       WHERE r.cycle_id = ${this.p(1)} AND r.id BETWEEN ${this.p(2)} AND ${this.p(3)} AND t.kind = 'recommending_state' ORDER BY t.recommendation_id, t.position`,
      [cycleId, fromId, toId],
    );
    return rows.map((row) => ({ recommendationId: Number(row.recommendationId), value: String(row.value) }));
  }

  /** Notes the coordinators marked public on a page of recommendations, oldest first; who wrote them is not selected. */
  async listPublicNotes(cycleId: number, fromId: number, toId: number): Promise<LedgerNoteRow[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT s.recommendation_id AS "recommendationId", s.from_status AS "fromStatus", s.to_status AS "toStatus", s.note, s.created_at AS "createdAt"
       FROM status_change s JOIN recommendation r ON r.id = s.recommendation_id
       WHERE r.cycle_id = ${this.p(1)} AND r.id BETWEEN ${this.p(2)} AND ${this.p(3)} AND s.note_public = TRUE ORDER BY s.recommendation_id, s.id`,
      [cycleId, fromId, toId],
    );
    return rows.map((row) => ({
      recommendationId: Number(row.recommendationId),
      fromStatus: row.fromStatus as ImplementationStatus,
      toStatus: row.toStatus as ImplementationStatus,
      note: String(row.note),
      createdAt: readSqlTime(row.createdAt as Date | string),
    }));
  }

  /** Public evidence of a page of recommendations. */
  async listPublicEvidence(cycleId: number, fromId: number, toId: number): Promise<LedgerEvidenceRow[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT e.id, e.recommendation_id AS "recommendationId", e.kind, e.title, e.url, e.file_name AS "fileName",
              CASE WHEN e.sha256 IS NULL THEN 0 ELSE 1 END AS "hasFile"
       FROM evidence e JOIN recommendation r ON r.id = e.recommendation_id
       WHERE r.cycle_id = ${this.p(1)} AND r.id BETWEEN ${this.p(2)} AND ${this.p(3)} AND e.confidential = FALSE AND e.kind <> 'testimony' AND e.removed_at IS NULL ORDER BY e.recommendation_id, e.id`,
      [cycleId, fromId, toId],
    );
    return rows.map((row) => ({
      id: Number(row.id),
      recommendationId: Number(row.recommendationId),
      kind: row.kind as EvidenceKind,
      title: String(row.title),
      url: (row.url as string | null) ?? null,
      fileName: (row.fileName as string | null) ?? null,
      hasFile: Number(row.hasFile) === 1,
    }));
  }

  /** The anonymised excerpts of testimonies linked to a page of recommendations (the rules above, in the WHERE clause). */
  async listPublicExcerpts(cycleId: number, fromId: number, toId: number): Promise<LedgerExcerptRow[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT DISTINCT e.recommendation_id AS "recommendationId", t.id AS "testimonyId", t.excerpt
       FROM evidence e JOIN recommendation r ON r.id = e.recommendation_id JOIN testimony t ON t.id = e.testimony_id AND t.coalition_id = r.coalition_id
       WHERE r.cycle_id = ${this.p(1)} AND r.id BETWEEN ${this.p(2)} AND ${this.p(3)} AND e.kind = 'testimony' AND e.removed_at IS NULL
         AND t.excerpt IS NOT NULL AND t.withdrawn_at IS NULL AND t.consent IN ('anonymised', 'public')
       ORDER BY e.recommendation_id, t.id`,
      [cycleId, fromId, toId],
    );
    return rows.map((row) => ({ recommendationId: Number(row.recommendationId), text: String(row.excerpt) }));
  }

  /**
   * The coalition's other published cycles of the same State: beside a State's review, the
   * coalition's own recommendations (a People's UPR cycle), and beside those, the State's reviews.
   */
  async listPublishedCyclesOfState(cycle: Pick<ReviewCycle, 'id' | 'coalitionId' | 'stateUnderReview'>): Promise<LedgerRelatedCycleRow[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT c.id, c.mechanism, c.number, c.state_under_review AS "stateUnderReview" FROM review_cycle c
       WHERE c.coalition_id = ${this.p(1)} AND c.state_under_review = ${this.p(2)} AND c.id <> ${this.p(3)} AND c.published_at IS NOT NULL
       ORDER BY c.number DESC, c.id DESC`,
      [cycle.coalitionId, cycle.stateUnderReview, cycle.id],
    );
    return rows.map((row) => ({ id: Number(row.id), mechanism: row.mechanism as Mechanism, number: Number(row.number), stateUnderReview: String(row.stateUnderReview) }));
  }

  /** An uploaded file, only if its cycle is published and the item is public (same rules as listPublicEvidence). */
  async findPublicFile(cycleId: number, evidenceId: number): Promise<LedgerFileRow | null> {
    const [row]: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT e.sha256, e.file_name AS "fileName", e.mime_type AS "mimeType"
       FROM evidence e JOIN recommendation r ON r.id = e.recommendation_id JOIN review_cycle c ON c.id = r.cycle_id
       WHERE e.id = ${this.p(1)} AND c.id = ${this.p(2)} AND c.published_at IS NOT NULL
         AND e.confidential = FALSE AND e.kind <> 'testimony' AND e.removed_at IS NULL AND e.sha256 IS NOT NULL`,
      [evidenceId, cycleId],
    );
    return row ? { sha256: String(row.sha256), fileName: (row.fileName as string | null) ?? null, mimeType: (row.mimeType as string | null) ?? null } : null;
  }
}
