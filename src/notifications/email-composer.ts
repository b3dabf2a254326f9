import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { APP_CONFIG, type AppConfig } from '../../config/app.config';
import { Clock } from '../common/clock';
import { deadlineCalendar, deadlineTitle } from './deadline-calendar';
import { Digest } from './digest.entity';
import { EmailView, renderEmail } from './email-template';
import { OutgoingEmail } from './mail-transport';
import { Notification } from './notification.entity';
import type { ChangePayload, DeadlinePayload, MessageContent } from './notification-payload';
import { preferenceOf } from '../vocabulary/notification.vocabulary';
import type { Recipient } from './recipients';
import { UnsubscribeScope, UnsubscribeTokens } from './unsubscribe-tokens';

type Item = EmailView['items'][number];

/** Turns one email's notifications into its subject, text, HTML, calendar attachments and headers. */
@Injectable()
export class EmailComposer {
  private readonly host: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tokens: UnsubscribeTokens,
    private readonly clock: Clock,
  ) {
    this.host = config.http.appHost;
  }

  messageIdOf(digest: Digest): string {
    return `<upr-followup.digest-${digest.id}@${this.host}>`;
  }

  async compose(digest: Digest, recipient: Recipient, preferencesVersion: number, notifications: Notification[]): Promise<OutgoingEmail> {
    const message = notifications.find((n) => n.kind === 'account_email');
    if (message) return this.accountEmail(digest, recipient, JSON.parse(message.payload) as MessageContent);
    const appUrl = this.config.http.appUrl;
    const items = notifications.map((n) => this.item(n, recipient.timeZone));
    const scopes = new Set(notifications.map((n) => preferenceOf(n.kind)));
    const scope: UnsubscribeScope = scopes.size > 1 ? 'all' : [...scopes][0];
    const token = await this.tokens.sign({ userId: recipient.id, scope, version: preferencesVersion }, this.clock.now());
    const unsubscribeUrl = `${appUrl}/unsubscribe/${token}`;
    const subject = oneLine(this.subject(digest, notifications, items));
    const { html, text } = renderEmail({
      title: subject,
      recipientName: recipient.name,
      intro: digest.windowKey.startsWith('daily:')
        ? `Here is your daily digest: ${count(items.length, 'update')}.`
        : items.length > 1 ? `${count(items.length, 'update')} for you:` : 'An update for you:',
      coalitionName: recipient.coalitionName,
      items,
      preferencesUrl: `${appUrl}/settings`,
      unsubscribeUrl,
      unsubscribeLabel: {
        reminders: 'Stop deadline reminders',
        statusChanges: 'Stop change notices',
        all: 'Stop these emails',
      }[scope],
    });
    return {
      to: recipient.email,
      subject,
      text,
      html,
      messageId: this.messageIdOf(digest),
      headers: {
        'List-Unsubscribe': `<${unsubscribeUrl}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        'Auto-Submitted': 'auto-generated',
      },
      attachments: this.calendars(notifications, appUrl),
    };
  }

  /** Sent as its feature wrote it: nothing to unsubscribe from (a person asked for it). */
  private accountEmail(digest: Digest, recipient: Recipient, content: MessageContent): OutgoingEmail {
    return {
      to: recipient.email,
      subject: oneLine(content.subject),
      text: content.text,
      html: content.html,
      messageId: this.messageIdOf(digest),
      headers: { 'Auto-Submitted': 'auto-generated' },
      attachments: [],
    };
  }

  private calendars(notifications: Notification[], appUrl: string): OutgoingEmail['attachments'] {
    const byDeadline = new Map<number, { payload: DeadlinePayload; cancelled: boolean }>();
    for (const n of notifications) {
      if (!['deadline_reminder', 'deadline_overdue', 'evidence_due', 'deadline_cancelled'].includes(n.kind)) continue;
      const payload = JSON.parse(n.payload) as DeadlinePayload;
      byDeadline.set(payload.deadline.id, { payload, cancelled: n.kind === 'deadline_cancelled' });
    }
    return [...byDeadline.values()].map(({ payload, cancelled }) => ({
      filename: `deadline-${payload.deadline.id}.ics`,
      content: deadlineCalendar(payload, this.host, appUrl, cancelled),
      contentType: `text/calendar; charset=utf-8; method=${cancelled ? 'CANCEL' : 'REQUEST'}`,
    }));
  }

  private subject(digest: Digest, notifications: Notification[], items: Item[]): string {
    if (digest.windowKey.startsWith('daily:')) return `upr-followup daily digest: ${count(items.length, 'update')}`;
    if (items.length === 1) return items[0].headline;
    const reminders = notifications.filter((n) => preferenceOf(n.kind) === 'reminders').length;
    const changes = notifications.length - reminders;
    const parts = [reminders ? count(reminders, 'deadline notice') : '', changes ? count(changes, 'change') : ''].filter(Boolean);
    return `upr-followup: ${parts.join(' and ')}`;
  }

  private item(n: Notification, timeZone: string): Item {
    const appUrl = this.config.http.appUrl;
    if (n.kind === 'status_change' || n.kind === 'response_change') {
      const p = JSON.parse(n.payload) as ChangePayload;
      const what = n.kind === 'status_change' ? 'Status' : "State's response";
      const lines = [
        `${p.cycle.label}. ${p.recommendation.excerpt}`,
        `Changed by ${p.changedBy} on ${local(p.at, timeZone)}.`,
      ];
      if (p.note) lines.push(`Note: ${p.note}`);
      if (p.evidenceCount > 0) {
        const named = p.evidenceTitles.length > 0 ? `: ${p.evidenceTitles.join('; ')}` : '';
        const hidden = p.evidenceCount - p.evidenceTitles.length;
        lines.push(`Evidence cited: ${p.evidenceCount}${named}${hidden > 0 ? ` (${hidden} confidential, not shown)` : ''}`);
      }
      return {
        headline: `${what} of recommendation ${p.recommendation.paragraph ?? `#${p.recommendation.id}`}: ${label(p.from)} → ${label(p.to)}`,
        lines,
        // People click it: the web page, not the API's JSON.
        url: `${appUrl}/recommendations/${p.recommendation.id}`,
        linkLabel: 'Open the recommendation',
      };
    }
    const p = JSON.parse(n.payload) as DeadlinePayload;
    const due = local(p.deadline.dueAt, timeZone);
    const headline = {
      deadline_reminder: `Reminder: ${deadlineTitle(p)}, due ${due}`,
      deadline_overdue: `Overdue: ${deadlineTitle(p)}, was due ${due}`,
      evidence_due: `Evidence due: no evidence was added by ${due}`,
      deadline_cancelled: `Cancelled: ${deadlineTitle(p)} (was due ${due})`,
    }[n.kind as 'deadline_reminder'];
    const lines = [p.cycle.label];
    if (p.recommendation) lines.push(`Recommendation ${p.recommendation.paragraph ?? `#${p.recommendation.id}`}: ${p.recommendation.excerpt}`);
    if (p.deadline.timeZone !== timeZone) lines.push(`Set as ${p.deadline.dueDate} ${p.deadline.dueTime ?? 'end of day'} (${p.deadline.timeZone}).`);
    return {
      headline,
      lines,
      url: p.recommendation ? `${appUrl}/recommendations/${p.recommendation.id}` : `${appUrl}/recommendations?cycleId=${p.cycle.id}`,
      linkLabel: p.recommendation ? 'Open the recommendation' : 'Open the cycle',
    };
  }
}

/** A moment as the recipient reads it: their own zone and its abbreviation. */
function local(iso: string, timeZone: string): string {
  return DateTime.fromISO(iso, { zone: timeZone }).toFormat("ccc d LLL yyyy, HH:mm ZZZZ");
}

function label(value: string): string {
  return value.replace(/_/g, ' ');
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Header values never carry line breaks (no header injection), and stay readable in a list. */
function oneLine(value: string): string {
  const flat = value.replace(/[\r\n\t]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length <= 180 ? flat : `${flat.slice(0, 179)}…`;
}
