import Handlebars from 'handlebars';
import type { MessageContent } from '../notifications/notification-payload';

export interface TestimonyNoticeView {
  recipientName: string;
  coalitionName: string;
  url: string;
}

// Its own environment with no helpers: every value is escaped in the HTML part.
const hb = Handlebars.create();
const INTRO = 'A new testimony arrived through the People\'s UPR intake of {{coalitionName}}.';
const OUTRO = 'Nothing of what it says is in this email. Reading it is recorded in the audit trail.';
const text = hb.compile(`Hello {{recipientName}},\n\n${INTRO}\n\nRead it in the queue (coordinators and admins only):\n{{url}}\n\n${OUTRO}\n`, { noEscape: true });
const html = hb.compile(
  `<p style="font-family:sans-serif">Hello {{recipientName}},</p>\n<p style="font-family:sans-serif">${INTRO}</p>\n` +
    `<p style="font-family:sans-serif"><a href="{{url}}">Read it in the queue</a> (coordinators and admins only)</p>\n<p style="font-family:sans-serif">${OUTRO}</p>\n`,
);

/**
 * The coordinators' notice: that a testimony arrived, and where to read it. Never its content, its
 * consent, its language or anything the person wrote: email leaves the service's protection.
 */
export function testimonyNoticeEmail(view: TestimonyNoticeView): MessageContent {
  return { subject: 'A new testimony arrived', text: text(view), html: html(view) };
}
