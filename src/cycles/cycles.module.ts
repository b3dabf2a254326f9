import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CyclesController } from './cycles.controller';
import { CyclesRepository } from './cycles.repository';
import { CyclesService } from './cycles.service';

@Module({
  imports: [AuditModule],
  controllers: [CyclesController],
  providers: [CyclesRepository, CyclesService],
  exports: [CyclesService, CyclesRepository],
})
export class CyclesModule {}
