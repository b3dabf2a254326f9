import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, Min } from 'class-validator';
import { PageQuery } from '../common/pagination';
import { AUDITED_ENTITIES, type AuditedEntity } from '../vocabulary/audit.vocabulary';
import type { AuditEntry } from './audit-entry.entity';

const WHEN = 'must be a date or a date and time in ISO 8601 (e.g. 2026-12-01 or 2026-12-01T09:30:00Z)';

export class ListAuditQuery extends PageQuery {
  @ApiPropertyOptional({ enum: AUDITED_ENTITIES })
  @IsOptional()
  @IsIn(AUDITED_ENTITIES, { message: `entity must be one of: ${AUDITED_ENTITIES.join(', ')}`, context: { allowed: AUDITED_ENTITIES } })
  entity?: AuditedEntity;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'entityId must be a whole number' })
  @Min(1, { message: 'entityId must be a whole number' })
  entityId?: number;

  @ApiPropertyOptional({ description: "A recommendation's whole timeline: its own changes and those of its evidence, deadlines and lineage" })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'recommendationId must be a whole number' })
  @Min(1, { message: 'recommendationId must be a whole number' })
  recommendationId?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'actorId must be a whole number' })
  @Min(1, { message: 'actorId must be a whole number' })
  actorId?: number;

  @ApiPropertyOptional({ description: 'From this moment on (a date means its start, UTC)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: `from ${WHEN}` })
  from?: string;

  @ApiPropertyOptional({ description: 'Before this moment (a date means its start, UTC)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: `to ${WHEN}` })
  to?: string;
}

export class AuditEntryResponse {
  @ApiProperty() id: number;
  @ApiProperty() at: string;
  @ApiProperty({ nullable: true, type: Number }) actorId: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'As it was at the time; null for the command line' }) actorName: string | null;
  @ApiProperty({ enum: AUDITED_ENTITIES }) entity: AuditedEntity;
  @ApiProperty({ nullable: true, type: Number }) entityId: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'The recommendation the change concerns (itself, or the one its evidence, deadline or lineage belongs to)' }) recommendationId: number | null;
  @ApiProperty() action: string;
  @ApiProperty({ nullable: true, type: Object, description: 'The changed fields as they were' }) before: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: Object, description: 'The changed fields as they are now' }) after: Record<string, unknown> | null;
}

export class AuditPage {
  @ApiProperty({ type: [AuditEntryResponse] }) items: AuditEntryResponse[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export function mapAuditEntry(entry: AuditEntry): AuditEntryResponse {
  return {
    id: entry.id,
    at: entry.at.toISOString(),
    actorId: entry.actorId,
    actorName: entry.actorName,
    entity: entry.entity,
    entityId: entry.entityId,
    recommendationId: entry.recommendationId ?? (entry.entity === 'recommendation' ? entry.entityId : null),
    action: entry.action,
    before: entry.before ? (JSON.parse(entry.before) as Record<string, unknown>) : null,
    after: entry.after ? (JSON.parse(entry.after) as Record<string, unknown>) : null,
  };
}
