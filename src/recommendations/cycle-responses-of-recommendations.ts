import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CycleResponses } from '../cycles/cycle-responses';
import { RecommendationsRepository } from './recommendations.repository';

/** Answers cycles' CYCLE_RESPONSES: a State that did not participate responded to nothing. */
@Injectable()
export class CycleResponsesOfRecommendations implements CycleResponses {
  constructor(private readonly recommendations: RecommendationsRepository) {}

  setNoResponse(cycle: { coalitionId: number; id: number }, at: Date, manager: EntityManager): Promise<number> {
    return this.recommendations.setNoResponseInCycle(cycle, at, manager);
  }
}
