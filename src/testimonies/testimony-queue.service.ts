import { Injectable, StreamableFile } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { canReadConfidential, type AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { notFound } from '../common/errors';
import { type Page, pageOf, pageWindow } from '../common/pagination';
import {
  mapTestimony, mapTestimonySummary, type TestimonyContent, TestimonyQueueQuery, TestimonyResponse, TestimonySummary,
} from './testimonies.dto';
import { TestimoniesRepository } from './testimonies.repository';
import type { Testimony } from './testimony.entity';
import { ThemesService } from '../themes/themes.service';
import { openContent } from './testimony-content';
import { TestimonyFileStore } from './testimony-file-store';
import { TestimonyKeys } from './testimony-keys';

/**
 * The coordinators' queue. Testimony is for coordinators and admins of its coalition only: to
 * anyone else it does not exist (404). Every read of its content, and every change of its state,
 * is in the audit trail, which records that it was read, never what it says.
 */
@Injectable()
export class TestimonyQueueService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly testimonies: TestimoniesRepository,
    private readonly keys: TestimonyKeys,
    private readonly files: TestimonyFileStore,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly themes: ThemesService,
  ) {}

  async list(auth: AuthUser, query: TestimonyQueueQuery): Promise<Page<TestimonySummary>> {
    const { rows, total } = await this.testimonies.pageOfCoalition(auth.coalitionId, query.state, pageWindow(query), await this.tagFilters(auth, query));
    return pageOf(rows, total, query, mapTestimonySummary);
  }

  /** The testimony, decrypted; the read is recorded (in the same transaction, so no read goes unrecorded). */
  async read(auth: AuthUser, id: number): Promise<TestimonyResponse> {
    const testimony = await this.visible(auth, id);
    return this.dataSource.transaction(async (manager) => {
      await this.audit.record({ coalitionId: auth.coalitionId, actor: auth, entity: 'testimony', entityId: id, action: 'read', at: this.clock.now() }, manager);
      const files = await this.testimonies.filesOf(id, manager);
      const content: TestimonyContent | null = testimony.sealed ? openContent(this.keys.unwrap(testimony.wrappedKey!, testimony.keyId), testimony.sealed) : null;
      return mapTestimony(testimony, content, files);
    });
  }

  /** One attachment, decrypted as it is sent; recorded like a read. */
  async readFile(auth: AuthUser, id: number, fileId: number): Promise<StreamableFile> {
    const testimony = await this.visible(auth, id);
    const file = await this.testimonies.findFile(id, fileId);
    if (!file || !testimony.wrappedKey) throw notFound('Testimony file', fileId);
    // Verified before anything is sent (testimony-file-store.ts says why), and recorded before it is.
    const content = await this.files.openVerified(this.keys.unwrap(testimony.wrappedKey, testimony.keyId), file);
    try {
      await this.dataSource.transaction((manager) =>
        this.audit.record({ coalitionId: auth.coalitionId, actor: auth, entity: 'testimony', entityId: id, action: 'file_read', at: this.clock.now(), after: { fileId } }, manager),
      );
    } catch (error) {
      content.stream.destroy();
      throw error;
    }
    return new StreamableFile(content.stream, { type: file.mimeType, disposition: `attachment; filename="testimony-${id}-${fileId}"`, length: content.size });
  }

  /**
   * The tag filters as the recommendations' are resolved: a code, the canonical name or any alias
   * (the coalition's too) finds the tag as stored, a theme code also those beneath it; a value that
   * names nothing is looked for as written.
   */
  private async tagFilters(auth: AuthUser, query: TestimonyQueueQuery): Promise<{ themes?: string[]; affectedPersons?: string[] }> {
    if (query.theme === undefined && query.group === undefined) return {};
    const vocabularies = await this.themes.directoryFor(auth.coalitionId);
    return {
      ...(query.theme !== undefined ? { themes: vocabularies.themeFilterCodes(query.theme) ?? [query.theme] } : {}),
      ...(query.group !== undefined ? { affectedPersons: [vocabularies.resolveGroup(query.group) ?? query.group] } : {}),
    };
  }

  /** Members and other coalitions are told it does not exist, like anything they may not see. */
  private async visible(auth: AuthUser, id: number, manager = this.dataSource.manager): Promise<Testimony> {
    const testimony = canReadConfidential(auth) ? await this.testimonies.findInCoalition(auth.coalitionId, id, manager) : null;
    if (!testimony) throw notFound('Testimony', id);
    return testimony;
  }
}
