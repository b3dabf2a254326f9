import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { conflict, notFound } from '../common/errors';
import { Page } from '../common/pagination';
import { ListOutboxQuery, LISTED_STATES, mapOutboxEmail, OutboxEmailResponse } from './notifications.dto';
import { NotificationDispatcher, DispatchSummary } from './notification-dispatcher.service';
import { NotificationsRepository } from './notifications.repository';
import { RECIPIENTS, type Recipients } from './recipients';

/** The admins' view of the coalition's outgoing email, and the command line's. */
@Injectable()
export class OutboxAdminService {
  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly dispatcher: NotificationDispatcher,
    private readonly clock: Clock,
    @Inject(RECIPIENTS) private readonly recipients: Recipients,
  ) {}

  private async emailsOf(recipientIds: number[]): Promise<Map<number, string>> {
    return new Map((await this.recipients.byIds([...new Set(recipientIds)])).map((r) => [r.id, r.email]));
  }

  async list(auth: AuthUser, query: ListOutboxQuery): Promise<Page<OutboxEmailResponse>> {
    const states = query.state ? [query.state] : [...LISTED_STATES];
    const [digests, total] = await this.notifications.listDigestsOfCoalition(auth.coalitionId, states, (query.page - 1) * query.pageSize, query.pageSize);
    const counts = new Map((await this.notifications.countNotificationsOfDigests(digests.map((d) => d.id))).map((c) => [Number(c.digestId), Number(c.count)]));
    const emails = await this.emailsOf(digests.map((d) => d.recipientId));
    return { items: digests.map((d) => mapOutboxEmail(d, emails.get(d.recipientId), counts.get(d.id) ?? 0)), total, page: query.page, pageSize: query.pageSize };
  }

  /** Puts a failed or suppressed email back in the queue; retrying a suppressed address lifts its suppression. */
  async retry(auth: AuthUser, id: number): Promise<OutboxEmailResponse> {
    const digest = await this.notifications.findDigestOfCoalition(auth.coalitionId, id);
    if (!digest) throw notFound('Email', id);
    if (digest.state !== 'failed' && digest.state !== 'suppressed') {
      throw conflict(`Email ${id} is ${digest.state}; only failed or suppressed emails can be retried`, { state: digest.state });
    }
    if (await this.notifications.carriesAccountEmail(id)) {
      throw conflict(
        `Email ${id} was an account email (an invitation, a password reset or an account notice); its text and link are not kept once it fails. Resend the invitation from People, or ask for a new reset link.`,
        { state: digest.state },
      );
    }
    const email = (await this.emailsOf([digest.recipientId])).get(digest.recipientId);
    if (email) await this.notifications.unsuppress(email);
    await this.notifications.requeue(digest, this.clock.now());
    const requeued = await this.notifications.findDigestOfCoalition(auth.coalitionId, id);
    return mapOutboxEmail(requeued!, email, (await this.notifications.countNotificationsOfDigests([id])).reduce((n, c) => n + Number(c.count), 0));
  }

  dispatchNow(): Promise<DispatchSummary> {
    return this.dispatcher.dispatch();
  }

  async status(): Promise<{ notifications: Record<string, number>; emails: Record<string, number> }> {
    const toRecord = (rows: { state: string; count: string | number }[]) => Object.fromEntries(rows.map((r) => [r.state, Number(r.count)]));
    return {
      notifications: toRecord(await this.notifications.countNotificationsByState()),
      emails: toRecord(await this.notifications.countDigestsByState()),
    };
  }
}
