import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import MimeNode from 'nodemailer/lib/mime-node';
import { APP_CONFIG, type AppConfig } from '../../config/app.config';
import { Clock } from '../common/clock';
import { AppLabels } from '../i18n/app-labels';
import { type AppLanguage, DEFAULT_LANGUAGE, Translator } from '../i18n/i18n';
import { CalendarTexts, cycleName } from './deadline-calendar';
import { Digest } from './digest.entity';
import { EmailRenderings, EmailView } from './email-template';
import { OutgoingEmail } from './mail-transport';
import { Notification } from './notification.entity';
import type { ChangePayload, DeadlinePayload, MessageContent } from './notification-payload';
import { preferenceOf } from '../vocabulary/notification.vocabulary';
import type { Recipient } from './recipients';
import { RecentlyMade } from './recently-made';
import { UnsubscribeScope, UnsubscribeTokens } from './unsubscribe-tokens';

type Item = EmailView['items'][number];
type Frame = { subject: string | null; intro: string; reason: string; preferencesLabel: string; unsubscribeLabel: string };

/**
 * Turns one email's notifications into its subject, text, HTML, calendar attachments and headers,
 * in the recipient's language (issue 13), their calendar attachments too.
 */
@Injectable()
export class EmailComposer {
  private readonly host: string;
  private readonly calendarTexts: CalendarTexts;
  /**
   * Each notice's lines as one recipient reads them, by what they depend on only (kind, zone,
   * language, the payload as stored): every assignee of a deadline gets the same ones, and making
   * them (a dozen translations, two dates) was a fifth of a reminder email's CPU.
   */
  private readonly items = new RecentlyMade<Item>(2000);
  /**
   * Each calendar attachment as a finished MIME part, by its text: nodemailer would otherwise make
   * every one again for every email (headers, base64, a stream per part), most of a reminder
   * email's remaining MIME work. Made by nodemailer itself, as it makes an attachment's part.
   */
  private readonly calendarParts = new RecentlyMade<Promise<string>>(1000);
  /**
   * An email's subject, introduction and footer, by what they depend on (language, how many notices
   * of which preference, the coalition): the same for every member of a batch, and made with a
   * dozen translations each time.
   */
  private readonly frames = new RecentlyMade<Frame>(200);
  /** Each deadline notice's deadline, by the notice's stored text (parsed once, not for every email). */
  private readonly deadlineIds = new RecentlyMade<number>(2000);
  /** The text and HTML, rendered once for all the recipients of the same notices (see EmailRenderings). */
  private readonly renderings = new EmailRenderings();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tokens: UnsubscribeTokens,
    private readonly clock: Clock,
    private readonly translator: Translator,
  ) {
    this.host = config.http.appHost;
    this.calendarTexts = new CalendarTexts(this.host);
  }

  messageIdOf(digest: Digest): string {
    return `<upr-followup.digest-${digest.id}@${this.host}>`;
  }

  async compose(digest: Digest, recipient: Recipient, preferencesVersion: number, notifications: Notification[]): Promise<OutgoingEmail> {
    const message = notifications.find((n) => n.kind === 'account_email');
    if (message) return this.accountEmail(digest, recipient, JSON.parse(message.payload) as MessageContent);
    const appUrl = this.config.http.appUrl;
    const labels = new AppLabels(this.translator, recipient.language ?? DEFAULT_LANGUAGE);
    const variant = `${recipient.timeZone}\n${labels.language}`;
    const items = notifications.map((n) => this.items.get(n.payload, () => this.item(n, recipient.timeZone, labels), `${n.kind}\n${variant}`));
    const scopes = new Set(notifications.map((n) => preferenceOf(n.kind)));
    const scope: UnsubscribeScope = scopes.size > 1 ? 'all' : [...scopes][0];
    const token = await this.tokens.sign({ userId: recipient.id, scope, version: preferencesVersion }, this.clock.now());
    const unsubscribeUrl = `${appUrl}/unsubscribe/${token}`;
    const daily = digest.windowKey.startsWith('daily:');
    const reminders = notifications.filter((n) => preferenceOf(n.kind) === 'reminders').length;
    const frame = this.frames.get(
      `${labels.language}\n${daily}\n${items.length}\n${reminders}\n${scope}\n${recipient.coalitionName}`,
      () => this.frame(daily, items.length, reminders, scope, recipient.coalitionName, labels),
    );
    const subject = frame.subject ?? oneLine(items[0].headline);
    const { html, text } = this.renderings.render({
      lang: labels.language,
      title: subject,
      greeting: labels.t('email.greeting', { name: recipient.name }),
      intro: frame.intro,
      reason: frame.reason,
      preferencesLabel: frame.preferencesLabel,
      items,
      preferencesUrl: `${appUrl}/settings`,
      unsubscribeUrl,
      unsubscribeLabel: frame.unsubscribeLabel,
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
      attachments: await Promise.all(this.calendars(notifications, appUrl, labels).map(async (a) => ({
        ...a,
        raw: await this.calendarParts.get(a.content, () => attachmentPart(a), `${a.contentType}\n${a.filename}`),
      }))),
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

  private calendars(notifications: Notification[], appUrl: string, labels: AppLabels): OutgoingEmail['attachments'] {
    const byDeadline = new Map<number, { stored: string; deadlineId: number; cancelled: boolean }>();
    for (const n of notifications) {
      if (!['deadline_reminder', 'deadline_overdue', 'evidence_due', 'deadline_cancelled'].includes(n.kind)) continue;
      const deadlineId = this.deadlineIds.get(n.payload, () => (JSON.parse(n.payload) as DeadlinePayload).deadline.id);
      byDeadline.set(deadlineId, { stored: n.payload, deadlineId, cancelled: n.kind === 'deadline_cancelled' });
    }
    const now = this.clock.now();
    return [...byDeadline.values()].map(({ stored, deadlineId, cancelled }) => ({
      filename: `deadline-${deadlineId}.ics`,
      content: this.calendarTexts.get(stored, appUrl, cancelled, now, labels),
      contentType: `text/calendar; charset=utf-8; method=${cancelled ? 'CANCEL' : 'REQUEST'}`,
    }));
  }

  /** An email's words that depend on no notice's text nor on who it is for (null subject: its one notice's headline). */
  private frame(daily: boolean, count: number, reminders: number, scope: UnsubscribeScope, coalition: string, labels: AppLabels): Frame {
    const updates = labels.t('email.updates', { count });
    return {
      subject: daily || count > 1 ? oneLine(this.subject(daily, count, reminders, updates, labels)) : null,
      intro: daily ? labels.t('email.introDaily', { updates }) : count > 1 ? labels.t('email.introMany', { updates }) : labels.t('email.introOne'),
      reason: labels.t('email.reason', { coalition }),
      preferencesLabel: labels.t('email.preferences'),
      unsubscribeLabel: labels.t(`email.unsubscribe.${scope}`),
    };
  }

  private subject(daily: boolean, count: number, reminders: number, updates: string, labels: AppLabels): string {
    if (daily) return labels.t('email.subjectDaily', { updates });
    const changes = count - reminders;
    const parts = [reminders ? labels.t('email.deadlineNotices', { count: reminders }) : '', changes ? labels.t('email.changes', { count: changes }) : ''].filter(Boolean);
    return labels.t('email.subjectMany', { parts: parts.length === 2 ? labels.t('email.and', { first: parts[0], second: parts[1] }) : parts[0] });
  }

  private item(n: Notification, timeZone: string, labels: AppLabels): Item {
    const appUrl = this.config.http.appUrl;
    const t = (key: string, values?: Record<string, unknown>) => labels.t(`email.${key}`, values);
    const local = (iso: string) => localTime(iso, timeZone, labels.language);
    if (n.kind === 'status_change' || n.kind === 'response_change') {
      const p = JSON.parse(n.payload) as ChangePayload;
      const lines = [
        t('cycleAndExcerpt', { cycle: cycleName(p.cycle, labels), excerpt: p.recommendation.excerpt }),
        t('changedBy', { name: p.changedBy, at: local(p.at) }),
      ];
      if (p.note) lines.push(t('note', { note: p.note }));
      if (p.evidenceCount > 0) {
        const named = p.evidenceTitles.length > 0 ? `: ${p.evidenceTitles.join('; ')}` : '';
        const hidden = p.evidenceCount - p.evidenceTitles.length;
        lines.push(`${t('evidenceCited', { count: p.evidenceCount })}${named}${hidden > 0 ? ` ${t('evidenceHidden', { count: hidden })}` : ''}`);
      }
      const change = { ref: p.recommendation.paragraph ?? `#${p.recommendation.id}`, from: changeValue(n.kind, p.from, labels), to: changeValue(n.kind, p.to, labels) };
      return {
        headline: t(n.kind === 'status_change' ? 'statusHeadline' : 'responseHeadline', change),
        lines,
        // People click it: the web page, not the API's JSON.
        url: `${appUrl}/recommendations/${p.recommendation.id}`,
        linkLabel: t('openRecommendation'),
      };
    }
    const p = JSON.parse(n.payload) as DeadlinePayload;
    const due = local(p.deadline.dueAt);
    const cycle = cycleName(p.cycle, labels);
    const title = labels.deadline(p.deadline, cycle);
    const headline = {
      deadline_reminder: t('reminder', { title, due }),
      deadline_overdue: t('overdue', { title, due }),
      evidence_due: t('evidenceDue', { due }),
      deadline_cancelled: t('cancelled', { title, due }),
    }[n.kind as 'deadline_reminder'];
    const lines = [cycle];
    if (p.recommendation) lines.push(t('recommendation', { ref: p.recommendation.paragraph ?? `#${p.recommendation.id}`, excerpt: p.recommendation.excerpt }));
    if (p.deadline.timeZone !== timeZone) lines.push(t('setAs', { date: p.deadline.dueDate, time: p.deadline.dueTime ?? t('endOfDay'), zone: p.deadline.timeZone }));
    return {
      headline,
      lines,
      url: p.recommendation ? `${appUrl}/recommendations/${p.recommendation.id}` : `${appUrl}/recommendations?cycleId=${p.cycle.id}`,
      linkLabel: p.recommendation ? t('openRecommendation') : t('openCycle'),
    };
  }
}

/**
 * A moment as the recipient reads it: their own zone and its abbreviation, day and month names in
 * their language (English as it always was: luxon's default locale).
 */
function localTime(iso: string, timeZone: string, language: AppLanguage): string {
  const moment = DateTime.fromISO(iso, { zone: timeZone });
  return (language === DEFAULT_LANGUAGE ? moment : moment.setLocale(language)).toFormat('ccc d LLL yyyy, HH:mm ZZZZ');
}


/**
 * A status or response in a change notice. English emails have always named it by its code
 * ("in progress"); other languages by the label their pages use ("En curso").
 */
function changeValue(kind: string, value: string, labels: AppLabels): string {
  if (labels.language === DEFAULT_LANGUAGE) return value.replace(/_/g, ' ');
  return kind === 'status_change' ? labels.status(value) : labels.response(value);
}

/** An attachment's MIME part, as nodemailer's MailComposer makes it (base64, disposition attachment). */
async function attachmentPart(attachment: { filename: string; content: string; contentType: string }): Promise<string> {
  const part = new MimeNode('multipart/mixed').createChild(attachment.contentType, { filename: attachment.filename });
  part.setHeader('Content-Transfer-Encoding', 'base64');
  part.setContent(attachment.content);
  // Without the part's closing line break: the message adds its own before the next boundary.
  return (await part.build()).toString().replace(/\r?\n$/, '');
}

/** Header values never carry line breaks (no header injection), and stay readable in a list. */
function oneLine(value: string): string {
  const flat = value.replace(/[\r\n\t]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length <= 180 ? flat : `${flat.slice(0, 179)}…`;
}
