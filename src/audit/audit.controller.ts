import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Auth, Roles } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { AuditPage, ListAuditQuery } from './audit.dto';
import { AuditService } from './audit.service';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** The coalition's audit trail, newest first: who changed what, when, before and after. */
  @Get()
  @Roles('admin', 'coordinator')
  list(@Auth() auth: AuthUser, @Query() query: ListAuditQuery): Promise<AuditPage> {
    return this.audit.list(auth, query);
  }
}
