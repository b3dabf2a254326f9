import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuditedEntity } from '../vocabulary/audit.vocabulary';
import { AuditRepository } from './audit.repository';

export type AuditValues = Record<string, unknown>;

export interface AuditRecord {
  coalitionId: number;
  /** Who did it; null for the command line or the system. */
  actor: { id: number; name: string } | null;
  entity: AuditedEntity;
  entityId: number | null;
  /** The recommendation the change concerns (see AuditEntry.recommendationId); a recommendation's own entries name it without this. */
  recommendationId?: number | null;
  action: string;
  before?: AuditValues | null;
  after?: AuditValues | null;
  at: Date;
}

/**
 * What every feature writes its changes to, inside its own transaction: the change and its audit
 * entry commit together or not at all. Sits below the features (like notifications): they call it,
 * it imports none of them.
 */
@Injectable()
export class AuditLog {
  constructor(private readonly audit: AuditRepository) {}

  async record(entry: AuditRecord, manager: EntityManager): Promise<void> {
    await this.audit.insert([entry], manager);
  }

  /** An update: only the fields whose value changed are kept; nothing is written when none did. */
  async recordChanges(entry: Omit<AuditRecord, 'before' | 'after'>, before: AuditValues, after: AuditValues, manager: EntityManager): Promise<void> {
    const changed = Object.keys(after).filter((field) => JSON.stringify(before[field] ?? null) !== JSON.stringify(after[field] ?? null));
    if (changed.length === 0) return;
    const pick = (values: AuditValues) => Object.fromEntries(changed.map((field) => [field, values[field] ?? null]));
    await this.record({ ...entry, before: pick(before), after: pick(after) }, manager);
  }
}
