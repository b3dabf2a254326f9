import { BadRequestException, HttpStatus, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { canReadConfidential, type AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { conflict, notFound } from '../common/errors';
import { ThemesService } from '../themes/themes.service';
import type { TestimonyConsent } from '../vocabulary/testimony.vocabulary';
import { ExcerptDto, mapTestimonySummary, TestimonySummary, TriageTestimonyDto } from './testimonies.dto';
import { TestimoniesRepository } from './testimonies.repository';
import type { Testimony } from './testimony.entity';

/** The consents under which an anonymised excerpt may be written and cited. */
const EXCERPT_CONSENTS: readonly TestimonyConsent[] = ['anonymised', 'public'];

/**
 * The coordinators' triage (issue 13): the queue state, the tags, the anonymised excerpt, and the
 * state a link sets. Like the queue, a testimony is "not found" to anyone but the coordinators and
 * admins of its coalition. The audit keeps what changed (`state_changed`, `tagged`, that an excerpt
 * was written and its length), never a word of the testimony nor of the excerpt.
 */
@Injectable()
export class TestimonyTriageService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly testimonies: TestimoniesRepository,
    private readonly themes: ThemesService,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async triage(auth: AuthUser, id: number, dto: TriageTestimonyDto): Promise<TestimonySummary> {
    if (dto.state === undefined && dto.themes === undefined && dto.affectedPersons === undefined) {
      throw badInput('state', 'give a state, themes or affectedPersons to change');
    }
    // Checked before the transaction: an unknown theme or group is a 400 naming it, with suggestions.
    await this.findChangeable(auth, id);
    const tags = await this.themes.requireTags(auth.coalitionId, dto.themes, dto.affectedPersons);
    const changed = await this.dataSource.transaction(async (manager) => {
      const testimony = await this.findChangeable(auth, id, manager);
      const before = { state: testimony.state, themes: testimony.themes ?? [], affectedPersons: testimony.affectedPersons ?? [] };
      const after = {
        state: dto.state ?? testimony.state,
        themes: tags.themes ?? before.themes,
        // Groups a theme names join the groups (as for recommendations) only when groups are sent.
        affectedPersons: tags.affectedPersons ?? before.affectedPersons,
      };
      if (JSON.stringify(before) === JSON.stringify(after)) return testimony;
      const at = this.clock.now();
      await this.testimonies.updateTriage(id, after, at, manager);
      const entry = { coalitionId: auth.coalitionId, actor: auth, entity: 'testimony' as const, entityId: id, at };
      await this.audit.recordChanges({ ...entry, action: 'state_changed' }, { state: before.state }, { state: after.state }, manager);
      await this.audit.recordChanges({ ...entry, action: 'tagged' }, { themes: before.themes, affectedPersons: before.affectedPersons }, { themes: after.themes, affectedPersons: after.affectedPersons }, manager);
      return { ...testimony, ...after, updatedAt: at };
    });
    return mapTestimonySummary(changed);
  }

  /** The excerpt, in clear (docs/testimony.md says why); refused (409) unless the consent allows quoting. */
  async writeExcerpt(auth: AuthUser, id: number, dto: ExcerptDto): Promise<TestimonySummary> {
    const changed = await this.dataSource.transaction(async (manager) => {
      const testimony = await this.findChangeable(auth, id, manager);
      if (!testimony.consent || !EXCERPT_CONSENTS.includes(testimony.consent)) {
        throw conflict(
          `Testimony ${id} was given for use inside the coalition only (consent "internal"): no excerpt of it may be written or cited. An excerpt needs consent "anonymised" or "public".`,
          { field: 'text', consent: testimony.consent },
        );
      }
      if (testimony.excerpt === dto.text) return testimony;
      const at = this.clock.now();
      await this.testimonies.updateExcerpt(id, dto.text, at, manager);
      await this.audit.record({
        coalitionId: auth.coalitionId, actor: auth, entity: 'testimony', entityId: id, action: 'excerpt_written', at,
        before: { excerpt: testimony.excerpt !== null }, after: { excerpt: true, length: dto.text.length },
      }, manager);
      return { ...testimony, excerpt: dto.text, excerptUpdatedAt: at, updatedAt: at };
    });
    return mapTestimonySummary(changed);
  }

  async removeExcerpt(auth: AuthUser, id: number): Promise<TestimonySummary> {
    const changed = await this.dataSource.transaction(async (manager) => {
      const testimony = await this.findChangeable(auth, id, manager);
      if (testimony.excerpt === null) return testimony;
      const at = this.clock.now();
      await this.testimonies.updateExcerpt(id, null, at, manager);
      await this.audit.record({
        coalitionId: auth.coalitionId, actor: auth, entity: 'testimony', entityId: id, action: 'excerpt_removed', at, before: { excerpt: true }, after: { excerpt: false },
      }, manager);
      return { ...testimony, excerpt: null, excerptUpdatedAt: null, updatedAt: at };
    });
    return mapTestimonySummary(changed);
  }

  /**
   * The testimony a coordinator may change, locked for the transaction: 404 to anyone else, 409 once
   * withdrawn (nothing of it is left to triage, link or quote). The triage's links call it too.
   */
  async findChangeable(auth: AuthUser, id: number, manager?: EntityManager): Promise<Testimony> {
    const testimony = !canReadConfidential(auth)
      ? null
      : manager
        ? await this.testimonies.findInCoalitionForUpdate(auth.coalitionId, id, manager)
        : await this.testimonies.findInCoalition(auth.coalitionId, id);
    if (!testimony) throw notFound('Testimony', id);
    if (testimony.state === 'withdrawn') throw conflict(`Testimony ${id} was withdrawn by the person who gave it: it can no longer be triaged, linked or quoted`, { state: 'withdrawn' });
    return testimony;
  }

  /** A link to a recommendation makes a testimony `linked`; its last link removed, it is `reviewed`. */
  async setLinkedState(auth: AuthUser, testimony: Testimony, linked: boolean, manager: EntityManager): Promise<void> {
    const state = linked ? 'linked' : 'reviewed';
    if (testimony.state === state || (!linked && testimony.state !== 'linked')) return;
    const at = this.clock.now();
    await this.testimonies.updateState(testimony.id, state, at, manager);
    await this.audit.recordChanges({ coalitionId: auth.coalitionId, actor: auth, entity: 'testimony', entityId: testimony.id, action: 'state_changed', at }, { state: testimony.state }, { state }, manager);
  }
}

function badInput(field: string, problem: string): BadRequestException {
  return new BadRequestException({ statusCode: HttpStatus.BAD_REQUEST, error: 'Bad Request', message: `${field}: ${problem}`, details: [{ field, problem }] });
}
