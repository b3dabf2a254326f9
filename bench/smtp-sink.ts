// The reminders benchmark's mail server: a real SMTP server (smtp-server, every message parsed by
// mailparser) in a process of its own, as a mail server is, so that its CPU time is not counted in
// the application's. Asked over IPC how many messages it received and how many Message-IDs twice.
import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SinkCounts {
  messages: number;
  duplicates: number;
}

const received = new Map<string, number>();
let messages = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData: (stream, _session, callback) => {
    simpleParser(stream).then((mail) => {
      messages += 1;
      received.set(mail.messageId ?? '', (received.get(mail.messageId ?? '') ?? 0) + 1);
      callback();
    }, callback);
  },
});

server.listen(0, '127.0.0.1', () => process.send!({ port: (server.server.address() as AddressInfo).port }));
process.on('message', (message: string) => {
  if (message === 'counts') {
    const counts: SinkCounts = { messages, duplicates: [...received.values()].filter((n) => n > 1).length };
    process.send!(counts);
  } else if (message === 'close') {
    server.close(() => process.exit(0));
  }
});
