import MailComposer from 'nodemailer/lib/mail-composer';
import MimeNode from 'nodemailer/lib/mime-node';
import { buildMessage } from './mime-message';

/** A calendar part as EmailComposer makes it (attachmentPart): nodemailer's own, without its last line break. */
async function calendarPart(filename: string, content: string, method = 'REQUEST'): Promise<string> {
  const part = new MimeNode('multipart/mixed').createChild(`text/calendar; charset=utf-8; method=${method}`, { filename });
  part.setHeader('Content-Transfer-Encoding', 'base64');
  part.setContent(content);
  return (await part.build()).toString().replace(/\r?\n$/, '');
}

async function calendar(id: number, method = 'REQUEST') {
  const content = `BEGIN:VCALENDAR\r\nSUMMARY:Submission ${id} — échéance\r\nEND:VCALENDAR\r\n`;
  const filename = `deadline-${id}.ics`;
  return { filename, content, contentType: `text/calendar; charset=utf-8; method=${method}`, raw: await calendarPart(filename, content, method) };
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
type Mail = typeof mail & { attachments?: Awaited<ReturnType<typeof calendar>>[] };

/** What nodemailer's own MailComposer and MimeNode.build() make of it, one node per attachment. */
async function nodemailers(message: Partial<Mail>): Promise<string> {
  return (await new MailComposer(message as ConstructorParameters<typeof MailComposer>[0]).compile().build()).toString();
}

async function built(message: Partial<Mail>): Promise<string> {
  return (await buildMessage(message)).raw.toString();
}

describe('buildMessage (the message as MailComposer builds it, made at once)', () => {
  it('should give the same bytes as MailComposer for finished attachment parts', async () => {
    const attachments = await Promise.all([1, 2, 3].map((id) => calendar(id)));
    const expected = await nodemailers({ ...mail, attachments });
    expect(expected).toContain('deadline-3.ics');
    const { raw } = await buildMessage({ ...mail, attachments });
    // Made at once (a string), not by the streamed build (a Buffer).
    expect(typeof raw).toBe('string');
    expect(raw).toBe(expected);
  });

  it('should give the same bytes as MailComposer with one attachment (finished or not) or none', async () => {
    const cancel = await calendar(1, 'CANCEL');
    const { raw: _unused, ...unfinished } = cancel;
    for (const attachments of [[], [cancel], [unfinished]]) {
      const expected = await nodemailers({ ...mail, attachments: attachments as Mail['attachments'] });
      expect(await built({ ...mail, attachments: attachments as Mail['attachments'] })).toBe(expected);
    }
  });

  it('should give the same bytes as MailComposer for plain ASCII, accented, non-Latin and long-lined text', async () => {
    const attachments = await Promise.all([1, 2].map((id) => calendar(id)));
    const line = 'Stakeholder submission due: Submission 12 (4th UPR cycle, United States of America) on Wed 10 Mar 2027';
    const cases: Partial<Mail>[] = [
      // 7bit: ASCII only, short lines.
      { text: 'Hello Ana,\n\n* Submission 1\n', html: '<p>Hello Ana,</p>' },
      // quoted-printable: a few accents, lines longer than 76 characters, a line that ends in spaces.
      { text: `Bonjour Ana,  \n\n${`* ${line} — échéance\n`.repeat(40)}`, html: `<p>${line.repeat(30)} ça</p>\n` },
      // base64: mostly non-Latin text.
      { subject: 'Напоминание: 3 срока', text: 'Здравствуйте, Анна!\n\nСрок подачи материалов истекает.\n'.repeat(20), html: '<p>موعد التقديم النهائي يقترب</p>'.repeat(50) },
      // Text only, no HTML.
      { html: undefined },
    ];
    for (const variant of cases) {
      for (const withAttachments of [[], attachments]) {
        const message = { ...mail, ...variant, attachments: withAttachments };
        const expected = await nodemailers(message);
        expect(await built(message)).toBe(expected);
      }
    }
  });

  it('should give the same bytes as MailComposer where the message is left to its streamed build', async () => {
    // Trailing whitespace (held back by the streaming quoted-printable encoder), and text longer
    // than one of its slices.
    for (const text of ['Bonjour Ana, ça vient  ', `${'Échéance — submission due. '.repeat(3000)}\n`]) {
      const message = { ...mail, text, attachments: [await calendar(1)] };
      expect(await built(message)).toBe(await nodemailers(message));
    }
  });

  it('should give its SMTP envelope', async () => {
    const { envelope } = await buildMessage({ ...mail, attachments: [await calendar(1)] });
    expect(envelope).toEqual({ from: 'noreply@example.org', to: ['ana@example.org'] });
  });

  it('should draw a new boundary for every message when none is given', async () => {
    const { baseBoundary: _unused, ...unbounded } = mail;
    const boundaryOf = async () => /boundary="([^"]+)"/.exec(await built({ ...unbounded, attachments: [] }))?.[1];
    const first = await boundaryOf();
    expect(first).toMatch(/^--_NmP-[0-9a-f]{16}-Part_1$/);
    expect(await boundaryOf()).not.toBe(first);
  });
});
