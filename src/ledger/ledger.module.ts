import { Module } from '@nestjs/common';
import { FileStorage } from '../evidence/file-storage';
import { LedgerRepository } from './ledger.repository';
import { LedgerService } from './ledger.service';
import { StatesModule } from '../states/states.module';

/**
 * The public ledger of published cycles (read-only, no sign-in). Publishing itself is an admin's
 * action on the cycle (CyclesService.publish, POST /api/v1/cycles/:id/publish).
 */
@Module({
  imports: [StatesModule],
  providers: [LedgerRepository, LedgerService, FileStorage],
  exports: [LedgerService],
})
export class LedgerModule {}
