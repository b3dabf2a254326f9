import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditLog } from './audit-log';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';

/** The append-only audit trail: AuditLog for the features to write to, GET /audit to read it. */
@Module({
  controllers: [AuditController],
  providers: [AuditRepository, AuditLog, AuditService],
  exports: [AuditLog, AuditService],
})
export class AuditModule {}
