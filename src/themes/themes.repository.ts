import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { VocabularyRows } from './theme-directory';
import { AffectedGroup, AffectedGroupAlias, CoalitionVocabularyAlias, type CoalitionVocabularyKind, Sdg, Theme, ThemeAlias } from './theme.entity';

@Injectable()
export class ThemesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async listVocabularies(): Promise<VocabularyRows> {
    const manager = this.dataSource.manager;
    const [themes, themeAliases, groups, groupAliases, sdgs] = await Promise.all([
      manager.find(Theme, { order: { code: 'ASC' } }),
      manager.find(ThemeAlias),
      manager.find(AffectedGroup, { order: { name: 'ASC' } }),
      manager.find(AffectedGroupAlias),
      manager.find(Sdg),
    ]);
    return { themes, themeAliases, groups, groupAliases, sdgs };
  }

  listCoalitionAliases(coalitionId: number, manager: EntityManager = this.dataSource.manager): Promise<CoalitionVocabularyAlias[]> {
    return manager.find(CoalitionVocabularyAlias, { where: { coalitionId }, order: { kind: 'DESC', alias: 'ASC', id: 'ASC' } });
  }

  insertCoalitionAlias(values: { coalitionId: number; kind: CoalitionVocabularyKind; alias: string; target: string; createdAt: Date }, manager: EntityManager): Promise<CoalitionVocabularyAlias> {
    return manager.save(manager.create(CoalitionVocabularyAlias, values));
  }

  findCoalitionAlias(coalitionId: number, id: number, manager: EntityManager): Promise<CoalitionVocabularyAlias | null> {
    return manager.findOneBy(CoalitionVocabularyAlias, { id, coalitionId });
  }

  /** Removes one of the coalition's aliases; false when it has none with this id. */
  async deleteCoalitionAlias(coalitionId: number, id: number, manager: EntityManager): Promise<boolean> {
    const result = await manager.delete(CoalitionVocabularyAlias, { id, coalitionId });
    return (result.affected ?? 0) > 0;
  }
}
