import { Module } from '@nestjs/common';
import { StatesModule } from '../states/states.module';
import { AuditModule } from '../audit/audit.module';
import { CyclesController } from './cycles.controller';
import { CyclesRepository } from './cycles.repository';
import { CyclesService } from './cycles.service';

@Module({
  imports: [AuditModule, StatesModule],
  controllers: [CyclesController],
  providers: [CyclesRepository, CyclesService],
  exports: [CyclesService, CyclesRepository],
})
export class CyclesModule {}
