import { BadRequestException, HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { Clock } from '../common/clock';
import { conflict } from '../common/errors';
import { isUniqueViolation } from '../database/unique-violation';
import { EnableIntakeDto, IntakeSettingsResponse, mapIntakeSettings, SLUG_PATTERN } from './testimonies.dto';
import { TestimoniesRepository } from './testimonies.repository';
import type { TestimonyIntake } from './testimony.entity';
import { TestimonyKeys } from './testimony-keys';

/** Who changes the settings: an admin (pages, API) or the command line (null). */
export type IntakeActor = { id: number; name: string } | null;

/** A coalition's public intake: enabled with an address (slug) by an admin, or closed. */
@Injectable()
export class IntakeSettingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly testimonies: TestimoniesRepository,
    private readonly keys: TestimonyKeys,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async settings(coalitionId: number): Promise<IntakeSettingsResponse> {
    return mapIntakeSettings(await this.testimonies.findIntakeOfCoalition(coalitionId));
  }

  /** Opens the intake at /api/v1/public/testimonies/<slug>; refused while TESTIMONY_KEY is not configured. */
  async enable(coalitionId: number, dto: EnableIntakeDto, actor: IntakeActor): Promise<IntakeSettingsResponse> {
    if (!this.keys.configured) {
      throw new BadRequestException({
        statusCode: HttpStatus.BAD_REQUEST, error: 'Bad Request',
        message: 'Testimony intake needs TESTIMONY_KEY in the configuration (32 random bytes, base64: openssl rand -base64 32), so that testimony is encrypted at rest; set it and restart, then enable the intake',
      });
    }
    try {
      const saved = await this.dataSource.transaction(async (manager) => {
        const before = await this.testimonies.findIntakeOfCoalition(coalitionId, manager);
        const taken = await this.testimonies.findIntakeBySlug(dto.slug, manager);
        if (taken && taken.coalitionId !== coalitionId) throw slugTaken(dto.slug);
        const at = this.clock.now();
        const intake = await this.testimonies.saveIntake({ ...(before ?? {}), coalitionId, slug: dto.slug, enabled: true, updatedAt: at }, manager);
        await this.audit.recordChanges({ coalitionId, actor, entity: 'intake', entityId: intake.id, action: 'enabled', at }, valuesOf(before), valuesOf(intake), manager);
        return intake;
      });
      return mapIntakeSettings(saved);
    } catch (error) {
      if (isUniqueViolation(error)) throw slugTaken(dto.slug);
      throw error;
    }
  }

  /** Closes the intake: its address answers 404. Testimonies already received stay in the queue. */
  async disable(coalitionId: number, actor: IntakeActor): Promise<IntakeSettingsResponse> {
    const saved = await this.dataSource.transaction(async (manager) => {
      const before = await this.testimonies.findIntakeOfCoalition(coalitionId, manager);
      if (!before?.enabled) return before;
      const at = this.clock.now();
      const intake = await this.testimonies.saveIntake({ ...before, enabled: false, updatedAt: at }, manager);
      await this.audit.recordChanges({ coalitionId, actor, entity: 'intake', entityId: intake.id, action: 'disabled', at }, valuesOf(before), valuesOf(intake), manager);
      return intake;
    });
    return mapIntakeSettings(saved);
  }

  /** The open intake at this address; 404 alike for an unknown and a closed one. */
  async openIntake(slug: string): Promise<TestimonyIntake> {
    // An address no slug could be (e.g. with a NUL byte, which PostgreSQL refuses in a query) is
    // answered like an unknown one, without asking the database.
    const wanted = slug.toLowerCase();
    const intake = SLUG_PATTERN.test(wanted) ? await this.testimonies.findIntakeBySlug(wanted) : null;
    if (!intake?.enabled) throw new NotFoundException({ statusCode: HttpStatus.NOT_FOUND, error: 'Not Found', message: 'No testimony intake is open at this address' });
    return intake;
  }
}

const valuesOf = (intake: TestimonyIntake | null) => ({ slug: intake?.slug ?? null, enabled: intake?.enabled ?? false });

function slugTaken(slug: string) {
  return conflict(`slug: "${slug}" is the intake address of another coalition; choose another`, { field: 'slug' });
}
