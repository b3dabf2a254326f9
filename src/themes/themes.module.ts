import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ThemeAliasesController } from './theme-aliases.controller';
import { ThemesRepository } from './themes.repository';
import { ThemesService } from './themes.service';

/** The canonical themes, groups of persons and SDGs (issue 12) and coalitions' own names of them: imports, recommendations and pages ask it. */
@Module({
  imports: [AuditModule],
  controllers: [ThemeAliasesController],
  providers: [ThemesRepository, ThemesService],
  exports: [ThemesService],
})
export class ThemesModule {}
