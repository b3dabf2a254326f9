import MailComposer from 'nodemailer/lib/mail-composer';
import MimeNode from 'nodemailer/lib/mime-node';
import { compileMessage } from './mime-message';

/** A calendar part as EmailComposer makes it (attachmentPart): nodemailer's own, without its last line break. */
async function calendarPart(filename: string, content: string): Promise<string> {
  const part = new MimeNode('multipart/mixed').createChild('text/calendar; charset=utf-8; method=REQUEST', { filename });
  part.setHeader('Content-Transfer-Encoding', 'base64');
  part.setContent(content);
  return (await part.build()).toString().replace(/\r?\n$/, '');
}

const mail = {
  from: 'UPR Follow-up <noreply@example.org>',
  to: 'ana@example.org',
  subject: 'Rappel : 3 échéances',
  text: 'Bonjour Ana,\n\n* Submission 1\n',
  html: '<p>Bonjour Ana,</p><div>Submission 1 — ça vient</div>',
  messageId: '<upr-followup.digest-7@example.org>',
  headers: { 'List-Unsubscribe': '<https://example.org/unsubscribe/abc>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  date: new Date('2027-03-09T09:00:05Z'),
  baseBoundary: '0123456789abcdef',
};

describe('compileMessage (the message as MailComposer makes it)', () => {
  it('should give the same bytes as MailComposer with one node per finished attachment', async () => {
    const attachments = await Promise.all([1, 2, 3].map(async (id) => {
      const content = `BEGIN:VCALENDAR\r\nSUMMARY:Submission ${id} — échéance\r\nEND:VCALENDAR\r\n`;
      const filename = `deadline-${id}.ics`;
      const contentType = 'text/calendar; charset=utf-8; method=REQUEST';
      return { filename, content, contentType, raw: await calendarPart(filename, content) };
    }));
    const expected = (await new MailComposer({ ...mail, attachments } as ConstructorParameters<typeof MailComposer>[0]).compile().build()).toString();
    const compiled = compileMessage({ ...mail, attachments });
    // The text and HTML, then all three parts as one node.
    expect(compiled.childNodes).toHaveLength(2);
    const actual = (await compiled.build()).toString();
    expect(expected).toContain('deadline-3.ics');
    expect(actual).toBe(expected);
  });

  it('should give the same bytes as MailComposer for an email with one attachment or none', async () => {
    for (const attachments of [[], [{ filename: 'deadline-1.ics', content: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n', contentType: 'text/calendar; charset=utf-8; method=CANCEL' }]]) {
      const expected = (await new MailComposer({ ...mail, attachments } as ConstructorParameters<typeof MailComposer>[0]).compile().build()).toString();
      expect((await compileMessage({ ...mail, attachments }).build()).toString()).toBe(expected);
    }
  });

  it('should draw a new boundary for every message when none is given', async () => {
    const { baseBoundary: _unused, ...unbounded } = mail;
    const boundaryOf = async () => /boundary="([^"]+)"/.exec((await compileMessage({ ...unbounded, attachments: [] }).build()).toString())?.[1];
    const first = await boundaryOf();
    expect(first).toMatch(/^--_NmP-[0-9a-f]{16}-Part_1$/);
    expect(await boundaryOf()).not.toBe(first);
  });
});
