import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, IsNull, LessThan } from 'typeorm';
import { notIndexed, placeholder, readSqlTime, returnedRows, sqlTime } from '../database/sql-values';
import { Digest } from './digest.entity';
import { EmailSuppression } from './email-suppression.entity';
import { Notification } from './notification.entity';
import type { DigestState, NotificationKind, NotificationState } from '../vocabulary/notification.vocabulary';

/** What an account email's row holds once it is sent or given up. */
export const ERASED_PAYLOAD = '{"erased":true}';

/** An email as grouping sees it: whether notices may still be put in it. */
export interface DigestSlot {
  id: number;
  recipientId: number;
  windowKey: string;
  state: DigestState;
  leaseOwner: string | null;
}

/** A due notification as grouping sees it (findDueUnassigned). */
export type DueNotice = Pick<Notification, 'id' | 'recipientId' | 'kind' | 'dueAt' | 'critical'>;

/** What one sent email changes when it is recorded (see recordSent). */
export interface SentRecord {
  digestId: number;
  owner: string;
  sentAt: Date;
  messageId: string;
  toAddress: string;
  notificationIds: number[];
  /** Whether it carried an account email, whose text is erased once sent. */
  accountEmail: boolean;
}

/** Rows per multi-row statement: well under SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const CHUNK = 500;

export type NewNotification = Omit<Notification, 'id' | 'createdAt' | 'sentAt' | 'state' | 'digestId' | 'outcome'>;

@Injectable()
export class NotificationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts what is not there yet; a key already planned is left alone (planning is idempotent). */
  async insertIgnoringDuplicates(rows: NewNotification[], manager: EntityManager): Promise<void> {
    // Hand-written: every status change and deadline runs it, and TypeORM's insert builder cost more
    // than the insert (and read each row back for its defaults, which nothing here needs).
    const columns = ['"key"', 'coalition_id', 'recipient_id', 'kind', 'due_at', 'deadline_id', 'deadline_version', 'recommendation_id', 'critical', 'payload'];
    for (let i = 0; i < rows.length; i += 200) {
      const chunk = rows.slice(i, i + 200);
      const values = chunk.map((_, r) => `(${columns.map((__, c) => placeholder(this.dataSource, r * columns.length + c + 1)).join(', ')})`);
      const params = chunk.flatMap((row) => [
        row.key, row.coalitionId, row.recipientId, row.kind, sqlTime(this.dataSource, row.dueAt), row.deadlineId ?? null, row.deadlineVersion ?? null,
        row.recommendationId ?? null, row.critical ?? false, row.payload,
      ]);
      await manager.query(`INSERT INTO notification (${columns.join(', ')}) VALUES ${values.join(', ')} ON CONFLICT ("key") DO NOTHING`, params);
    }
  }

  /** Cancels pending deadline notices planned for an older version (or, with no version, all of them). */
  async cancelPendingForDeadline(deadlineId: number, currentVersion: number | null, reason: string, manager: EntityManager): Promise<void> {
    const where = currentVersion === null
      ? { deadlineId, state: 'pending' as const }
      : { deadlineId, state: 'pending' as const, deadlineVersion: LessThan(currentVersion) };
    await manager.update(Notification, where, { state: 'cancelled', outcome: reason });
  }

  /** Who has already been sent a reminder or notice about this deadline. */
  async recipientsSentAbout(deadlineId: number, manager: EntityManager): Promise<number[]> {
    const rows = await manager
      .createQueryBuilder(Notification, 'n')
      .select('DISTINCT n.recipient_id', 'recipientId')
      .where(`n.deadline_id = :deadlineId AND n.state = 'sent'`, { deadlineId })
      .getRawMany<{ recipientId: number }>();
    return rows.map((row) => Number(row.recipientId));
  }

  /**
   * Puts notifications back in the queue whose email was finished (sent, failed…) or is gone
   * without them: they were attached while that email was already being sent by another instance.
   */
  async releaseOrphans(): Promise<number> {
    const result = await this.dataSource.manager
      .createQueryBuilder()
      .update(Notification)
      .set({ digestId: null })
      // A missing email counts as finished too (an empty one is deleted, see deleteClaimedEmpty).
      .where(`state = 'pending' AND digest_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM digest d WHERE d.id = notification.digest_id AND d.state = 'pending')`)
      .execute();
    return result.affected ?? 0;
  }

  /**
   * Due notifications not yet in an email, oldest first and, at one time, a recipient's together
   * (straight from IDX_notification_unassigned_due: a round of 20 reminders per member is 50
   * members' emails, not one notice each of 1,000 members'). Only what grouping reads, by hand: the
   * payloads would be a thousand strings to parse and collect, and hydrating entities cost more
   * than the query.
   */
  async findDueUnassigned(now: Date, limit: number): Promise<DueNotice[]> {
    const p = (n: number) => placeholder(this.dataSource, n);
    const rows = await this.dataSource.query(
      `SELECT id, recipient_id, kind, due_at, critical FROM notification
        WHERE state = 'pending' AND digest_id IS NULL AND due_at <= ${p(1)}
        ORDER BY due_at, recipient_id, id LIMIT ${p(2)}`,
      [sqlTime(this.dataSource, now), limit],
    ) as { id: number; recipient_id: number; kind: NotificationKind; due_at: Date | string; critical: boolean | number }[];
    return rows.map((row) => ({ id: Number(row.id), recipientId: Number(row.recipient_id), kind: row.kind, dueAt: readSqlTime(row.due_at), critical: Boolean(row.critical) }));
  }

  /** A notice not yet in any email, by its key (an account email about to be delivered at once). */
  findUnassignedByKey(key: string): Promise<Notification | null> {
    return this.dataSource.manager.findOneBy(Notification, { key, state: 'pending', digestId: IsNull() });
  }

  /**
   * Claims one email by id for this instance (delivering an account email at once), if it is
   * pending and no live lease holds it; false if another instance has it.
   */
  async claimOne(id: number, owner: string, now: Date, leaseUntil: Date): Promise<boolean> {
    const p = (n: number) => placeholder(this.dataSource, n);
    const result = await this.dataSource.query(
      `UPDATE digest SET lease_owner = ${p(1)}, lease_until = ${p(2)} WHERE id = ${p(3)} AND state = 'pending' AND (lease_until IS NULL OR lease_until < ${p(4)}) RETURNING id`,
      [owner, sqlTime(this.dataSource, leaseUntil), id, sqlTime(this.dataSource, now)],
    );
    return returnedRows<{ id: number }>(result).length === 1;
  }

  /**
   * Forgets what these account emails said once they are sent, failed or cancelled: an invitation or
   * reset link must not stay readable in the database (its own table keeps only its hash).
   */
  async erasePayloads(ids: number[], manager: EntityManager = this.dataSource.manager): Promise<void> {
    if (ids.length > 0) await manager.update(Notification, { id: In(ids), kind: 'account_email' }, { payload: ERASED_PAYLOAD });
  }

  /** Whether an email carries an account email (whose text is erased, so it cannot be sent again). */
  carriesAccountEmail(digestId: number): Promise<boolean> {
    return this.dataSource.manager.existsBy(Notification, { digestId, kind: 'account_email' });
  }

  /** The email for (recipient, window), created if new; UNIQUE makes concurrent creators agree on one. */
  async upsertDigest(recipient: { id: number; coalitionId: number }, windowKey: string, dueAt: Date): Promise<Digest> {
    const recipientId = recipient.id;
    await this.dataSource.manager
      .createQueryBuilder()
      .insert()
      .into(Digest)
      .values({ recipientId, coalitionId: recipient.coalitionId, windowKey, dueAt, state: 'pending' })
      .orIgnore()
      .execute();
    return this.dataSource.manager.findOneByOrFail(Digest, { recipientId, windowKey });
  }

  /**
   * The emails for these (recipient, window) pairs, created where new: what upsertDigest does for one,
   * in one INSERT and one SELECT per chunk of a grouping round.
   */
  async upsertDigests(wanted: { recipientId: number; coalitionId: number; windowKey: string; dueAt: Date }[]): Promise<DigestSlot[]> {
    const p = (n: number) => placeholder(this.dataSource, n);
    const found: DigestSlot[] = [];
    for (let i = 0; i < wanted.length; i += CHUNK) {
      const chunk = wanted.slice(i, i + CHUNK);
      const values = chunk.map((_, r) => `(${p(r * 4 + 1)}, ${p(r * 4 + 2)}, ${p(r * 4 + 3)}, ${p(r * 4 + 4)}, 'pending')`);
      await this.dataSource.query(
        `INSERT INTO digest (recipient_id, coalition_id, window_key, due_at, state) VALUES ${values.join(', ')} ON CONFLICT (recipient_id, window_key) DO NOTHING`,
        chunk.flatMap((w) => [w.recipientId, w.coalitionId, w.windowKey, sqlTime(this.dataSource, w.dueAt)]),
      );
      // Both lists, then the exact pairs here: a round has a few windows, so little more is read.
      const recipientIds = [...new Set(chunk.map((w) => w.recipientId))];
      const windowKeys = [...new Set(chunk.map((w) => w.windowKey))];
      const rows = await this.dataSource.query(
        `SELECT id, recipient_id, window_key, state, lease_owner FROM digest
          WHERE recipient_id IN (${recipientIds.map((_, k) => p(k + 1)).join(', ')}) AND window_key IN (${windowKeys.map((_, k) => p(recipientIds.length + k + 1)).join(', ')})`,
        [...recipientIds, ...windowKeys],
      ) as { id: number; recipient_id: number; window_key: string; state: DigestState; lease_owner: string | null }[];
      const pairs = new Set(chunk.map((w) => `${w.recipientId}|${w.windowKey}`));
      for (const row of rows) {
        const recipientId = Number(row.recipient_id);
        if (pairs.has(`${recipientId}|${row.window_key}`)) found.push({ id: Number(row.id), recipientId, windowKey: row.window_key, state: row.state, leaseOwner: row.lease_owner });
      }
    }
    return found;
  }

  /**
   * attachUnclaimed for many emails at once: each notification to its email, if it is in no email yet
   * and its email is unclaimed (the same condition, evaluated per row, FOR SHARE on PostgreSQL).
   * Answers the notifications it attached; the others are for the caller to place one by one.
   */
  async attachManyUnclaimed(pairs: { id: number; digestId: number }[]): Promise<number[]> {
    const p = (n: number) => placeholder(this.dataSource, n);
    const lock = this.dataSource.options.type === 'postgres' ? ' FOR SHARE' : '';
    const attached: number[] = [];
    for (let i = 0; i < pairs.length; i += CHUNK) {
      const chunk = pairs.slice(i, i + CHUNK);
      const values = chunk.map((_, r) => `(CAST(${p(r * 2 + 1)} AS INTEGER), CAST(${p(r * 2 + 2)} AS INTEGER))`);
      const result = await this.dataSource.query(
        `WITH wanted (id, digest_id) AS (VALUES ${values.join(', ')})
          UPDATE notification SET digest_id = wanted.digest_id FROM wanted
          WHERE notification.id = wanted.id AND notification.digest_id IS NULL
            AND EXISTS (SELECT 1 FROM digest d WHERE d.id = wanted.digest_id AND d.state = 'pending' AND d.lease_owner IS NULL${lock})
          RETURNING notification.id`,
        chunk.flatMap((pair) => [pair.id, pair.digestId]),
      );
      attached.push(...returnedRows<{ id: number }>(result).map((row) => Number(row.id)));
    }
    return attached;
  }

  /**
   * Attaches those of these notifications that are in no email yet to an email no instance has
   * claimed; answers how many it attached (none once an instance claimed it). An email's notices are
   * fixed from its claim on: if it is sent, and sent again by the instance taking over from a dead
   * one, both copies (one Message-ID) carry the same notices. One statement: SQLite runs it whole;
   * on PostgreSQL FOR SHARE makes it wait for a claim in progress and see its outcome, and makes a
   * claim skip the email until this statement is done.
   */
  async attachUnclaimed(ids: number[], digestId: number): Promise<number> {
    if (ids.length === 0) return 0;
    const lock = this.dataSource.options.type === 'postgres' ? ' FOR SHARE' : '';
    const result = await this.dataSource.manager
      .createQueryBuilder()
      .update(Notification)
      .set({ digestId })
      .where('id IN (:...ids) AND digest_id IS NULL', { ids })
      .andWhere(`EXISTS (SELECT 1 FROM digest d WHERE d.id = :digestId AND d.state = 'pending' AND d.lease_owner IS NULL${lock})`, { digestId })
      .execute();
    return result.affected ?? 0;
  }

  /** Which of these notifications are in no email yet. */
  async unattached(ids: number[]): Promise<number[]> {
    if (ids.length === 0) return [];
    const rows = await this.dataSource.manager.find(Notification, { where: { id: In(ids), digestId: IsNull() }, select: { id: true } });
    return rows.map((row) => row.id);
  }

  /**
   * Deletes an email this instance claimed that holds no notice at all: it was created for notices
   * another instance put elsewhere first, or its creator stopped before attaching them.
   */
  async deleteClaimedEmpty(id: number, owner: string): Promise<boolean> {
    const result = await this.dataSource.manager
      .createQueryBuilder()
      .delete()
      .from(Digest)
      .where(`id = :id AND lease_owner = :owner AND state = 'pending'`, { id, owner })
      .andWhere('NOT EXISTS (SELECT 1 FROM notification n WHERE n.digest_id = :id)', { id })
      .execute();
    return (result.affected ?? 0) === 1;
  }

  async setStates(ids: number[], state: NotificationState, outcome: string | null, sentAt: Date | null, manager: EntityManager = this.dataSource.manager): Promise<void> {
    if (ids.length === 0) return;
    // By id, not by the (state, ...) index: see notIndexed.
    await manager.createQueryBuilder().update(Notification).set({ state, outcome, sentAt })
      .where(`id IN (:...ids) AND ${notIndexed(this.dataSource, 'state')} = 'pending'`, { ids })
      .execute();
  }

  /**
   * Claims due emails for this instance by lease. PostgreSQL: FOR UPDATE SKIP LOCKED, so instances
   * never wait on or take each other's rows. SQLite: one conditional UPDATE ... RETURNING (SQLite
   * runs one writer at a time, so the condition is evaluated atomically).
   */
  async claimDue(owner: string, now: Date, leaseUntil: Date, limit: number): Promise<number[]> {
    const p = (n: number) => placeholder(this.dataSource, n);
    const dueBy = (state: string) => `${state} = 'pending' AND due_at <= ${p(3)} AND (next_attempt_at IS NULL OR next_attempt_at <= ${p(3)}) AND (lease_until IS NULL OR lease_until < ${p(3)})`;
    const pick = `SELECT id FROM digest WHERE ${dueBy('state')} ORDER BY due_at, id LIMIT ${p(4)}`;
    // PostgreSQL: ARRAY(...) runs the pick once. Under `id IN (...)` the planner may choose a nested
    // loop that rescans it for every row; each rescan skips the rows this statement already locked
    // and picks the next ones, so one claim would take every due email, whatever the limit.
    const ids = this.dataSource.options.type === 'postgres' ? `= ANY(ARRAY(${pick} FOR UPDATE SKIP LOCKED))` : `IN (${pick})`;
    // The outer condition by id, not by the (state, due_at) index: see notIndexed.
    const sql = `UPDATE digest SET lease_owner = ${p(1)}, lease_until = ${p(2)}
      WHERE id ${ids} AND ${dueBy(notIndexed(this.dataSource, 'state'))}
      RETURNING id`;
    const at = sqlTime(this.dataSource, now);
    const params = this.dataSource.options.type === 'postgres'
      ? [owner, sqlTime(this.dataSource, leaseUntil), at, limit]
      : [owner, sqlTime(this.dataSource, leaseUntil), at, at, at, limit, at, at, at];
    const rows = returnedRows<{ id: number }>(await this.dataSource.query(sql, params));
    return rows.map((row) => Number(row.id)).sort((a, b) => a - b);
  }

  findDigest(id: number): Promise<Digest | null> {
    return this.dataSource.manager.findOneBy(Digest, { id });
  }

  findDigests(ids: number[]): Promise<Digest[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.dataSource.manager.findBy(Digest, { id: In(ids) });
  }

  /** The pending notices of several emails, each email's in the order findPendingOfDigest gives. */
  findPendingOfDigests(digestIds: number[]): Promise<Notification[]> {
    if (digestIds.length === 0) return Promise.resolve([]);
    // By the digest_id index, not the (state, ...) one: see notIndexed.
    return this.dataSource.manager.createQueryBuilder(Notification, 'n')
      .where(`n.digest_id IN (:...digestIds) AND ${notIndexed(this.dataSource, 'n.state')} = 'pending'`, { digestIds })
      .orderBy('n.digestId', 'ASC').addOrderBy('n.dueAt', 'ASC').addOrderBy('n.id', 'ASC')
      .getMany();
  }

  findPendingOfDigest(digestId: number): Promise<Notification[]> {
    return this.dataSource.manager.createQueryBuilder(Notification, 'n')
      .where(`n.digest_id = :digestId AND ${notIndexed(this.dataSource, 'n.state')} = 'pending'`, { digestId })
      .orderBy('n.dueAt', 'ASC').addOrderBy('n.id', 'ASC')
      .getMany();
  }

  /**
   * Extends this instance's lease on a pending email; false if another instance took it over. One
   * conditional UPDATE, so it and a competing claim cannot both succeed.
   */
  async renewLease(id: number, owner: string, leaseUntil: Date): Promise<boolean> {
    const result = await this.dataSource.manager.update(Digest, { id, leaseOwner: owner, state: 'pending' }, { leaseUntil });
    return (result.affected ?? 0) === 1;
  }

  /** Records the outcome only while this instance still holds the lease, so a stale worker changes nothing. */
  async finishDigest(id: number, owner: string, changes: Partial<Digest>, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const result = await manager.update(Digest, { id, leaseOwner: owner, state: 'pending' }, { ...changes, leaseOwner: null, leaseUntil: null });
    return (result.affected ?? 0) === 1;
  }

  /**
   * Records sent emails, several in one transaction: each email sent (while this instance still holds
   * it, as finishDigest), its notices sent at its time, an account email's text erased.
   */
  async recordSent(records: SentRecord[]): Promise<void> {
    if (records.length === 0) return;
    const p = (n: number) => placeholder(this.dataSource, n);
    await this.dataSource.transaction(async (manager) => {
      for (const r of records) {
        await manager.query(
          `UPDATE digest SET state = 'sent', sent_at = ${p(1)}, message_id = ${p(2)}, to_address = ${p(3)}, last_error = NULL, lease_owner = NULL, lease_until = NULL
            WHERE id = ${p(4)} AND lease_owner = ${p(5)} AND state = 'pending'`,
          [sqlTime(this.dataSource, r.sentAt), r.messageId, r.toAddress, r.digestId, r.owner],
        );
      }
      const ids = records.flatMap((r) => r.notificationIds);
      for (let i = 0; i < ids.length; i += CHUNK) {
        const chunk = ids.slice(i, i + CHUNK);
        // Each notice takes its own email's time, just written above.
        await manager.query(
          `UPDATE notification SET state = 'sent', outcome = NULL, sent_at = (SELECT d.sent_at FROM digest d WHERE d.id = notification.digest_id)
            WHERE id IN (${chunk.map((_, k) => p(k + 1)).join(', ')}) AND ${notIndexed(this.dataSource, 'state')} = 'pending'`,
          chunk,
        );
      }
      await this.erasePayloads(records.filter((r) => r.accountEmail).flatMap((r) => r.notificationIds), manager);
    });
  }

  /** Which of these addresses are suppressed (lower-cased). */
  async suppressedAmong(emails: string[]): Promise<Set<string>> {
    if (emails.length === 0) return new Set();
    const rows = await this.dataSource.manager.find(EmailSuppression, { where: { email: In([...new Set(emails.map((e) => e.toLowerCase()))]) }, select: { email: true } });
    return new Set(rows.map((row) => row.email));
  }

  /** Extends this instance's lease, as renewLease, in one hand-written statement (run once per email sent). */
  async renewLeaseQuickly(id: number, owner: string, leaseUntil: Date): Promise<boolean> {
    const p = (n: number) => placeholder(this.dataSource, n);
    const result = await this.dataSource.query(
      `UPDATE digest SET lease_until = ${p(1)} WHERE id = ${p(2)} AND lease_owner = ${p(3)} AND state = 'pending' RETURNING id`,
      [sqlTime(this.dataSource, leaseUntil), id, owner],
    );
    return returnedRows<{ id: number }>(result).length === 1;
  }

  isSuppressed(email: string): Promise<boolean> {
    return this.dataSource.manager.existsBy(EmailSuppression, { email: email.toLowerCase() });
  }

  async suppress(email: string, reason: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.createQueryBuilder().insert().into(EmailSuppression).values({ email: email.toLowerCase(), reason: reason.slice(0, 500) }).orIgnore().execute();
  }

  async unsuppress(email: string): Promise<void> {
    await this.dataSource.manager.delete(EmailSuppression, { email: email.toLowerCase() });
  }

  countNotificationsByState(): Promise<{ state: string; count: string | number }[]> {
    return this.dataSource.manager.createQueryBuilder(Notification, 'n').select('n.state', 'state').addSelect('COUNT(*)', 'count').groupBy('n.state').getRawMany();
  }

  countDigestsByState(): Promise<{ state: string; count: string | number }[]> {
    return this.dataSource.manager.createQueryBuilder(Digest, 'd').select('d.state', 'state').addSelect('COUNT(*)', 'count').groupBy('d.state').getRawMany();
  }

  /** Emails of a coalition in these states, newest first, for the admin outbox view. */
  listDigestsOfCoalition(coalitionId: number, states: DigestState[], offset: number, limit: number): Promise<[Digest[], number]> {
    return this.dataSource.manager.findAndCount(Digest, {
      where: { state: In(states), coalitionId },
      order: { id: 'DESC' },
      skip: offset,
      take: limit,
    });
  }

  countNotificationsOfDigests(ids: number[]): Promise<{ digestId: number; count: string | number }[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource.manager
      .createQueryBuilder(Notification, 'n')
      .select('n.digest_id', 'digestId')
      .addSelect('COUNT(*)', 'count')
      .where('n.digest_id IN (:...ids)', { ids })
      .groupBy('n.digest_id')
      .getRawMany();
  }

  findDigestOfCoalition(coalitionId: number, id: number): Promise<Digest | null> {
    return this.dataSource.manager.findOneBy(Digest, { id, coalitionId });
  }

  /** An admin's retry: the email and its notifications go back in the queue with a fresh retry budget. */
  async requeue(digest: Digest, now: Date): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.update(Digest, { id: digest.id }, {
        state: 'pending', attempts: 0, firstAttemptAt: null, nextAttemptAt: null, leaseOwner: null, leaseUntil: null, lastError: null, dueAt: now,
      });
      await manager.update(Notification, { digestId: digest.id, state: In(['failed', 'suppressed']) }, { state: 'pending', outcome: null });
    });
  }
}
