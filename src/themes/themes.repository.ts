import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { VocabularyRows } from './theme-directory';
import { AffectedGroup, AffectedGroupAlias, Sdg, Theme, ThemeAlias } from './theme.entity';

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
}
