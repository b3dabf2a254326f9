import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ReviewCycle } from './review-cycle.entity';

@Injectable()
export class CyclesRepository {
  constructor(private readonly dataSource: DataSource) {}

  findInCoalition(coalitionId: number, id: number, manager: EntityManager = this.dataSource.manager): Promise<ReviewCycle | null> {
    return manager.findOneBy(ReviewCycle, { id, coalitionId });
  }

  /** Without a coalition: only for the command line, whose operator runs the service and sees every coalition. */
  findById(id: number, manager: EntityManager = this.dataSource.manager): Promise<ReviewCycle | null> {
    return manager.findOneBy(ReviewCycle, { id });
  }

  listForCoalition(coalitionId: number): Promise<ReviewCycle[]> {
    return this.dataSource.manager.find(ReviewCycle, { where: { coalitionId }, order: { stateUnderReview: 'ASC', number: 'ASC', id: 'ASC' } });
  }

  save(cycle: ReviewCycle, manager: EntityManager = this.dataSource.manager): Promise<ReviewCycle> {
    return manager.save(ReviewCycle, cycle);
  }
}
