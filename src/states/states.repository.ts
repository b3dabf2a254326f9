import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CoalitionStateAlias, State, StateAlias } from './state.entity';

@Injectable()
export class StatesRepository {
  constructor(private readonly dataSource: DataSource) {}

  listStates(): Promise<State[]> {
    return this.dataSource.manager.find(State, { order: { nameEn: 'ASC' } });
  }

  listShippedAliases(): Promise<StateAlias[]> {
    return this.dataSource.manager.find(StateAlias);
  }

  listCoalitionAliases(coalitionId: number, manager: EntityManager = this.dataSource.manager): Promise<CoalitionStateAlias[]> {
    return manager.find(CoalitionStateAlias, { where: { coalitionId }, order: { alias: 'ASC', id: 'ASC' } });
  }

  insertCoalitionAlias(values: { coalitionId: number; alias: string; stateCode: string; createdAt: Date }, manager: EntityManager): Promise<CoalitionStateAlias> {
    return manager.save(manager.create(CoalitionStateAlias, values));
  }

  findCoalitionAlias(coalitionId: number, id: number, manager: EntityManager): Promise<CoalitionStateAlias | null> {
    return manager.findOneBy(CoalitionStateAlias, { id, coalitionId });
  }

  /** Removes one of the coalition's aliases; false when it has none with this id. */
  async deleteCoalitionAlias(coalitionId: number, id: number, manager: EntityManager): Promise<boolean> {
    const result = await manager.delete(CoalitionStateAlias, { id, coalitionId });
    return (result.affected ?? 0) > 0;
  }
}
