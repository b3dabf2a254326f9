import { randomBytes } from 'node:crypto';
import * as base64 from 'nodemailer/lib/base64';
import type Mail from 'nodemailer/lib/mailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type MimeNode from 'nodemailer/lib/mime-node';
import * as qp from 'nodemailer/lib/qp';

/** What MailComposer reads, with `baseBoundary` (it reads it, the types do not say so). */
type MessageOptions = Mail.Options & { baseBoundary?: string; attachments?: (Mail.Attachment & { raw?: string })[] };

export interface BuiltMessage {
  envelope: { from: string | false; to: string[] };
  /** The whole message (headers and body), ready for the SMTP DATA command. */
  raw: string | Buffer;
}

/** Stands for an email's finished attachment parts while MailComposer lays out the message. */
const PLACEHOLDER = 'finished attachment parts';
/** MIME's line length, the one MimeNode's encoders use when build() is given no options. */
const LINE_LENGTH = 76;
/** nodemailer's quoted-printable encoder works in slices of this many bytes (qp's ENCODE_SLICE_SIZE). */
const QP_SLICE_BYTES = 64 * 1024;

/**
 * The message as nodemailer's MailComposer builds it, byte for byte, made in one synchronous pass.
 * MimeNode.build() streams the message through a pipeline that waits for the event loop between
 * parts: with several emails in flight each one's pieces lived through other emails' work, long
 * enough for V8 to promote many of them to the old generation, where they and the Buffers they
 * held stayed until a full GC (draining 100,000 reminders: 103 KB promoted an email with build(),
 * 61 KB with this). Here the same pieces die young.
 *
 * The layout, headers and encodings are still nodemailer's: MailComposer makes the tree, each node
 * writes its own header block (MimeNode.buildHeaders) and chooses its transfer encoding
 * (getTransferEncoding), and bodies are encoded by nodemailer's base64 and quoted-printable
 * functions. Only the joining is done here, as MimeNode.stream joins: a multipart's children each
 * after "--boundary", the first without a line break before it, then "--boundary--". A message this
 * pass cannot make exactly (content that is not a string, quoted-printable text that the streaming
 * encoder would cut into slices or whose trailing whitespace it holds back) is built by
 * MailComposer's own streamed build.
 *
 * Finished attachment parts (EmailComposer's calendars, `raw`) are written as they are, joined by
 * the boundary line, which is what nodemailer writes for them one node each. The shared part of
 * the boundaries is drawn once per message (random, as nodemailer draws it).
 */
export async function buildMessage(mail: MessageOptions): Promise<BuiltMessage> {
  const options = { ...mail, baseBoundary: mail.baseBoundary ?? randomBytes(8).toString('hex') };
  const attachments = mail.attachments ?? [];
  const finished = attachments.length > 0 && attachments.every((a) => typeof a.raw === 'string' && a.raw.length > 0)
    ? attachments.map((a) => a.raw as string)
    : null;
  const root = new MailComposer(finished ? { ...options, attachments: [{ raw: PLACEHOLDER }] } : options).compile();
  const envelope = root.getEnvelope();
  // MailComposer puts the attachments after the message's text, last in the root multipart.
  const placeholder = finished && root.childNodes.length >= 2 ? root.childNodes[root.childNodes.length - 1] : null;
  const out: string[] = [];
  if ((!finished || placeholder) && write(root, out, placeholder, finished ?? [])) return { envelope, raw: lastLineBreak(out.join('')) };
  return { envelope, raw: await new MailComposer(options).compile().build() };
}

/** Appends `node` as MimeNode.stream writes it; false when it cannot be made exactly here. */
function write(node: MimeNode, out: string[], placeholder: MimeNode | null, finished: string[]): boolean {
  if (node === placeholder) {
    const between = `\r\n--${node.parentNode!.boundary}\r\n`;
    for (const [i, part] of finished.entries()) out.push(i > 0 ? between : '', part);
    return true;
  }
  const content = node.content;
  if (content !== undefined && typeof content !== 'string') return false;
  // As MimeNode.stream: the encoding is chosen before the headers are built (which declare it).
  const encoding = node.getTransferEncoding();
  out.push(`${node.buildHeaders()}\r\n\r\n`);
  if (content) {
    const body = encode(content, encoding, node.contentType ?? '');
    if (body === null) return false;
    out.push(body);
  }
  if (!node.multipart) return true;
  for (const [i, child] of node.childNodes.entries()) {
    out.push(`${i > 0 ? '\r\n' : ''}--${node.boundary}\r\n`);
    if (!write(child, out, placeholder, finished)) return false;
  }
  out.push(`\r\n--${node.boundary}--\r\n`);
  return true;
}

/**
 * The body as nodemailer's streaming encoders write it for a string given whole: base64 in lines of
 * 76 characters; quoted-printable as qp.wrap(qp.encode()) when the encoder would make the same
 * (text, one slice, no trailing space or tab held back for the next chunk); anything else as is.
 */
function encode(content: string, encoding: string | false, contentType: string): string | null {
  if (encoding === 'base64') return base64.wrap(base64.encode(content), LINE_LENGTH);
  if (encoding !== 'quoted-printable') return content;
  const last = content.charCodeAt(content.length - 1);
  if (!/^text\//i.test(contentType) || last === 0x20 || last === 0x09 || Buffer.byteLength(content) > QP_SLICE_BYTES) return null;
  return qp.wrap(qp.encode(content), LINE_LENGTH);
}

/** As nodemailer's LastNewline: the message ends with a line break. */
function lastLineBreak(message: string): string {
  if (message.endsWith('\n')) return message;
  return message.endsWith('\r') ? `${message}\n` : `${message}\r\n`;
}
