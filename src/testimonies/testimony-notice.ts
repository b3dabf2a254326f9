import Handlebars from 'handlebars';
import type { AppLabels } from '../i18n/app-labels';
import type { MessageContent } from '../notifications/notification-payload';

export interface TestimonyNoticeView {
  recipientName: string;
  coalitionName: string;
  url: string;
}

const P = '<p style="font-family:sans-serif">';

/**
 * The coordinators' notice: that a testimony arrived, and where to read it. Never its content, its
 * consent, its language or anything the person wrote: email leaves the service's protection. In the
 * recipient's language (testimonyEmail.* of the application's catalogue); the translator does not
 * escape, so the HTML part gets the values escaped first.
 */
export function testimonyNoticeEmail(view: TestimonyNoticeView, labels: AppLabels): MessageContent {
  const html = Object.fromEntries(Object.entries(view).map(([key, value]) => [key, Handlebars.escapeExpression(value)])) as unknown as TestimonyNoticeView;
  const t = (key: string, values?: Record<string, string>) => labels.t(`testimonyEmail.${key}`, values);
  return {
    subject: t('subject'),
    text: `${labels.t('email.greeting', { name: view.recipientName })}\n\n${t('intro', { coalitionName: view.coalitionName })}\n\n${t('readText')}\n${view.url}\n\n${t('outro')}\n`,
    html:
      `${P}${labels.t('email.greeting', { name: html.recipientName })}</p>\n${P}${t('intro', { coalitionName: html.coalitionName })}</p>\n` +
      `${P}<a href="${html.url}">${t('read')}</a> ${t('readWho')}</p>\n${P}${t('outro')}</p>\n`,
  };
}
