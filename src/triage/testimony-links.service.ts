import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { notFound } from '../common/errors';
import { TestimonyEvidence } from '../evidence/testimony-evidence';
import { RecommendationAccess } from '../recommendations/recommendation-access.service';
import type { TestimonyLinks } from '../testimonies/testimony-links';
import { TestimonyTriageService } from '../testimonies/testimony-triage.service';
import { LinkTestimonyDto, mapTestimonyLinks, TestimonyLinksResponse } from './triage.dto';

/**
 * Links between a testimony and recommendations of its coalition (issue 13). A link is an evidence
 * item (evidence owns the table: TestimonyEvidence), a testimony's state is testimonies' (the triage
 * service): this module sits above both and puts one link together in one transaction. Only
 * coordinators and admins of the coalition may link; a testimony is "not found" to anyone else, a
 * withdrawn one cannot be linked (409), and a recommendation of a closed cycle takes no evidence (409).
 */
@Injectable()
export class TestimonyLinksService implements TestimonyLinks {
  constructor(
    private readonly dataSource: DataSource,
    private readonly triage: TestimonyTriageService,
    private readonly evidence: TestimonyEvidence,
    private readonly access: RecommendationAccess,
    private readonly clock: Clock,
  ) {}

  async list(auth: AuthUser, id: number): Promise<TestimonyLinksResponse> {
    return this.dataSource.transaction(async (manager) => {
      const testimony = await this.triage.findChangeable(auth, id, manager);
      return mapTestimonyLinks(id, testimony.state, await this.evidence.linksOf(id, manager));
    });
  }

  /** Links to each recommendation not yet linked (a repeated link changes nothing); the testimony becomes `linked`. */
  async link(auth: AuthUser, id: number, dto: LinkTestimonyDto): Promise<TestimonyLinksResponse> {
    return this.dataSource.transaction(async (manager) => {
      const testimony = await this.triage.findChangeable(auth, id, manager);
      const links = await this.evidence.linksOf(id, manager);
      const at = this.clock.now();
      for (const recommendationId of [...new Set(dto.recommendationIds)]) {
        await this.access.getChangeable(auth, recommendationId, manager);
        if (links.some((link) => link.recommendationId === recommendationId)) continue;
        links.push(await this.evidence.link({ coalitionId: auth.coalitionId, testimonyId: id, recommendationId, actor: auth, submittedById: auth.id, at }, manager));
      }
      await this.triage.setLinkedState(auth, testimony, true, manager);
      return mapTestimonyLinks(id, 'linked', links);
    });
  }

  /** Removes the link to one recommendation (its evidence item tombstoned); without links left the testimony is `reviewed` again. */
  async unlink(auth: AuthUser, id: number, recommendationId: number): Promise<TestimonyLinksResponse> {
    return this.dataSource.transaction(async (manager) => {
      const testimony = await this.triage.findChangeable(auth, id, manager);
      const links = await this.evidence.linksOf(id, manager);
      const removing = links.filter((link) => link.recommendationId === recommendationId);
      if (removing.length === 0) throw notFound(`Link of testimony ${id} to recommendation`, recommendationId);
      await this.evidence.unlink(auth.coalitionId, removing, auth, this.clock.now(), manager);
      const left = links.filter((link) => link.recommendationId !== recommendationId);
      if (left.length === 0) await this.triage.setLinkedState(auth, testimony, false, manager);
      return mapTestimonyLinks(id, left.length === 0 && testimony.state === 'linked' ? 'reviewed' : testimony.state, left);
    });
  }

  /** Withdrawal (testimonies' TESTIMONY_LINKS): every link goes, whatever the cycle; audited with no actor (the person). */
  async removeAllOf(coalitionId: number, testimonyId: number, at: Date, manager: EntityManager): Promise<void> {
    await this.evidence.unlink(coalitionId, await this.evidence.linksOf(testimonyId, manager), null, at, manager);
  }
}
