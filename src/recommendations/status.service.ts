import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import type { AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { conflict } from '../common/errors';
import { ChangeNotices } from './change-notices';
import { EVIDENCE_CITATIONS, type CitedEvidence, type EvidenceCitations } from './evidence-citations';
import { allowedNextStatuses, refuseTransition } from './lifecycle';
import { RecommendationAccess } from './recommendation-access.service';
import { ChangeStatusDto, RecommendationDetailResponse } from './recommendations.dto';
import { RecommendationsRepository } from './recommendations.repository';
import { RecommendationsService } from './recommendations.service';

@Injectable()
export class StatusService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly recommendations: RecommendationsRepository,
    private readonly access: RecommendationAccess,
    private readonly details: RecommendationsService,
    private readonly notices: ChangeNotices,
    private readonly clock: Clock,
    @Inject(EVIDENCE_CITATIONS) private readonly citations: EvidenceCitations,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Moves a recommendation to a new status. The new status, its history entry and the evidence it
   * cites commit together or not at all; a refused change is a 409 with the reason and the
   * statuses that are allowed next.
   */
  async change(auth: AuthUser, id: number, dto: ChangeStatusDto): Promise<RecommendationDetailResponse> {
    const evidenceIds = dto.evidenceIds ?? [];
    const { changed, known } = await this.dataSource.transaction(async (manager) => {
      const { recommendation, cycle, everCarried } = await this.access.getChangeable(auth, id, manager);
      const evidence = await this.citedEvidenceOf(id, evidenceIds, manager);
      const from = recommendation.status;
      const refusal = refuseTransition(from, dto.status, evidenceIds.length);
      if (refusal) {
        throw conflict(refusal.reason, {
          field: refusal.field, currentStatus: from, requestedStatus: dto.status, allowedNextStatuses: refusal.allowedNextStatuses,
        });
      }
      const now = this.clock.now();
      if (!(await this.recommendations.updateStatusIfUnchanged(id, from, dto.status, now, manager))) {
        const current = (await this.recommendations.findInCoalition(auth.coalitionId, id, manager))?.status ?? from;
        throw conflict(`Someone else changed this recommendation's status to ${current} meanwhile; reload and try again`, {
          currentStatus: current,
          requestedStatus: dto.status,
          allowedNextStatuses: allowedNextStatuses(current),
        });
      }
      const changeId = await this.recommendations.insertStatusChange(
        { recommendationId: id, changedById: auth.id, fromStatus: from, toStatus: dto.status, note: dto.note, notePublic: dto.notePublic ?? false, createdAt: now },
        manager,
      );
      await this.recommendations.linkEvidence(changeId, evidenceIds, manager);
      await this.audit.record({
        coalitionId: auth.coalitionId, actor: auth, entity: 'recommendation', entityId: id, action: 'status_changed', at: now,
        before: { status: from }, after: { status: dto.status, statusChangeId: changeId, evidenceIds },
      }, manager);
      // Read once: told of the change, and named in the answer (owners, followers).
      const people = await this.recommendations.peopleOf(id, manager);
      // Owners and followers are told in the same transaction: no change without its notices.
      await this.notices.statusChanged(
        { statusChangeId: changeId, recommendation, cycle, actor: { id: auth.id, name: auth.name }, from, to: dto.status, note: dto.note, evidence, at: now, people },
        manager,
      );
      // What the row now holds, as written above: the answer need not read it again.
      return { changed: Object.assign(recommendation, { status: dto.status, updatedAt: now }), known: { people, noCarries: !everCarried } };
    });
    return this.details.detail(auth, changed, known);
  }

  /**
   * Cited evidence must exist and belong to this recommendation. One query, whose titles the notices
   * reuse; none when nothing is cited (most changes).
   */
  private async citedEvidenceOf(recommendationId: number, evidenceIds: number[], manager: EntityManager): Promise<CitedEvidence[]> {
    if (evidenceIds.length === 0) return [];
    const found = await this.citations.citable(recommendationId, evidenceIds, manager);
    const known = new Set(found.map((e) => e.id));
    const missing = evidenceIds.filter((e) => !known.has(e));
    if (missing.length === 0) return found;
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: `evidenceIds: evidence ${missing.join(', ')} does not belong to recommendation ${recommendationId}`,
      details: [{ field: 'evidenceIds', problem: `not evidence of this recommendation: ${missing.join(', ')}` }],
    });
  }
}
