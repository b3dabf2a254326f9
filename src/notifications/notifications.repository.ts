import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, IsNull, LessThan, LessThanOrEqual } from 'typeorm';
import { placeholder, returnedRows, sqlTime } from '../database/sql-values';
import { Digest } from './digest.entity';
import { EmailSuppression } from './email-suppression.entity';
import { Notification } from './notification.entity';
import type { DigestState, NotificationState } from '../vocabulary/notification.vocabulary';

/** What an account email's row holds once it is sent or given up. */
export const ERASED_PAYLOAD = '{"erased":true}';

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

  /** Due notifications not yet in an email, oldest first. */
  findDueUnassigned(now: Date, limit: number): Promise<Notification[]> {
    return this.dataSource.manager.find(Notification, {
      where: { state: 'pending', digestId: IsNull(), dueAt: LessThanOrEqual(now) },
      order: { dueAt: 'ASC', id: 'ASC' },
      take: limit,
    });
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
    if (ids.length > 0) await manager.update(Notification, { id: In(ids), state: 'pending' }, { state, outcome, sentAt });
  }

  /**
   * Claims due emails for this instance by lease. PostgreSQL: FOR UPDATE SKIP LOCKED, so instances
   * never wait on or take each other's rows. SQLite: one conditional UPDATE ... RETURNING (SQLite
   * runs one writer at a time, so the condition is evaluated atomically).
   */
  async claimDue(owner: string, now: Date, leaseUntil: Date, limit: number): Promise<number[]> {
    const p = (n: number) => placeholder(this.dataSource, n);
    const due = `state = 'pending' AND due_at <= ${p(3)} AND (next_attempt_at IS NULL OR next_attempt_at <= ${p(3)}) AND (lease_until IS NULL OR lease_until < ${p(3)})`;
    const pick = `SELECT id FROM digest WHERE ${due} ORDER BY due_at, id LIMIT ${p(4)}`;
    // PostgreSQL: ARRAY(...) runs the pick once. Under `id IN (...)` the planner may choose a nested
    // loop that rescans it for every row; each rescan skips the rows this statement already locked
    // and picks the next ones, so one claim would take every due email, whatever the limit.
    const ids = this.dataSource.options.type === 'postgres' ? `= ANY(ARRAY(${pick} FOR UPDATE SKIP LOCKED))` : `IN (${pick})`;
    const sql = `UPDATE digest SET lease_owner = ${p(1)}, lease_until = ${p(2)}
      WHERE id ${ids} AND ${due}
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

  findPendingOfDigest(digestId: number): Promise<Notification[]> {
    return this.dataSource.manager.find(Notification, { where: { digestId, state: 'pending' }, order: { dueAt: 'ASC', id: 'ASC' } });
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
