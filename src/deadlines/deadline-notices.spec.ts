import type { EntityManager } from 'typeorm';
import type { AccountsRepository } from '../accounts/accounts.repository';
import type { User } from '../accounts/user.entity';
import type { CyclesRepository } from '../cycles/cycles.repository';
import type { ReviewCycle } from '../cycles/review-cycle.entity';
import type { Notice, NotificationOutbox } from '../notifications/notification-outbox';
import type { Recommendation } from '../recommendations/recommendation.entity';
import type { RecommendationsRepository } from '../recommendations/recommendations.repository';
import { strictMock } from '../../test/support/strict-mock';
import { DeadlineNotices } from './deadline-notices';
import type { Deadline } from './deadline.entity';
import type { DeadlinesRepository } from './deadlines.repository';

// The transaction is only handed on: with no methods, a query the service made itself would fail.
const manager = Object.freeze({}) as EntityManager;
const now = new Date('2027-03-01T08:00:00Z');
const cycle = { id: 2, mechanism: 'upr', number: 4, stateUnderReview: 'Chile' } as ReviewCycle;
const recommendation = { id: 7, coalitionId: 1, cycleId: 2, paragraph: '110.5', text: 'Abolish the death penalty' } as Recommendation;

function deadline(overrides: Partial<Deadline> = {}): Deadline {
  return {
    id: 30, coalitionId: 1, cycleId: 2, recommendationId: 7, kind: 'evidence_due', title: 'Gazette', dueDate: '2027-03-20', dueTime: '17:00',
    timeZone: 'UTC', dueAt: new Date('2027-03-20T17:00:00Z'), state: 'open', version: 3, deletedAt: null, createdAt: now, ...overrides,
  } as Deadline;
}

/** DeadlineNotices with strict stand-ins: assignee 11 (Berlin), owner 12 (active), owner 13 (deactivated: accounts leaves it out). */
function notices(enqueue: jest.Mock, cancel = jest.fn().mockResolvedValue(undefined)) {
  const outbox = strictMock<NotificationOutbox>('outbox', {
    cancelDeadlineNotices: cancel,
    reminderPolicy: jest.fn().mockResolvedValue({ offsetsDays: [14, 7], hour: 9, overdueNotice: true }),
    enqueue,
  });
  const deadlines = strictMock<DeadlinesRepository>('deadlines', { loadAssignees: jest.fn().mockResolvedValue(new Map([[30, [11]]])) });
  const recommendations = strictMock<RecommendationsRepository>('recommendations', {
    findInCoalition: jest.fn().mockResolvedValue(recommendation),
    loadOwners: jest.fn().mockResolvedValue(new Map([[7, [12, 13]]])),
  });
  const cycles = strictMock<CyclesRepository>('cycles', { findById: jest.fn().mockResolvedValue(cycle) });
  const findActiveUsers = jest.fn().mockResolvedValue([{ id: 11, timeZone: 'Europe/Berlin' }, { id: 12, timeZone: 'UTC' }] as User[]);
  const accounts = strictMock<AccountsRepository>('accounts', { findActiveUsers });
  return { service: new DeadlineNotices(outbox, deadlines, recommendations, cycles, accounts), findActiveUsers, cancel };
}

describe('DeadlineNotices', () => {
  it("should plan each active recipient's reminders in their own time zone, and a critical closing notice for the assignee only", async () => {
    const enqueue = jest.fn().mockResolvedValue(undefined);
    const { service, findActiveUsers, cancel } = notices(enqueue);

    await service.plan(deadline(), manager, now);

    expect(cancel).toHaveBeenCalledWith(30, 3, 'deadline changed', manager);
    expect(findActiveUsers).toHaveBeenCalledWith([11, 12, 13], manager);
    const planned = enqueue.mock.calls[0][0] as Notice[];
    expect(planned.map((n) => [n.key, n.recipientId, n.dueAt.toISOString(), n.critical])).toEqual([
      ['reminder:30:3:14:11', 11, '2027-03-06T08:00:00.000Z', false], // 09:00 in Berlin
      ['reminder:30:3:7:11', 11, '2027-03-13T08:00:00.000Z', false],
      ['evidence_due:30:3:11', 11, '2027-03-20T17:00:00.000Z', true],
      ['reminder:30:3:14:12', 12, '2027-03-06T09:00:00.000Z', false],
      ['reminder:30:3:7:12', 12, '2027-03-13T09:00:00.000Z', false],
      ['evidence_due:30:3:12', 12, '2027-03-20T17:00:00.000Z', false],
    ]);
    expect(JSON.parse(planned[0].payload)).toMatchObject({ recommendation: { id: 7, paragraph: '110.5' }, cycle: { id: 2, label: expect.stringContaining('Chile') }, offsetDays: 14 });
  });

  it('should only cancel, and plan nothing, for a deadline that is done', async () => {
    const enqueue = jest.fn();
    const { service, cancel } = notices(enqueue);

    await service.plan(deadline({ state: 'done' }), manager, now);

    expect(cancel).toHaveBeenCalledWith(30, null, 'deadline done', manager);
    expect(enqueue).not.toHaveBeenCalled();
  });
});
