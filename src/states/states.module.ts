import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { StateAliasesController } from './state-aliases.controller';
import { StatesRepository } from './states.repository';
import { StatesService } from './states.service';

/** The canonical States and their spellings (issue 12): imports, cycles, recommendations and lineage ask it. */
@Module({
  imports: [AuditModule],
  controllers: [StateAliasesController],
  providers: [StatesRepository, StatesService],
  exports: [StatesService],
})
export class StatesModule {}
