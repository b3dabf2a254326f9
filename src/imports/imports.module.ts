import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { APP_CONFIG, type AppConfig } from '../../config/app.config';
import { uploadOptions } from '../common/upload-options';
import { AuditModule } from '../audit/audit.module';
import { CyclesModule } from '../cycles/cycles.module';
import { LineageModule } from '../lineage/lineage.module';
import { RecommendationsModule } from '../recommendations/recommendations.module';
import { StatesModule } from '../states/states.module';
import { ThemesModule } from '../themes/themes.module';
import { ImportsController } from './imports.controller';
import { ImportsRepository } from './imports.repository';
import { ImportsService } from './imports.service';

@Module({
  imports: [
    AuditModule,
    CyclesModule,
    LineageModule,
    RecommendationsModule,
    StatesModule,
    ThemesModule,
    MulterModule.registerAsync({ inject: [APP_CONFIG], useFactory: (config: AppConfig) => uploadOptions(config.storage) }),
  ],
  controllers: [ImportsController],
  providers: [ImportsRepository, ImportsService],
  exports: [ImportsService],
})
export class ImportsModule {}
