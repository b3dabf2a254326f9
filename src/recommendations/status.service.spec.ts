import { BadRequestException } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import type { Clock } from '../common/clock';
import type { ReviewCycle } from '../cycles/review-cycle.entity';
import type { ChangeNotices, StatusChangeEvent } from './change-notices';
import type { AuditLog } from '../audit/audit-log';
import type { CitedEvidence, EvidenceCitations } from './evidence-citations';
import type { RecommendationAccess } from './recommendation-access.service';
import type { Recommendation } from './recommendation.entity';
import type { RecommendationDetailResponse } from './recommendations.dto';
import type { RecommendationPeople, RecommendationsRepository } from './recommendations.repository';
import type { RecommendationsService } from './recommendations.service';
import { StatusService } from './status.service';
import { strictMock } from '../../test/support/strict-mock';

const RECOMMENDATION_ID = 5;
const auth: AuthUser = { id: 3, coalitionId: 1, role: 'coordinator', email: 'coordinator@example.org', name: 'Coordinator' };
// The transaction is only handed on: with no methods, any query the service made itself would fail.
const manager = Object.freeze({}) as EntityManager;
const now = new Date('2026-03-01T10:00:00Z');
const public1: CitedEvidence = { id: 11, title: 'Gazette: law adopted', confidential: false };
const testimony: CitedEvidence = { id: 12, title: 'Testimony of a detainee', confidential: true };
const people: RecommendationPeople = { ownerIds: [4], followerIds: [3, 6], activeIds: new Set([3, 4, 6]) };

/** The service with strict stand-ins for its collaborators; by default only the reads before any write. */
function statusService(citations: EvidenceCitations, overrides: { recommendations?: object; notices?: object; details?: object; audit?: object } = {}) {
  const recommendation = { id: RECOMMENDATION_ID, coalitionId: 1, cycleId: 2, status: 'in_progress' } as Recommendation;
  return new StatusService(
    strictMock<DataSource>('dataSource', { transaction: (work: (m: EntityManager) => Promise<unknown>) => work(manager) }),
    strictMock<RecommendationsRepository>('recommendations', overrides.recommendations),
    strictMock<RecommendationAccess>('access', { getChangeable: jest.fn().mockResolvedValue({ recommendation, cycle: { id: 2 } as ReviewCycle, followedInCycleId: 2, everCarried: false }) }),
    strictMock<RecommendationsService>('details', overrides.details),
    strictMock<ChangeNotices>('notices', overrides.notices),
    strictMock<Clock>('clock', { now: () => now }),
    citations,
    strictMock<AuditLog>('audit', overrides.audit),
  );
}

describe('StatusService', () => {
  it('should refuse with 400 naming the cited evidence the recommendation does not have, and write nothing, when the port leaves some out', async () => {
    const citable = jest.fn().mockResolvedValue([public1]);
    const service = statusService(strictMock<EvidenceCitations>('citations', { citable }));

    const refusal = service.change(auth, RECOMMENDATION_ID, { status: 'fully_implemented', note: 'Ratified', evidenceIds: [11, 12, 13] });

    await expect(refusal).rejects.toBeInstanceOf(BadRequestException);
    await expect(refusal.catch((error: BadRequestException) => error.getResponse())).resolves.toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'evidenceIds: evidence 12, 13 does not belong to recommendation 5',
      details: [{ field: 'evidenceIds', problem: 'not evidence of this recommendation: 12, 13' }],
    });
    expect(citable).toHaveBeenCalledTimes(1);
    expect(citable).toHaveBeenCalledWith(RECOMMENDATION_ID, [11, 12, 13], manager);
  });

  it("should hand the port's evidence to the change notices, without reading it again, when every cited item is the recommendation's", async () => {
    const cited = [public1, testimony];
    const citable = jest.fn().mockResolvedValue(cited);
    const statusChanged = jest.fn().mockResolvedValue(undefined);
    const linkEvidence = jest.fn().mockResolvedValue(undefined);
    const record = jest.fn().mockResolvedValue(undefined);
    const peopleOf = jest.fn().mockResolvedValue(people);
    const answer = { id: RECOMMENDATION_ID } as RecommendationDetailResponse;
    const detail = jest.fn().mockResolvedValue(answer);
    const service = statusService(strictMock<EvidenceCitations>('citations', { citable }), {
      recommendations: { updateStatusIfUnchanged: jest.fn().mockResolvedValue(true), insertStatusChange: jest.fn().mockResolvedValue(40), linkEvidence, peopleOf },
      notices: { statusChanged },
      details: { detail },
      audit: { record },
    });

    await expect(service.change(auth, RECOMMENDATION_ID, { status: 'fully_implemented', note: 'Ratified', evidenceIds: [11, 12] })).resolves.toBe(answer);

    expect(citable).toHaveBeenCalledTimes(1);
    expect(linkEvidence).toHaveBeenCalledWith(40, [11, 12], manager);
    expect(record).toHaveBeenCalledWith(
      expect.objectContaining({ entity: 'recommendation', entityId: RECOMMENDATION_ID, action: 'status_changed', before: { status: 'in_progress' }, after: { status: 'fully_implemented', statusChangeId: 40, evidenceIds: [11, 12] } }),
      manager,
    );
    const [event] = statusChanged.mock.calls[0] as [StatusChangeEvent];
    expect(event).toMatchObject({ statusChangeId: 40, from: 'in_progress', to: 'fully_implemented', evidence: cited, at: now, people });
    // The people read for the notices are the answer's owners and followers: the detail does not read them again.
    expect(detail).toHaveBeenCalledWith(auth, expect.objectContaining({ id: RECOMMENDATION_ID, status: 'fully_implemented', updatedAt: now }), { people, noCarries: true });
  });

  it('should not ask the port when the change cites no evidence', async () => {
    const statusChanged = jest.fn().mockResolvedValue(undefined);
    const service = statusService(strictMock<EvidenceCitations>('citations'), {
      recommendations: {
        updateStatusIfUnchanged: jest.fn().mockResolvedValue(true),
        insertStatusChange: jest.fn().mockResolvedValue(41),
        linkEvidence: jest.fn().mockResolvedValue(undefined),
        peopleOf: jest.fn().mockResolvedValue(people),
      },
      notices: { statusChanged },
      details: { detail: jest.fn().mockResolvedValue({ id: RECOMMENDATION_ID }) },
      audit: { record: jest.fn().mockResolvedValue(undefined) },
    });

    await expect(service.change(auth, RECOMMENDATION_ID, { status: 'regressed', note: 'Law repealed' })).resolves.toEqual({ id: RECOMMENDATION_ID });
    expect(statusChanged).toHaveBeenCalledWith(expect.objectContaining({ evidence: [] }), manager);
  });
});
