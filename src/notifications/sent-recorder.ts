import type { SentRecord } from './notifications.repository';

/**
 * Group commit of sent emails. Each sender waits until its email is recorded before it takes the
 * next one, so no more emails are sent-but-unrecorded than are in flight (reliability scenario 3:
 * after a crash at most those repeat). Emails that finish while a write is under way are written
 * together by the next one: one transaction for several emails instead of one each, and no
 * sender ever waits for a timer.
 */
export class SentRecorder {
  private queue: { record: SentRecord; done: () => void; failed: (error: unknown) => void }[] = [];
  private writing = false;

  constructor(private readonly write: (records: SentRecord[]) => Promise<void>) {}

  record(record: SentRecord): Promise<void> {
    return new Promise((done, failed) => {
      this.queue.push({ record, done, failed });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0);
        try {
          await this.write(batch.map((entry) => entry.record));
          for (const entry of batch) entry.done();
        } catch (error) {
          for (const entry of batch) entry.failed(error);
        }
      }
    } finally {
      this.writing = false;
    }
  }
}
