import { Inject, Injectable } from '@nestjs/common';
import ical, { ICalEventStatus } from 'ical-generator';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../../config/app.config';
import { UsersService } from '../../accounts/users.service';
import type { AuthUser } from '../../auth/auth-user';
import { sharedSecret } from '../../database/shared-secret';
import { DeadlinesService } from '../../deadlines/deadlines.service';
import { AppLabels } from '../../i18n/app-labels';
import { DEFAULT_LANGUAGE, Translator } from '../../i18n/i18n';

/** Most deadlines one person could have; a feed larger than this would be refused by calendar apps anyway. */
const FEED_LIMIT = 2000;

/**
 * A personal calendar subscription (.ics) of one person's deadlines. The URL is the secret: it
 * carries the user id and their calendar token version, signed with HMAC-SHA256 under a key every
 * instance shares. Resetting raises the version, so the old URL stops working at once. The feed
 * holds deadline titles, dates and public recommendation references, never notes or evidence.
 */
@Injectable()
export class CalendarFeedService {
  private key?: Buffer;
  private readonly host: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly deadlines: DeadlinesService,
    private readonly translator: Translator,
  ) {
    this.host = config.http.appHost;
  }

  async urlFor(auth: AuthUser): Promise<string> {
    const version = await this.users.calendarTokenVersion(auth);
    return `${this.config.http.appUrl}/calendar/${await this.sign(auth.id, version)}.ics`;
  }

  /** A new URL for the person; the one they had returns 404 from now on. */
  async resetUrl(auth: AuthUser): Promise<void> {
    await this.users.raiseCalendarTokenVersion(auth);
  }

  /** The feed for a URL's token, or null when the token is forged, outdated or its person deactivated. */
  async feed(token: string): Promise<string | null> {
    const claim = await this.verify(token);
    if (!claim) return null;
    const user = await this.users.findActive(claim.userId);
    if (!user || user.calendarTokenVersion !== claim.version) return null;
    const deadlines = await this.deadlines.calendarOf(user.coalitionId, user.id, FEED_LIMIT);
    // In the person's language (English exactly as before: a test holds the catalogue's English equal).
    const labels = new AppLabels(this.translator, user.language ?? DEFAULT_LANGUAGE);
    const calendar = ical({ prodId: { company: 'upr-followup', product: 'my-deadlines', language: labels.language.toUpperCase() }, name: labels.t('calendar.feedName') });
    const appUrl = this.config.http.appUrl;
    for (const deadline of deadlines) {
      const cycle = { id: deadline.cycleId, label: labels.cycle(deadline.cycle!) };
      const recommendation = deadline.recommendation;
      const title = labels.deadline({ kind: deadline.kind, title: deadline.title }, cycle.label);
      calendar.createEvent({
        // The same UID as the invitations attached to reminder emails, so a calendar holds one event per deadline.
        id: `deadline-${deadline.id}@${this.host}`,
        sequence: deadline.version,
        start: deadline.dueAt,
        end: new Date(deadline.dueAt.getTime() + 30 * 60_000),
        summary: deadline.state === 'done' ? labels.t('calendar.done', { title }) : title,
        description: recommendation ? labels.t('calendar.feedRecommendation', { cycle: cycle.label, ref: recommendation.paragraph ?? recommendation.id }) : cycle.label,
        url: recommendation ? `${appUrl}/recommendations/${recommendation.id}` : `${appUrl}/cycles/${cycle.id}`,
        status: ICalEventStatus.CONFIRMED,
      });
    }
    return calendar.toString();
  }

  private async sign(userId: number, version: number): Promise<string> {
    return `${userId}.${version}.${await this.mac(`${userId}.${version}`)}`;
  }

  private async verify(token: string): Promise<{ userId: number; version: number } | null> {
    const match = /^(\d{1,12})\.(\d{1,9})\.([\w-]{43})$/.exec(token);
    if (!match) return null;
    const expected = Buffer.from(await this.mac(`${match[1]}.${match[2]}`));
    const given = Buffer.from(match[3]);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    return { userId: Number(match[1]), version: Number(match[2]) };
  }

  private async mac(body: string): Promise<string> {
    this.key ??= await sharedSecret(this.dataSource, 'calendar');
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
