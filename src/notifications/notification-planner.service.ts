import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { ReviewCycle } from '../cycles/review-cycle.entity';
import { Evidence } from '../evidence/evidence.entity';
import { Recommendation } from '../recommendations/recommendation.entity';
import type { ImplementationStatus, RecommendationResponse } from '../vocabulary/recommendation.vocabulary';
import { ChangePayload, excerpt } from './notification-payload';
import type { NotificationKind } from '../vocabulary/notification.vocabulary';
import { NotificationsRepository } from './notifications.repository';
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
  evidenceIds: number[];
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

  /** Tells the owners and followers (not the person who made it) that a status changed. */
  async planStatusChange(event: StatusChangeEvent, manager: EntityManager): Promise<void> {
    const evidence = event.evidenceIds.length > 0 ? await manager.find(Evidence, { where: { id: In(event.evidenceIds) } }) : [];
    await this.planChange('status_change', `status:${event.statusChangeId}`, event.recommendation, event.actor, {
      from: event.from,
      to: event.to,
      note: event.note,
      evidenceCount: evidence.length,
      // Titles of confidential evidence can themselves identify people: only public ones are named.
      evidenceTitles: evidence.filter((e) => !e.confidential).map((e) => e.title),
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

