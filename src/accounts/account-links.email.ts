import Handlebars from 'handlebars';
import type { AppLabels } from '../i18n/app-labels';
import type { MessageContent } from '../notifications/notification-payload';
import type { AccountLinkPurpose } from './account-link.entity';

export interface AccountLinkEmailView {
  purpose: AccountLinkPurpose;
  recipientName: string;
  coalitionName: string;
  /** Who sent the invitation (not used for resets). */
  invitedBy?: string;
  url: string;
  expiresAt: Date;
}

/**
 * The wording comes from the application's catalogue in the recipient's language
 * (`accountEmail.*`). The translator does not escape: the text part gets the values as they are,
 * the HTML part gets them escaped first, as handlebars did when these were templates.
 */
const escaped = (values: Record<string, string>) => Object.fromEntries(Object.entries(values).map(([key, value]) => [key, Handlebars.escapeExpression(value)]));
const oneLine = (value: string) => value.replace(/[\r\n]+/g, ' ');
const P = '<p style="font-family:sans-serif">';

/** The invitation or password-reset email: the link and its expiry, nothing else about the account. */
export function accountLinkEmail(view: AccountLinkEmailView, labels: AppLabels): MessageContent {
  const values = {
    recipientName: view.recipientName, coalitionName: view.coalitionName, invitedBy: view.invitedBy ?? '', url: view.url,
    expires: `${view.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  };
  const html = escaped(values);
  const t = (key: string, v: Record<string, string>) => labels.t(`accountEmail.${view.purpose}.${key}`, v);
  return {
    subject: oneLine(t('subject', values)),
    text: `${labels.t('email.greeting', { name: values.recipientName })}\n\n${t('intro', values)}\n\n${values.url}\n\n${t('outro', values)}\n`,
    html:
      `${P}${labels.t('email.greeting', { name: html.recipientName })}</p>\n${P}${t('intro', html)}</p>\n` +
      `${P}<a href="${html.url}">${t('action', html)}</a></p>\n<p style="font-family:sans-serif;font-size:13px;color:#555">${t('outro', html)}</p>\n`,
  };
}

export interface ExistingAccountNoticeView {
  /** The name of the account this address signs in to. */
  recipientName: string;
  /** The coalition that tried to add the address, and who did. */
  coalitionName: string;
  addedBy: string;
  signInUrl: string;
}

/**
 * To an address that already signs in to another coalition's account, when a coalition adds it:
 * the person learns what happened; the coalition that added it is answered as for any new address.
 * It carries no link that could set a password.
 */
export function existingAccountNoticeEmail(view: ExistingAccountNoticeView, labels: AppLabels): MessageContent {
  const values = { recipientName: view.recipientName, coalitionName: view.coalitionName, addedBy: view.addedBy, url: view.signInUrl };
  const html = escaped(values);
  const t = (key: string, v: Record<string, string>) => labels.t(`accountEmail.existing.${key}`, v);
  const paragraphs = (v: Record<string, string>) => [labels.t('email.greeting', { name: v.recipientName }), t('what', v), t('next', v)];
  return {
    subject: oneLine(t('subject', values)),
    text: `${paragraphs(values).join('\n\n')}\n\n${t('signInText', values)}\n`,
    html: `${paragraphs(html).map((p) => `${P}${p}</p>\n`).join('')}${P}<a href="${html.url}">${t('signIn', html)}</a></p>\n`,
  };
}
