import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { InstanceSetup } from './instance-setup.entity';
import { User } from './user.entity';

@Injectable()
export class FirstRunRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Whether the one-time setup is behind this instance: it was done, or some user exists (made on
   * the command line, or before the setup page existed). Deactivated users count: the page never
   * comes back.
   */
  async isSetUp(manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    return (await manager.exists(InstanceSetup)) || (await manager.exists(User));
  }

  /** Fails on the primary key when another setup has committed (the row's id is always 1). */
  async insertSetup(coalitionId: number, userId: number, completedAt: Date, manager: EntityManager): Promise<void> {
    await manager.insert(InstanceSetup, { id: 1, coalitionId, userId, completedAt });
  }
}
