import { BadRequestException, Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import type { Page } from '../common/pagination';
import { AuditEntryResponse, ListAuditQuery, mapAuditEntry } from './audit.dto';
import { AuditRepository } from './audit.repository';

/** Reading the coalition's audit trail (writing is AuditLog's, inside each feature's transaction). */
@Injectable()
export class AuditService {
  constructor(private readonly audit: AuditRepository) {}

  async list(auth: AuthUser, query: ListAuditQuery): Promise<Page<AuditEntryResponse>> {
    const from = query.from ? new Date(query.from) : undefined;
    const to = query.to ? new Date(query.to) : undefined;
    if (from && to && from.getTime() >= to.getTime()) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: `from (${query.from}) must be before to (${query.to})`,
        details: [{ field: 'to', problem: 'must be after from' }],
      });
    }
    const { rows, total } = await this.audit.search(
      { coalitionId: auth.coalitionId, entity: query.entity, entityId: query.entityId, recommendationId: query.recommendationId, actorId: query.actorId, from, to },
      (query.page - 1) * query.pageSize,
      query.pageSize,
    );
    return { items: rows.map(mapAuditEntry), total, page: query.page, pageSize: query.pageSize };
  }
}
