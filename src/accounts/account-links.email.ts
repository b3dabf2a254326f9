import Handlebars from 'handlebars';
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

// Its own environment with no helpers: every value is escaped in the HTML part.
const hb = Handlebars.create();

const WORDING: Record<AccountLinkPurpose, { subject: string; intro: string; action: string; outro: string }> = {
  invitation: {
    subject: 'You are invited to {{coalitionName}} on UPR follow-up',
    intro: '{{invitedBy}} invited you to follow up UPR recommendations with {{coalitionName}}. Choose a password to start:',
    action: 'Set your password',
    outro: 'The link works once, until {{expires}}. If it has expired, ask {{invitedBy}} to send a new one.',
  },
  password_reset: {
    subject: 'Reset your UPR follow-up password',
    intro: 'Someone (hopefully you) asked to reset the password of your account with {{coalitionName}}. Choose a new password:',
    action: 'Choose a new password',
    outro: 'The link works once, until {{expires}}. If you did not ask for it, ignore this email: your password stays as it is.',
  },
};

const compiled = Object.fromEntries(
  Object.entries(WORDING).map(([purpose, w]) => [
    purpose,
    {
      subject: hb.compile(w.subject, { noEscape: true }),
      text: hb.compile(`Hello {{recipientName}},\n\n${w.intro}\n\n{{url}}\n\n${w.outro}\n`, { noEscape: true }),
      html: hb.compile(
        `<p style="font-family:sans-serif">Hello {{recipientName}},</p>\n<p style="font-family:sans-serif">${w.intro}</p>\n` +
          `<p style="font-family:sans-serif"><a href="{{url}}">${w.action}</a></p>\n<p style="font-family:sans-serif;font-size:13px;color:#555">${w.outro}</p>\n`,
      ),
    },
  ]),
) as Record<AccountLinkPurpose, { subject: Handlebars.TemplateDelegate; text: Handlebars.TemplateDelegate; html: Handlebars.TemplateDelegate }>;

/** The invitation or password-reset email: the link and its expiry, nothing else about the account. */
export function accountLinkEmail(view: AccountLinkEmailView): MessageContent {
  const data = { ...view, expires: `${view.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC` };
  const templates = compiled[view.purpose];
  return {
    subject: templates.subject(data).replace(/[\r\n]+/g, ' '),
    text: templates.text(data),
    html: templates.html(data),
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

const NOTICE = {
  subject: hb.compile('{{addedBy}} tried to add you to {{coalitionName}} on UPR follow-up', { noEscape: true }),
  paragraphs: [
    'Hello {{recipientName}},',
    '{{addedBy}} tried to add this address to {{coalitionName}} on UPR follow-up. It already has an account there with another coalition, and an address can belong to one coalition only, so nothing was added and your account is as it was. {{coalitionName}} has not been told that this address has an account.',
    'If you want to work with {{coalitionName}} as well, ask {{addedBy}} to add another of your email addresses. If you did not expect this, you can ignore this email.',
  ],
};
const noticeText = hb.compile(`${NOTICE.paragraphs.join('\n\n')}\n\nSign in to your account as usual: {{signInUrl}}\n`, { noEscape: true });
const noticeHtml = hb.compile(
  `${NOTICE.paragraphs.map((p) => `<p style="font-family:sans-serif">${p}</p>\n`).join('')}<p style="font-family:sans-serif"><a href="{{signInUrl}}">Sign in to your account</a></p>\n`,
);

/**
 * To an address that already signs in to another coalition's account, when a coalition adds it:
 * the person learns what happened; the coalition that added it is answered as for any new address.
 * It carries no link that could set a password.
 */
export function existingAccountNoticeEmail(view: ExistingAccountNoticeView): MessageContent {
  return {
    subject: NOTICE.subject(view).replace(/[\r\n]+/g, ' '),
    text: noticeText(view),
    html: noticeHtml(view),
  };
}
