import { Module } from '@nestjs/common';
import { ThemesRepository } from './themes.repository';
import { ThemesService } from './themes.service';

/** The canonical themes, groups of persons and SDGs (issue 12): imports, recommendations and pages ask it. */
@Module({
  providers: [ThemesRepository, ThemesService],
  exports: [ThemesService],
})
export class ThemesModule {}
