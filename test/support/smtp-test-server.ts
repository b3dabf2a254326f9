import { type ParsedMail, simpleParser } from 'mailparser';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server on a loopback port, in the test process. It can refuse every connection with
 * 421 (busy), refuse chosen recipients with 550, and be slow; it keeps every message it accepted,
 * parsed, so tests assert on what actually arrived.
 */
export class SmtpTestServer {
  readonly received: ParsedMail[] = [];
  busy = false;
  delayMs = 0;
  readonly rejected = new Set<string>();
  connections = 0;
  /** Messages being received at this moment (from DATA to the reply), and the most there ever were at once. */
  inFlight = 0;
  maxInFlight = 0;
  /** Connection errors, e.g. a client killed in the middle of a message; kept, never thrown. */
  readonly errors: Error[] = [];
  private server?: SMTPServer;
  private port = 0;
  private gate?: { waitingFor: Set<string>; open: Promise<void>; release: () => void };

  /**
   * Holds every message at DATA until each named client (the name it gave in EHLO, e.g. an SMTP_URL
   * ending `?name=instance-a`) has begun a message of its own, or until releaseHeld(). Lets a test
   * see several senders take part, however the machine schedules them.
   */
  holdUntilClients(names: string[]): void {
    let release = () => {};
    const open = new Promise<void>((resolve) => (release = resolve));
    this.gate = { waitingFor: new Set(names), open, release };
  }

  get holding(): boolean {
    return this.gate !== undefined;
  }

  releaseHeld(): void {
    this.gate?.release();
    this.gate = undefined;
  }

  async start(): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onConnect: (_session, callback) => {
        this.connections += 1;
        if (this.busy) return callback(Object.assign(new Error('Service temporarily unavailable, try again later'), { responseCode: 421 }));
        callback();
      },
      // A busy server also answers 421 on connections it already has open (the pool keeps some).
      onMailFrom: (_address, session, callback) => {
        this.gate?.waitingFor.delete(session.hostNameAppearsAs);
        if (this.gate?.waitingFor.size === 0) this.releaseHeld();
        if (this.busy) return callback(Object.assign(new Error('Service temporarily unavailable, try again later'), { responseCode: 421 }));
        callback();
      },
      onRcptTo: (address, _session, callback) => {
        if (this.rejected.has(address.address.toLowerCase())) {
          return callback(Object.assign(new Error(`<${address.address}>: mailbox unavailable`), { responseCode: 550 }));
        }
        callback();
      },
      onData: (stream, _session, callback) => {
        this.inFlight += 1;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        simpleParser(stream)
          .then(async (mail) => {
            if (this.gate) await this.gate.open;
            if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
            this.received.push(mail);
          })
          .then(
            () => {
              this.inFlight -= 1;
              callback();
            },
            (error: Error) => {
              this.inFlight -= 1;
              callback(error);
            },
          );
      },
    });
    // Without a listener, a client that dies mid-transaction (ECONNRESET) would crash the test process.
    this.server.on('error', (error) => this.errors.push(error));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Recipients of what arrived, one entry per message. */
  recipients(): string[] {
    return this.received.map((m) => (Array.isArray(m.to) ? m.to : [m.to]).flatMap((t) => t?.value.map((v) => v.address ?? '') ?? []).join(','));
  }

  /** A header as it arrived, unparsed. */
  static header(mail: ParsedMail, name: string): string | undefined {
    const line = mail.headerLines.find((h) => h.key === name.toLowerCase())?.line;
    return line?.slice(line.indexOf(':') + 1).replace(/\r?\n\s+/g, ' ').trim();
  }

  messageIds(): string[] {
    return this.received.map((m) => m.messageId ?? '');
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
