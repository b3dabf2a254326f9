import type { EntityManager } from 'typeorm';
import type { CyclesRepository } from '../cycles/cycles.repository';
import type { ReviewCycle } from '../cycles/review-cycle.entity';
import type { Notice, NotificationOutbox } from '../notifications/notification-outbox';
import { strictMock } from '../../test/support/strict-mock';
import { ChangeNotices } from './change-notices';
import type { Recommendation } from './recommendation.entity';
import type { RecommendationPeople, RecommendationsRepository } from './recommendations.repository';

const manager = Object.freeze({}) as EntityManager;
const at = new Date('2027-03-01T10:00:00Z');
const cycle = { id: 2, mechanism: 'upr', number: 4, stateUnderReview: 'Chile' } as ReviewCycle;
const recommendation = { id: 7, coalitionId: 1, cycleId: 2, paragraph: '110.5', text: 'Abolish the death penalty' } as Recommendation;
const actor = { id: 3, name: 'Coordinator' };

function changeNotices(people: RecommendationPeople, enqueue = jest.fn().mockResolvedValue(undefined)) {
  const peopleOf = jest.fn().mockResolvedValue(people);
  const service = new ChangeNotices(
    strictMock<NotificationOutbox>('outbox', { enqueue }),
    strictMock<RecommendationsRepository>('recommendations', { peopleOf }),
    // The cycle is handed in by the status change: asking for it again would fail the test.
    strictMock<CyclesRepository>('cycles'),
  );
  return { service, enqueue, peopleOf };
}

/** 8 both owns and follows; 6 is deactivated; the actor (3) follows. */
const people: RecommendationPeople = { ownerIds: [5, 8], followerIds: [8, 3, 6], activeIds: new Set([3, 5, 8]) };

describe('ChangeNotices', () => {
  it('should tell the active owners and followers but the actor, naming only the public evidence, with one key per change and person', async () => {
    const { service, enqueue, peopleOf } = changeNotices(people);

    await service.statusChanged({
      statusChangeId: 40, recommendation, cycle, actor, from: 'in_progress', to: 'fully_implemented', note: 'Ratified',
      evidence: [{ title: 'Gazette', confidential: false }, { title: 'Testimony of a detainee', confidential: true }], at,
    }, manager);

    expect(peopleOf).toHaveBeenCalledWith(7, manager);
    const notices = enqueue.mock.calls[0][0] as Notice[];
    expect(notices.map((n) => [n.key, n.recipientId, n.kind, n.critical])).toEqual([
      ['status:40:5', 5, 'status_change', false],
      ['status:40:8', 8, 'status_change', false],
    ]);
    const payload = JSON.parse(notices[0].payload);
    expect(payload).toMatchObject({ changedBy: 'Coordinator', evidenceCount: 2, evidenceTitles: ['Gazette'], cycle: { id: 2 } });
    expect(notices[0].payload).not.toContain('detainee');
  });

  it('should enqueue nothing when no one but the actor owns or follows the recommendation', async () => {
    const { service, enqueue } = changeNotices({ ownerIds: [3], followerIds: [3], activeIds: new Set([3]) });
    await service.responseChanged({ recommendation, actor, from: 'pending', to: 'supported', at }, manager);
    expect(enqueue).not.toHaveBeenCalled();
  });

  it('should tell the people the caller hands in without reading them again', async () => {
    const { service, enqueue, peopleOf } = changeNotices({ ownerIds: [], followerIds: [], activeIds: new Set() });
    await service.statusChanged({
      statusChangeId: 41, recommendation, cycle, actor, from: 'not_started', to: 'in_progress', note: 'Begun', evidence: [], at,
      people: { ownerIds: [9], followerIds: [3, 4], activeIds: new Set([3, 4, 9]) },
    }, manager);
    expect(peopleOf).not.toHaveBeenCalled();
    expect((enqueue.mock.calls[0][0] as Notice[]).map((n) => n.key)).toEqual(['status:41:4', 'status:41:9']);
  });
});
