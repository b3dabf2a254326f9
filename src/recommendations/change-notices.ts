import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CyclesRepository } from '../cycles/cycles.repository';
import type { ReviewCycle } from '../cycles/review-cycle.entity';
import { NotificationOutbox } from '../notifications/notification-outbox';
import { type ChangePayload, excerpt } from '../notifications/notification-payload';
import { cycleLabel } from '../vocabulary/cycle.vocabulary';
import type { NotificationKind } from '../vocabulary/notification.vocabulary';
import type { ImplementationStatus, RecommendationResponse } from '../vocabulary/recommendation.vocabulary';
import type { CitedEvidence } from './evidence-citations';
import type { Recommendation } from './recommendation.entity';
import { RecommendationPeople, RecommendationsRepository } from './recommendations.repository';

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
  evidence: Pick<CitedEvidence, 'title' | 'confidential'>[];
  at: Date;
  /** The recommendation's owners and followers, when the caller has read them already (its answer names them too). */
  people?: RecommendationPeople;
}

export interface ResponseChangeEvent {
  recommendation: Recommendation;
  actor: { id: number; name: string };
  from: RecommendationResponse;
  to: RecommendationResponse;
  at: Date;
  /** The recommendation's cycle, when the caller has it already (a whole cycle's change). */
  cycle?: ReviewCycle;
  /** Why, when the response was not edited by hand (the State did not participate). */
  note?: string;
}

/**
 * The notices a change of a recommendation causes: its owners and followers (not the person who made
 * it) are told, through the outbox, inside the caller's transaction, so the change and its notices
 * commit together or not at all. Every notice has a deterministic key: planning twice is harmless.
 */
@Injectable()
export class ChangeNotices {
  constructor(
    private readonly outbox: NotificationOutbox,
    private readonly recommendations: RecommendationsRepository,
    private readonly cycles: CyclesRepository,
  ) {}

  async statusChanged(event: StatusChangeEvent, manager: EntityManager): Promise<void> {
    await this.tell('status_change', `status:${event.statusChangeId}`, event.recommendation, event.actor, {
      from: event.from,
      to: event.to,
      note: event.note,
      evidenceCount: event.evidence.length,
      // Titles of confidential evidence can themselves identify people: only public ones are named.
      evidenceTitles: event.evidence.filter((e) => !e.confidential).map((e) => e.title),
      at: event.at.toISOString(),
    }, event.at, manager, event.cycle, event.people);
  }

  async responseChanged(event: ResponseChangeEvent, manager: EntityManager): Promise<void> {
    await this.tell('response_change', `response:${event.recommendation.id}:${event.at.getTime()}`, event.recommendation, event.actor, {
      from: event.from,
      to: event.to,
      note: event.note ?? null,
      evidenceCount: 0,
      evidenceTitles: [],
      at: event.at.toISOString(),
    }, event.at, manager, event.cycle);
  }

  private async tell(
    kind: NotificationKind,
    keyPrefix: string,
    recommendation: Recommendation,
    actor: { id: number; name: string },
    change: Omit<ChangePayload, 'recommendation' | 'cycle' | 'changedBy'>,
    at: Date,
    manager: EntityManager,
    knownCycle?: ReviewCycle,
    knownPeople?: RecommendationPeople,
  ): Promise<void> {
    const recipientIds = toldOfChange(knownPeople ?? (await this.recommendations.peopleOf(recommendation.id, manager)), actor.id);
    if (recipientIds.length === 0) return;
    const cycle = knownCycle?.id === recommendation.cycleId ? knownCycle : await this.cycles.findById(recommendation.cycleId, manager);
    if (!cycle) throw new Error(`recommendation ${recommendation.id} refers to cycle ${recommendation.cycleId}, which does not exist`);
    const payload: ChangePayload = {
      recommendation: { id: recommendation.id, paragraph: recommendation.paragraph, excerpt: excerpt(recommendation.text) },
      cycle: { id: cycle.id, label: cycleLabel(cycle), mechanism: cycle.mechanism, number: cycle.number, stateUnderReview: cycle.stateUnderReview },
      changedBy: actor.name,
      ...change,
    };
    await this.outbox.enqueue(
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

/** Who is told of a change: its active owners and followers, each once, never who made it; in id order. */
export function toldOfChange(people: RecommendationPeople, actorId: number): number[] {
  const ids = new Set([...people.ownerIds, ...people.followerIds]);
  return [...ids].filter((id) => id !== actorId && people.activeIds.has(id)).sort((a, b) => a - b);
}
