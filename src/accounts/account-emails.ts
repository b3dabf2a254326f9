import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app.config';
import { Clock } from '../common/clock';
import { AppLabels } from '../i18n/app-labels';
import { DEFAULT_LANGUAGE, Translator } from '../i18n/i18n';
import { NotificationOutbox } from '../notifications/notification-outbox';
import type { MessageContent } from '../notifications/notification-payload';
import type { AccountLink } from './account-link.entity';
import { accountLinkEmail, existingAccountNoticeEmail } from './account-links.email';
import { AccountsRepository } from './accounts.repository';
import type { User } from './user.entity';

/**
 * The emails about accounts: invitation and password-reset links, and the notice to an address
 * that already has an account when another coalition adds it, in the recipient's language. Written here, sent like every email
 * through the notifications outbox: enqueued in the transaction that issues the link, then
 * delivered at once (deliver), so the admin who invites someone is told at once when the email
 * cannot be sent (502). The outbox erases the email, link included, once it is sent or given up.
 */
@Injectable()
export class AccountEmails {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly accounts: AccountsRepository,
    private readonly outbox: NotificationOutbox,
    private readonly clock: Clock,
    private readonly translator: Translator,
  ) {}

  /** The invitation or reset email with its link, into the outbox in the caller's transaction; its key. */
  async queueLink(user: User, link: AccountLink, token: string, invitedBy: string | undefined, manager: EntityManager): Promise<string> {
    const coalition = await this.accounts.findCoalitionById(user.coalitionId, manager);
    const path = link.purpose === 'invitation' ? 'invitations' : 'password/reset';
    // In the person's language: the one the inviting admin chose (English by default), until they choose.
    const labels = new AppLabels(this.translator, user.language ?? DEFAULT_LANGUAGE);
    const content = accountLinkEmail({
      purpose: link.purpose,
      recipientName: user.name,
      coalitionName: coalition?.name ?? labels.t('accountEmail.yourCoalition'),
      invitedBy: invitedBy ?? labels.t('accountEmail.anAdmin'),
      url: `${this.config.http.appUrl}/${path}/${token}`,
      expiresAt: link.expiresAt,
    }, labels);
    return this.queue(`account-link:${link.id}`, user, content, manager);
  }

  /**
   * To `account` (the address signs in to it) about `added`, the row another coalition made for the
   * address; `key` names the occasion (an invitation's link, or the added row).
   */
  async queueExistingAccountNotice(account: User, added: User, addedBy: string, key: string, manager: EntityManager): Promise<string> {
    const coalition = await this.accounts.findCoalitionById(added.coalitionId, manager);
    const labels = new AppLabels(this.translator, account.language ?? DEFAULT_LANGUAGE);
    const content = existingAccountNoticeEmail({
      recipientName: account.name,
      coalitionName: coalition?.name ?? labels.t('accountEmail.anotherCoalition'),
      addedBy,
      // The sign-in page in the person's language (it knows nobody yet).
      signInUrl: `${this.config.http.appUrl}/login${labels.language === DEFAULT_LANGUAGE ? '' : `?lang=${labels.language}`}`,
    }, labels);
    return this.queue(`account-notice:${key}`, account, content, manager);
  }

  /** The notice on its own (a person added with a password): enqueued and delivered at once. */
  async sendExistingAccountNotice(account: User, added: User, addedBy: string): Promise<void> {
    const key = await this.dataSource.transaction((manager) => this.queueExistingAccountNotice(account, added, addedBy, `user:${added.id}`, manager));
    await this.deliver(key);
  }

  /** Sends an enqueued email now; throws, saying why, when it did not go. */
  async deliver(key: string): Promise<void> {
    const outcome = await this.outbox.deliverNow(key);
    if (!outcome.sent) throw new Error(outcome.reason);
  }

  private async queue(key: string, to: User, content: MessageContent, manager: EntityManager): Promise<string> {
    await this.outbox.enqueueAccountEmail({ key, coalitionId: to.coalitionId, recipientId: to.id, ...content }, this.clock.now(), manager);
    return key;
  }
}
