import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { Evidence } from './evidence.entity';
import { EvidenceRepository } from './evidence.repository';

export interface TestimonyLinkRow {
  evidenceId: number;
  recommendationId: number;
  createdAt: Date;
}

/**
 * The evidence side of a testimony's links to recommendations (issue 13): each link is an evidence
 * item of kind testimony, always confidential, titled only "Testimony N" (never a word of what the
 * person wrote) and naming the testimony by id. Evidence owns the table, so the triage writes here;
 * who may link, and which testimony, is the triage's rule (src/triage). Every change is audited as
 * evidence, without title.
 */
@Injectable()
export class TestimonyEvidence {
  constructor(
    private readonly evidence: EvidenceRepository,
    private readonly audit: AuditLog,
  ) {}

  async linksOf(testimonyId: number, manager: EntityManager): Promise<TestimonyLinkRow[]> {
    const rows = await manager.find(Evidence, { where: { testimonyId, removedAt: IsNull() }, order: { id: 'ASC' } });
    return rows.map((row) => ({ evidenceId: row.id, recommendationId: row.recommendationId, createdAt: row.createdAt }));
  }

  async link(
    link: { coalitionId: number; testimonyId: number; recommendationId: number; actor: { id: number; name: string } | null; submittedById: number; at: Date },
    manager: EntityManager,
  ): Promise<TestimonyLinkRow> {
    const added = await this.evidence.insert({
      recommendationId: link.recommendationId, kind: 'testimony', title: `Testimony ${link.testimonyId}`, url: null, fileName: null, mimeType: null,
      sizeBytes: null, sha256: null, confidential: true, submittedById: link.submittedById, createdAt: link.at, testimonyId: link.testimonyId,
    }, manager);
    await this.audit.record({
      coalitionId: link.coalitionId, actor: link.actor, entity: 'evidence', entityId: added.id, recommendationId: link.recommendationId, action: 'added', at: link.at,
      after: { recommendationId: link.recommendationId, kind: 'testimony', confidential: true, testimonyId: link.testimonyId },
    }, manager);
    return { evidenceId: added.id, recommendationId: added.recommendationId, createdAt: added.createdAt };
  }

  /** Tombstones the links (a status change may cite them by id); answers those removed. */
  async unlink(
    coalitionId: number, links: TestimonyLinkRow[], actor: { id: number; name: string } | null, at: Date, manager: EntityManager,
  ): Promise<TestimonyLinkRow[]> {
    const removed: TestimonyLinkRow[] = [];
    for (const link of links) {
      if (!(await this.evidence.markRemoved(link.evidenceId, at, manager))) continue;
      await this.audit.record({
        coalitionId, actor, entity: 'evidence', entityId: link.evidenceId, recommendationId: link.recommendationId, action: 'removed', at,
        before: { kind: 'testimony', confidential: true }, after: { removedAt: at.toISOString() },
      }, manager);
      removed.push(link);
    }
    return removed;
  }
}
