import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AccountsRepository } from '../accounts/accounts.repository';
import { CyclesRepository } from '../cycles/cycles.repository';
import { type Notice, NotificationOutbox } from '../notifications/notification-outbox';
import { type DeadlinePayload, excerpt } from '../notifications/notification-payload';
import { planReminders } from '../notifications/reminder-schedule';
import { RecommendationsRepository } from '../recommendations/recommendations.repository';
import { cycleLabel } from '../vocabulary/cycle.vocabulary';
import type { NotificationKind } from '../vocabulary/notification.vocabulary';
import type { Deadline } from './deadline.entity';
import { DeadlinesRepository } from './deadlines.repository';

/**
 * The notices a deadline causes, handed to the outbox in the caller's transaction: reminders before
 * it, in each recipient's time zone at the coalition's hour, and an overdue or evidence-due notice
 * when it passes. Every notice has a deterministic key: planning the same version twice is harmless.
 */
@Injectable()
export class DeadlineNotices {
  constructor(
    private readonly outbox: NotificationOutbox,
    private readonly deadlines: DeadlinesRepository,
    private readonly recommendations: RecommendationsRepository,
    private readonly cycles: CyclesRepository,
    private readonly accounts: AccountsRepository,
  ) {}

  /**
   * (Re)plans a deadline's reminders and overdue notice after it was created or edited. Notices of
   * older versions are cancelled first; a deleted or done deadline keeps none.
   */
  async plan(deadline: Deadline, manager: EntityManager, now: Date): Promise<void> {
    if (deadline.deletedAt || deadline.state !== 'open') {
      await this.outbox.cancelDeadlineNotices(deadline.id, null, deadline.deletedAt ? 'deadline deleted' : 'deadline done', manager);
      return;
    }
    await this.outbox.cancelDeadlineNotices(deadline.id, deadline.version, 'deadline changed', manager);

    // One after another: these share the caller's transaction, i.e. one connection.
    const policy = await this.outbox.reminderPolicy(deadline.coalitionId, manager);
    const assigneeIds = new Set((await this.deadlines.loadAssignees([deadline.id], manager)).get(deadline.id) ?? []);
    const { payload, recommendationId } = await this.payload(deadline, manager);
    const ownerIds = recommendationId ? ((await this.recommendations.loadOwners([recommendationId], manager)).get(recommendationId) ?? []) : [];
    const recipients = await this.accounts.findActiveUsers([...new Set([...assigneeIds, ...ownerIds])], manager);
    const notices: Notice[] = [];
    const base = { coalitionId: deadline.coalitionId, deadlineId: deadline.id, deadlineVersion: deadline.version, recommendationId: deadline.recommendationId };
    for (const user of recipients) {
      for (const reminder of planReminders(deadline, user.timeZone, policy, now)) {
        notices.push({
          ...base,
          key: `reminder:${deadline.id}:${deadline.version}:${reminder.offsetDays}:${user.id}`,
          recipientId: user.id,
          kind: 'deadline_reminder',
          dueAt: reminder.dueAt,
          critical: false,
          payload: JSON.stringify({ ...payload, offsetDays: reminder.offsetDays }),
        });
      }
      // Evidence deadlines get an evidence-due notice (sent only if no evidence arrived); others an overdue notice.
      const closing: NotificationKind = deadline.kind === 'evidence_due' && deadline.recommendationId ? 'evidence_due' : 'deadline_overdue';
      if (policy.overdueNotice || closing === 'evidence_due') {
        notices.push({
          ...base,
          key: `${closing}:${deadline.id}:${deadline.version}:${user.id}`,
          recipientId: user.id,
          kind: closing,
          dueAt: deadline.dueAt,
          // The people the deadline is assigned to must hear that it passed, whatever their settings.
          critical: assigneeIds.has(user.id),
          payload: JSON.stringify(payload),
        });
      }
    }
    await this.outbox.enqueue(notices, manager);
  }

  /**
   * A deleted deadline keeps no pending notices, and whoever was already reminded of it gets one
   * cancellation carrying an iCalendar CANCEL, so the event leaves their calendar too.
   */
  async cancel(deadline: Deadline, manager: EntityManager, now: Date): Promise<void> {
    await this.outbox.cancelDeadlineNotices(deadline.id, null, 'deadline deleted', manager);
    const reminded = await this.outbox.recipientsSentAbout(deadline.id, manager);
    if (reminded.length === 0) return;
    const { payload } = await this.payload(deadline, manager);
    await this.outbox.enqueue(
      reminded.map((recipientId) => ({
        key: `deadline_cancelled:${deadline.id}:${recipientId}`,
        coalitionId: deadline.coalitionId,
        recipientId,
        kind: 'deadline_cancelled' as const,
        dueAt: now,
        deadlineId: null, // not tied to a version: it must go out although the deadline is gone
        deadlineVersion: null,
        recommendationId: deadline.recommendationId,
        critical: false,
        payload: JSON.stringify(payload),
      })),
      manager,
    );
  }

  private async payload(deadline: Deadline, manager: EntityManager): Promise<{ payload: DeadlinePayload; recommendationId: number | null }> {
    const cycle = await this.cycles.findById(deadline.cycleId, manager);
    if (!cycle) throw new Error(`deadline ${deadline.id} refers to cycle ${deadline.cycleId}, which does not exist`);
    const recommendation = deadline.recommendationId ? await this.recommendations.findInCoalition(deadline.coalitionId, deadline.recommendationId, manager) : null;
    const payload: DeadlinePayload = {
      deadline: {
        id: deadline.id,
        version: deadline.version,
        kind: deadline.kind,
        title: deadline.title,
        dueDate: deadline.dueDate,
        dueTime: deadline.dueTime,
        timeZone: deadline.timeZone,
        dueAt: deadline.dueAt.toISOString(),
      },
      recommendation: recommendation ? { id: recommendation.id, paragraph: recommendation.paragraph, excerpt: excerpt(recommendation.text) } : null,
      cycle: { id: cycle.id, label: cycleLabel(cycle), mechanism: cycle.mechanism, number: cycle.number, stateUnderReview: cycle.stateUnderReview },
    };
    return { payload, recommendationId: recommendation?.id ?? null };
  }
}
