import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import nodemailer, { type Transporter } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from '../../config/app.config';
import { buildMessage } from './mime-message';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per email, so a resend after a crash is recognisably the same message. */
  messageId: string;
  headers: Record<string, string>;
  /** `raw`, when given, is the whole MIME part (headers and encoded body) made from the others. */
  attachments: { filename: string; content: string; contentType: string; raw?: string }[];
}

/** Where an email goes: an SMTP server, or .eml files when none is configured. */
export abstract class MailTransport {
  abstract send(email: OutgoingEmail): Promise<void>;
  abstract describe(): string;
}

/**
 * Pooled SMTP with a rate limit shared by the pool's connections. Errors are thrown as nodemailer
 * raises them (responseCode 4xx/5xx, or a network code), for the dispatcher to classify.
 */
@Injectable()
export class SmtpMailTransport extends MailTransport implements OnModuleDestroy {
  private readonly transporter: Transporter;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    super();
    const { smtpUrl, ratePerSecond, maxConnections } = config.mail;
    this.transporter = nodemailer.createTransport({
      url: smtpUrl,
      pool: true,
      maxConnections,
      rateDelta: 1000,
      rateLimit: ratePerSecond,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 30_000,
    } as Parameters<typeof nodemailer.createTransport>[0]);
  }

  async send(email: OutgoingEmail): Promise<void> {
    // Made whole in memory first (at once: see buildMessage), then handed over in one piece (see
    // readOnce): streamed, the message reached the socket in hundreds of small writes (a system call
    // each), a tenth of a reminder email's CPU.
    const { envelope, raw } = await buildMessage({ ...email, from: this.config.mail.from });
    await this.transporter.sendMail({ envelope: { from: envelope.from || undefined, to: envelope.to }, raw: readOnce(raw) });
  }

  describe(): string {
    return `SMTP ${new URL(this.config.mail.smtpUrl!).host}`;
  }

  onModuleDestroy(): void {
    this.transporter.close();
  }
}

/**
 * The message as a stream that lets go of it once read. Given as a string, the whole text stayed
 * referenced as long as nodemailer's objects for the message did, and they outlive the sending
 * (heap snapshots show pooled connections holding on to a past message's objects), long enough
 * to be promoted to the old generation: draining 40,000 reminders, 53 KB promoted an email with
 * the string, 24 KB with this. Nodemailer reads a raw stream once and does not retry a message
 * whose stream it began to read (the dispatcher does, with the message made again).
 */
function readOnce(message: string | Buffer): Readable {
  let rest: string | Buffer | null = message;
  return new Readable({
    read() {
      const chunk = rest;
      rest = null;
      this.push(chunk);
      if (chunk !== null) this.push(null);
    },
  });
}

/** With no SMTP server (the embedded default), each email becomes one .eml file in the outbox folder. */
@Injectable()
export class FileMailTransport extends MailTransport {
  private readonly logger = new Logger('FileMailTransport');
  private readonly transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    super();
  }

  async send(email: OutgoingEmail): Promise<void> {
    const info = await this.transporter.sendMail({ ...email, from: this.config.mail.from });
    const dir = this.config.mail.outboxDir;
    await mkdir(dir, { recursive: true });
    // Named by the Message-ID: a resend after a crash overwrites the same file instead of adding one.
    const name = `${email.messageId.replace(/[<>]/g, '').replace(/[^\w.@-]/g, '_')}.eml`;
    const temporary = join(dir, `.${name}.${randomBytes(4).toString('hex')}.tmp`);
    await writeFile(temporary, info.message as Buffer);
    await rename(temporary, join(dir, name));
    this.logger.debug(`wrote ${name}`);
  }

  describe(): string {
    return `files in ${this.config.mail.outboxDir}`;
  }
}
