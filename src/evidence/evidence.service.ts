import { BadRequestException, Injectable, StreamableFile } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { canReadConfidential, type AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { notFound } from '../common/errors';
import { type Page, pageOf, type PageQuery, pageWindow } from '../common/pagination';
import type { UploadedFileOnDisk } from '../common/upload-options';
import { cleanFileName, contentDisposition } from '../common/file-names';
import { RecommendationAccess } from '../recommendations/recommendation-access.service';
import { CreateEvidenceDto, EvidenceResponse, mapEvidence } from './evidence.dto';
import { EvidenceRepository } from './evidence.repository';
import { isAlwaysConfidential } from '../vocabulary/evidence.vocabulary';
import { FileStorage } from './file-storage';

export type UploadedEvidenceFile = UploadedFileOnDisk;

@Injectable()
export class EvidenceService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly evidence: EvidenceRepository,
    private readonly access: RecommendationAccess,
    private readonly storage: FileStorage,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  /** A link (JSON with url) or a file (multipart, field "file"); any role may submit evidence. */
  async add(auth: AuthUser, recommendationId: number, dto: CreateEvidenceDto, file?: UploadedEvidenceFile): Promise<EvidenceResponse> {
    if (!file && !dto.url) throw badInput('url', 'give a url for a link, or upload a file in the multipart field "file"');
    if (file && dto.url) throw badInput('url', 'give either a url or a file, not both');
    if (file && file.size === 0) throw badInput('file', 'the uploaded file is empty');
    await this.access.getChangeable(auth, recommendationId);
    // The file is stored before the row: a crash in between leaves an unreferenced file, never a row without its file.
    const stored = file ? await this.storage.storeUpload(file.path) : null;
    const saved = await this.dataSource.transaction(async (manager) => {
      await this.access.getChangeable(auth, recommendationId, manager);
      const added = await this.evidence.insert(
        {
          recommendationId,
          kind: dto.kind,
          title: dto.title,
          url: dto.url ?? null,
          fileName: file ? cleanFileName(file.originalname) : null,
          mimeType: file ? file.mimetype.slice(0, 120) : null,
          sizeBytes: stored?.sizeBytes ?? null,
          sha256: stored?.sha256 ?? null,
          confidential: isAlwaysConfidential(dto.kind) || (dto.confidential ?? false),
          submittedById: auth.id,
          createdAt: this.clock.now(),
        },
        manager,
      );
      // The trail names what was added, never what confidential evidence says: its title can
      // identify a person, so only its kind and that it is confidential are kept.
      await this.audit.record({
        coalitionId: auth.coalitionId, actor: auth, entity: 'evidence', entityId: added.id, recommendationId, action: 'added', at: added.createdAt,
        after: {
          recommendationId, kind: added.kind, confidential: added.confidential, title: added.confidential ? null : added.title,
          url: added.confidential ? null : added.url, file: added.fileName !== null, sizeBytes: added.sizeBytes,
        },
      }, manager);
      return added;
    });
    // The same content may have been removed with its last other holder since it was stored.
    if (file && stored) await this.storage.restoreIfGone(stored.sha256, file.path);
    return mapEvidence(saved);
  }

  /** Every evidence item of the recommendation the person may see (the recommendation page). */
  async list(auth: AuthUser, recommendationId: number): Promise<EvidenceResponse[]> {
    await this.access.getVisible(auth, recommendationId);
    return (await this.evidence.listForRecommendation(recommendationId, canReadConfidential(auth))).map(mapEvidence);
  }

  /** Ids of the recommendation's removed items, which its history may still cite (the page says "removed"). */
  async removedIds(auth: AuthUser, recommendationId: number): Promise<number[]> {
    await this.access.getVisible(auth, recommendationId);
    return this.evidence.findRemovedIds(recommendationId);
  }

  /** GET /recommendations/:id/evidence: a page of the same list. */
  async listPage(auth: AuthUser, recommendationId: number, query: PageQuery): Promise<Page<EvidenceResponse>> {
    await this.access.getVisible(auth, recommendationId);
    const { rows, total } = await this.evidence.pageForRecommendation(recommendationId, canReadConfidential(auth), pageWindow(query));
    return pageOf(rows, total, query, mapEvidence);
  }

  /** Confidential files are "not found" for members, like everything they may not see. */
  async download(auth: AuthUser, id: number): Promise<StreamableFile> {
    const item = await this.evidence.findInCoalition(auth.coalitionId, id);
    if (!item || !item.sha256 || (item.confidential && !canReadConfidential(auth))) throw notFound('Evidence file', id);
    return new StreamableFile(this.storage.open(item.sha256), {
      type: item.mimeType ?? 'application/octet-stream',
      disposition: contentDisposition(item.fileName ?? `evidence-${id}`),
      length: item.sizeBytes ?? undefined,
    });
  }
}

function badInput(field: string, problem: string): BadRequestException {
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `${field}: ${problem}`, details: [{ field, problem }] });
}
