import { BadRequestException, ForbiddenException, HttpStatus, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditLog, type AuditValues } from '../audit/audit-log';
import { canReadConfidential, type AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { notFound } from '../common/errors';
import { RecommendationAccess } from '../recommendations/recommendation-access.service';
import { isAlwaysConfidential } from '../vocabulary/evidence.vocabulary';
import { EvidenceResponse, mapEvidence, UpdateEvidenceDto } from './evidence.dto';
import type { Evidence } from './evidence.entity';
import { EvidenceRepository } from './evidence.repository';
import { FileStorage } from './file-storage';

/** What the trail shows in place of a confidential item's title and url: that they changed, never what they say. */
const WITHHELD = '(confidential)';

/**
 * Editing, reclassifying and removing evidence (issue 12). Admins and coordinators may change any
 * item of their coalition; members only the items they submitted themselves, and only those they
 * can see (a confidential item is "not found" for a member, as everywhere). Like adding evidence,
 * only while the recommendation can change (its cycle open, or carried into an open one).
 */
@Injectable()
export class EvidenceChanges {
  constructor(
    private readonly dataSource: DataSource,
    private readonly evidence: EvidenceRepository,
    private readonly access: RecommendationAccess,
    private readonly storage: FileStorage,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  async update(auth: AuthUser, id: number, dto: UpdateEvidenceDto): Promise<EvidenceResponse> {
    const updated = await this.dataSource.transaction(async (manager) => {
      const item = await this.changeable(auth, id, manager);
      if (dto.url !== undefined && item.sha256 !== null) throw badInput('url', 'an uploaded file has no url: remove the item and add a link instead');
      // A testimony linked through the triage stays what the link made it: a confidential item of
      // kind testimony with no url, pointing at its testimony (which no field here can change).
      // Only its title (the coordinators' caption) may change; unlinking is done from the testimony.
      if (item.testimonyId !== null) {
        const fixed = (['kind', 'url', 'confidential'] as const).find((field) => dto[field] !== undefined && dto[field] !== item[field]);
        if (fixed) throw badInput(fixed, `evidence ${id} is testimony ${item.testimonyId} linked through the triage: only its title may change (unlink it on the testimony's page to remove it)`);
      }
      const kind = dto.kind ?? item.kind;
      if (isAlwaysConfidential(kind) && dto.confidential === false) throw badInput('confidential', 'testimony is always confidential and cannot be made public');
      const next = {
        kind,
        title: dto.title ?? item.title,
        url: dto.url ?? item.url,
        // Choosing testimony makes the item confidential; otherwise the flag is as asked, or as it was.
        confidential: isAlwaysConfidential(kind) || (dto.confidential ?? item.confidential),
      };
      await this.evidence.update(item.id, next, manager);
      await this.recordUpdate(auth, item, next, manager);
      return { ...item, ...next };
    });
    return mapEvidence(updated);
  }

  /**
   * Removes the item from every list, count, citation and export (a tombstone stays for the
   * history), and deletes its file once no other item refers to the same content.
   */
  async remove(auth: AuthUser, id: number): Promise<void> {
    const removed = await this.dataSource.transaction(async (manager) => {
      const item = await this.changeable(auth, id, manager);
      const at = this.clock.now();
      if (!(await this.evidence.markRemoved(item.id, at, manager))) throw notFound('Evidence', id);
      // What was removed, never what confidential evidence said (as when it was added).
      await this.audit.record({
        coalitionId: auth.coalitionId, actor: auth, entity: 'evidence', entityId: item.id, recommendationId: item.recommendationId, action: 'removed', at,
        before: {
          recommendationId: item.recommendationId, kind: item.kind, confidential: item.confidential, title: item.confidential ? null : item.title,
          url: item.confidential ? null : item.url, file: item.sha256 !== null, sizeBytes: item.sizeBytes,
        },
        after: null,
      }, manager);
      return item;
    });
    // After the commit: files are shared by content, so the file goes only with its last reference.
    const sha256 = removed.sha256;
    if (sha256) await this.storage.removeUnreferenced(sha256, () => this.evidence.isFileReferenced(sha256));
  }

  /** The item, if this person may change it now (the web's edit and removal pages). */
  async getChangeable(auth: AuthUser, id: number): Promise<EvidenceResponse> {
    return mapEvidence(await this.changeable(auth, id, this.dataSource.manager));
  }

  private async changeable(auth: AuthUser, id: number, manager: EntityManager): Promise<Evidence> {
    const item = await this.evidence.findInCoalition(auth.coalitionId, id, manager);
    if (!item || (item.confidential && !canReadConfidential(auth))) throw notFound('Evidence', id);
    if (auth.role === 'member' && item.submittedById !== auth.id) {
      throw new ForbiddenException({ statusCode: HttpStatus.FORBIDDEN, error: 'Forbidden', message: 'Members may change or remove only the evidence they submitted' });
    }
    await this.access.getChangeable(auth, item.recommendationId, manager);
    return item;
  }

  /** Only the changed fields; a confidential item's title and url are named as changed, never copied. */
  private async recordUpdate(auth: AuthUser, item: Evidence, next: Pick<Evidence, 'kind' | 'title' | 'url' | 'confidential'>, manager: EntityManager): Promise<void> {
    const withheld = item.confidential || next.confidential;
    const fields = (['kind', 'title', 'url', 'confidential'] as const).filter((field) => item[field] !== next[field]);
    if (fields.length === 0) return;
    const shown = (values: Pick<Evidence, 'kind' | 'title' | 'url' | 'confidential'>): AuditValues =>
      Object.fromEntries(fields.map((field) => [field, withheld && (field === 'title' || field === 'url') ? WITHHELD : values[field]]));
    const action = fields.includes('confidential') ? 'reclassified' : 'updated';
    await this.audit.record({
      coalitionId: auth.coalitionId, actor: auth, entity: 'evidence', entityId: item.id, recommendationId: item.recommendationId, action, at: this.clock.now(),
      before: shown(item), after: shown(next),
    }, manager);
  }
}

function badInput(field: string, problem: string): BadRequestException {
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `${field}: ${problem}`, details: [{ field, problem }] });
}
