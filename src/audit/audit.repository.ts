import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { placeholder, sqlTime } from '../database/sql-values';
import type { AuditedEntity } from '../vocabulary/audit.vocabulary';
import { AuditEntry } from './audit-entry.entity';
import type { AuditRecord } from './audit-log';

export interface AuditFilters {
  coalitionId: number;
  entity?: AuditedEntity;
  entityId?: number;
  /** Every entry on the recommendation's timeline. */
  recommendationId?: number;
  actorId?: number;
  from?: Date;
  to?: Date;
}

@Injectable()
export class AuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Inserts only: nothing in the application updates or deletes an entry (the database refuses it
   * too). Hand-written: every status change writes one, and TypeORM's insert builder cost more than
   * the insert (and read each row back, which nothing here needs).
   */
  async insert(entries: AuditRecord[], manager: EntityManager): Promise<void> {
    if (entries.length === 0) return;
    const columns = ['coalition_id', 'at', 'actor_id', 'actor_name', 'entity', 'entity_id', 'recommendation_id', 'action', '"before"', '"after"'];
    const values = entries.map((_, r) => `(${columns.map((__, c) => placeholder(this.dataSource, r * columns.length + c + 1)).join(', ')})`);
    const params = entries.flatMap((e) => [
      e.coalitionId, sqlTime(this.dataSource, e.at), e.actor?.id ?? null, e.actor?.name ?? null, e.entity, e.entityId, timelineOf(e), e.action,
      e.before ? JSON.stringify(e.before) : null, e.after ? JSON.stringify(e.after) : null,
    ]);
    await manager.query(`INSERT INTO audit_entry (${columns.join(', ')}) VALUES ${values.join(', ')}`, params);
  }

  /** Newest first. */
  async search(filters: AuditFilters, offset: number, limit: number): Promise<{ rows: AuditEntry[]; total: number }> {
    const query = this.dataSource.manager.createQueryBuilder(AuditEntry, 'a').where('a.coalition_id = :coalitionId', { coalitionId: filters.coalitionId });
    if (filters.entity) query.andWhere('a.entity = :entity', { entity: filters.entity });
    if (filters.entityId !== undefined) query.andWhere('a.entity_id = :entityId', { entityId: filters.entityId });
    if (filters.recommendationId !== undefined) {
      // Entries written before the column existed name a recommendation only as their entity.
      query.andWhere(`(a.recommendation_id = :recommendationId OR (a.entity = 'recommendation' AND a.entity_id = :recommendationId))`, { recommendationId: filters.recommendationId });
    }
    if (filters.actorId !== undefined) query.andWhere('a.actor_id = :actorId', { actorId: filters.actorId });
    if (filters.from) query.andWhere('a.at >= :from', { from: sqlTime(this.dataSource, filters.from) });
    if (filters.to) query.andWhere('a.at < :to', { to: sqlTime(this.dataSource, filters.to) });
    const [rows, total] = await query.orderBy('a.id', 'DESC').skip(offset).take(limit).getManyAndCount();
    return { rows, total };
  }
}

function timelineOf(entry: AuditRecord): number | null {
  if (entry.recommendationId !== undefined) return entry.recommendationId;
  return entry.entity === 'recommendation' ? entry.entityId : null;
}
