import type { EntityManager } from 'typeorm';
import type { AccountsRepository } from '../accounts/accounts.repository';
import type { CyclesRepository } from '../cycles/cycles.repository';
import type { ReviewCycle } from '../cycles/review-cycle.entity';
import type { Notice, NotificationOutbox } from '../notifications/notification-outbox';
import { strictMock } from '../../test/support/strict-mock';
import { ChangeNotices } from './change-notices';
import type { Recommendation } from './recommendation.entity';
import type { RecommendationsRepository } from './recommendations.repository';

const manager = Object.freeze({}) as EntityManager;
const at = new Date('2027-03-01T10:00:00Z');
const cycle = { id: 2, mechanism: 'upr', number: 4, stateUnderReview: 'Chile' } as ReviewCycle;
const recommendation = { id: 7, coalitionId: 1, cycleId: 2, paragraph: '110.5', text: 'Abolish the death penalty' } as Recommendation;
const actor = { id: 3, name: 'Coordinator' };

function changeNotices(people: number[], active: number[], enqueue = jest.fn().mockResolvedValue(undefined)) {
  const ownerAndFollowerIds = jest.fn().mockResolvedValue(people);
  const activeUserIds = jest.fn().mockResolvedValue(active);
  const service = new ChangeNotices(
    strictMock<NotificationOutbox>('outbox', { enqueue }),
    strictMock<RecommendationsRepository>('recommendations', { ownerAndFollowerIds }),
    // The cycle is handed in by the status change: asking for it again would fail the test.
    strictMock<CyclesRepository>('cycles'),
    strictMock<AccountsRepository>('accounts', { activeUserIds }),
  );
  return { service, enqueue, ownerAndFollowerIds, activeUserIds };
}

describe('ChangeNotices', () => {
  it('should tell the active owners and followers but the actor, naming only the public evidence, with one key per change and person', async () => {
    const { service, enqueue, ownerAndFollowerIds, activeUserIds } = changeNotices([5, 6, 8], [5, 8]);

    await service.statusChanged({
      statusChangeId: 40, recommendation, cycle, actor, from: 'in_progress', to: 'fully_implemented', note: 'Ratified',
      evidence: [{ title: 'Gazette', confidential: false }, { title: 'Testimony of a detainee', confidential: true }], at,
    }, manager);

    expect(ownerAndFollowerIds).toHaveBeenCalledWith(7, 3, manager);
    expect(activeUserIds).toHaveBeenCalledWith([5, 6, 8], manager);
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
    const { service, enqueue } = changeNotices([], []);
    await service.responseChanged({ recommendation, actor, from: 'pending', to: 'supported', at }, manager);
    expect(enqueue).not.toHaveBeenCalled();
  });
});
