import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Coalition } from '../accounts/coalition.entity';
import { ReviewCycle } from '../cycles/review-cycle.entity';
import { Deadline, DeadlineAssignee } from '../deadlines/deadline.entity';
import { RecommendationOwner } from '../recommendations/recommendation-person.entity';
import { Recommendation } from '../recommendations/recommendation.entity';
import type { ImplementationStatus, RecommendationResponse } from '../vocabulary/recommendation.vocabulary';
import { ChangePayload, DeadlinePayload, excerpt } from './notification-payload';
import type { NotificationKind } from '../vocabulary/notification.vocabulary';
import { NewNotification, NotificationsRepository } from './notifications.repository';
import { policyOf } from './reminder-policy';
import { planReminders } from './reminder-schedule';
import { cycleLabel } from '../vocabulary/cycle.vocabulary';

export interface StatusChangeEvent {
  statusChangeId: number;
  recommendation: Recommendation;
  /** The recommendation's cycle, when the caller has it already (saves reading it again). */
  cycle?: ReviewCycle;
  actor: { id: number; name: string };
  from: ImplementationStatus;
  to: ImplementationStatus;
  note: string;
  /** The evidence the change cites, as the caller already read it (the notice names public titles only). */
  evidence: { title: string; confidential: boolean }[];
  at: Date;
}

export interface ResponseChangeEvent {
  recommendation: Recommendation;
  actor: { id: number; name: string };
  from: RecommendationResponse;
  to: RecommendationResponse;
  at: Date;
}

/**
 * Writes the outbox rows a change causes, inside the caller's transaction, so the change and its
 * notifications commit together or not at all. Every row has a deterministic key: planning the
 * same thing twice is harmless.
 */
@Injectable()
export class NotificationPlanner {
  constructor(private readonly notifications: NotificationsRepository) {}

  /**
   * (Re)plans a deadline's reminders and overdue notice after it was created or edited. Notices of
   * older versions are cancelled first; a deleted or done deadline keeps none.
   */
  async planDeadline(deadline: Deadline, manager: EntityManager, now: Date): Promise<void> {
    if (deadline.deletedAt || deadline.state !== 'open') {
      await this.notifications.cancelPendingForDeadline(deadline.id, null, deadline.deletedAt ? 'deadline deleted' : 'deadline done', manager);
      return;
    }
    await this.notifications.cancelPendingForDeadline(deadline.id, deadline.version, 'deadline changed', manager);

    // One after another: these share the caller's transaction, i.e. one connection.
    const coalition = await manager.findOneByOrFail(Coalition, { id: deadline.coalitionId });
    const assignees = await manager.find(DeadlineAssignee, { where: { deadlineId: deadline.id } });
    const { payload, recommendation } = await this.deadlinePayload(deadline, manager);
    const owners = recommendation ? await manager.find(RecommendationOwner, { where: { recommendationId: recommendation.id } }) : [];
    const assigneeIds = new Set(assignees.map((a) => a.userId));
    const recipients = await this.notifications.usersByIds([...new Set([...assigneeIds, ...owners.map((o) => o.userId)])], manager);
    const policy = policyOf(coalition);
    const rows: NewNotification[] = [];
    const base = { coalitionId: deadline.coalitionId, deadlineId: deadline.id, deadlineVersion: deadline.version, recommendationId: deadline.recommendationId };
    for (const user of recipients) {
      for (const reminder of planReminders(deadline, user.timeZone, policy, now)) {
        rows.push({
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
        rows.push({
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
    await this.notifications.insertIgnoringDuplicates(rows, manager);
  }

  /**
   * A deleted deadline keeps no pending notices, and whoever was already reminded of it gets one
   * cancellation carrying an iCalendar CANCEL, so the event leaves their calendar too.
   */
  async cancelDeadline(deadline: Deadline, manager: EntityManager, now: Date): Promise<void> {
    await this.notifications.cancelPendingForDeadline(deadline.id, null, 'deadline deleted', manager);
    const reminded = await this.notifications.recipientsSentAbout(deadline.id, manager);
    if (reminded.length === 0) return;
    const { payload } = await this.deadlinePayload(deadline, manager);
    await this.notifications.insertIgnoringDuplicates(
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

  private async deadlinePayload(deadline: Deadline, manager: EntityManager): Promise<{ payload: DeadlinePayload; recommendation: Recommendation | null }> {
    const cycle = await manager.findOneByOrFail(ReviewCycle, { id: deadline.cycleId });
    const recommendation = deadline.recommendationId ? await manager.findOneBy(Recommendation, { id: deadline.recommendationId }) : null;
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
      cycle: { id: cycle.id, label: cycleLabel(cycle) },
    };
    return { payload, recommendation };
  }

  /** Tells the owners and followers (not the person who made it) that a status changed. */
  async planStatusChange(event: StatusChangeEvent, manager: EntityManager): Promise<void> {
    await this.planChange('status_change', `status:${event.statusChangeId}`, event.recommendation, event.actor, {
      from: event.from,
      to: event.to,
      note: event.note,
      evidenceCount: event.evidence.length,
      // Titles of confidential evidence can themselves identify people: only public ones are named.
      evidenceTitles: event.evidence.filter((e) => !e.confidential).map((e) => e.title),
      at: event.at.toISOString(),
    }, event.at, manager, event.cycle);
  }

  async planResponseChange(event: ResponseChangeEvent, manager: EntityManager): Promise<void> {
    await this.planChange('response_change', `response:${event.recommendation.id}:${event.at.getTime()}`, event.recommendation, event.actor, {
      from: event.from,
      to: event.to,
      note: null,
      evidenceCount: 0,
      evidenceTitles: [],
      at: event.at.toISOString(),
    }, event.at, manager);
  }

  private async planChange(
    kind: NotificationKind,
    keyPrefix: string,
    recommendation: Recommendation,
    actor: { id: number; name: string },
    change: Omit<ChangePayload, 'recommendation' | 'cycle' | 'changedBy'>,
    at: Date,
    manager: EntityManager,
    knownCycle?: ReviewCycle,
  ): Promise<void> {
    // Every status change runs this: one query for the recipients, none for a cycle already read.
    const recipientIds = await this.notifications.ownersAndFollowers(recommendation.id, actor.id, manager);
    if (recipientIds.length === 0) return;
    const cycle = knownCycle?.id === recommendation.cycleId ? knownCycle : await manager.findOneByOrFail(ReviewCycle, { id: recommendation.cycleId });
    const payload: ChangePayload = {
      recommendation: { id: recommendation.id, paragraph: recommendation.paragraph, excerpt: excerpt(recommendation.text) },
      cycle: { id: cycle.id, label: cycleLabel(cycle) },
      changedBy: actor.name,
      ...change,
    };
    await this.notifications.insertIgnoringDuplicates(
      recipientIds.map((recipientId) => ({
        key: `${keyPrefix}:${recipientId}`,
        coalitionId: recommendation.coalitionId,
        recipientId,
        kind,
        dueAt: at,
        deadlineId: null,
        deadlineVersion: null,
        recommendationId: recommendation.id,
        critical: false,
        payload: JSON.stringify(payload),
      })),
      manager,
    );
  }
}

