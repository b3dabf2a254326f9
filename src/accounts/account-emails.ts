import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../../config/app.config';
import { MailTransport } from '../notifications/mail-transport';
import type { AccountLink } from './account-link.entity';
import { accountLinkEmail, existingAccountNoticeEmail } from './account-links.email';
import { AccountsRepository } from './accounts.repository';
import type { User } from './user.entity';

/**
 * The emails about accounts: invitation and password-reset links, and the notice to an address
 * that already has an account when another coalition adds it. They go straight to the mail
 * transport after the transaction commits, not through the notifications outbox: the admin who
 * invites someone is told at once when the email cannot be sent (502), and a link that sets a
 * password is not kept in an outbox row.
 */
@Injectable()
export class AccountEmails {
  private readonly host: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly accounts: AccountsRepository,
    private readonly mail: MailTransport,
  ) {
    this.host = config.http.appHost;
  }

  async sendLink(user: User, link: AccountLink, token: string, invitedBy?: string): Promise<void> {
    const coalition = await this.accounts.findCoalitionById(user.coalitionId);
    const path = link.purpose === 'invitation' ? 'invitations' : 'password/reset';
    await this.mail.send(
      accountLinkEmail({
        purpose: link.purpose,
        to: user.email,
        recipientName: user.name,
        coalitionName: coalition?.name ?? 'your coalition',
        invitedBy: invitedBy ?? 'An admin',
        url: `${this.config.http.appUrl}/${path}/${token}`,
        expiresAt: link.expiresAt,
        messageId: `<upr-followup.account-link-${link.id}@${this.host}>`,
      }),
    );
  }

  /** `account` signs in with the address; `added` is the row another coalition made for it. */
  async sendExistingAccountNotice(account: User, added: User, addedBy: string): Promise<void> {
    const coalition = await this.accounts.findCoalitionById(added.coalitionId);
    await this.mail.send(
      existingAccountNoticeEmail({
        to: account.email,
        recipientName: account.name,
        coalitionName: coalition?.name ?? 'another coalition',
        addedBy,
        signInUrl: `${this.config.http.appUrl}/login`,
        messageId: `<upr-followup.account-notice-${randomUUID()}@${this.host}>`,
      }),
    );
  }
}
