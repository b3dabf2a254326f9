import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app.config';
import { Clock } from '../common/clock';
import { Digest } from './digest.entity';
import { EmailComposer } from './email-composer';
import { MailTransport } from './mail-transport';
import { Notification } from './notification.entity';
import { preferenceOf } from '../vocabulary/notification.vocabulary';
import { DEADLINE_STATES, type DeadlineStates, EVIDENCE_ARRIVALS, type EvidenceArrivals } from './notice-checks';
import type { NotificationPreference } from './notification-preference.entity';
import { NotificationSettingsRepository } from './notification-settings.repository';
import { RECIPIENTS, type Recipient, type Recipients } from './recipients';
import { type DueNotice, NotificationsRepository } from './notifications.repository';
import { digestWindowKey, immediateWindowKey, nextDigestTime } from './reminder-schedule';
import { isPermanentSmtpFailure, nextRetryDelayMs } from './retry-policy';
import { SentRecorder } from './sent-recorder';

export interface DispatchSummary {
  assigned: number;
  emailsSent: number;
  notificationsSent: number;
  retried: number;
  failed: number;
  suppressed: number;
  cancelled: number;
}

/** Notices this late when first picked up travel together in one email instead of one email per minute missed. */
const CATCH_UP_AFTER_MS = 60_000;
/** Claimed emails read from the database together, at least (see sendClaimed). */
const PREPARE_AT_ONCE = 20;
/** Upper bound of claim rounds per call, so one call always returns. */
const MAX_ROUNDS = 1000;

/**
 * Sends what is due: attaches due notifications to per-recipient emails (digests), claims due
 * emails by lease, renders, sends and records each. All state is in the database, so a restart,
 * a crash or a second instance changes nothing: an email is claimed by one instance at a time,
 * recorded as sent once, and a dead instance's lease simply expires.
 */
@Injectable()
export class NotificationDispatcher {
  private readonly logger = new Logger('NotificationDispatcher');
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly sent: SentRecorder;

  constructor(
    private readonly dataSource: DataSource,
    private readonly notifications: NotificationsRepository,
    private readonly settings: NotificationSettingsRepository,
    @Inject(RECIPIENTS) private readonly recipients: Recipients,
    @Inject(DEADLINE_STATES) private readonly deadlineStates: DeadlineStates,
    @Inject(EVIDENCE_ARRIVALS) private readonly evidenceArrivals: EvidenceArrivals,
    private readonly composer: EmailComposer,
    private readonly transport: MailTransport,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.sent = new SentRecorder((records) => this.notifications.recordSent(records));
  }

  /**
   * Sends one account email now, in this request (NotificationOutbox.deliverNow): it gets an email of
   * its own, claimed by id, and is tried once; the caller learns whether it went. Not sent (SMTP
   * refused, recipient deactivated): it is given up, its text erased, and the caller says so.
   */
  async deliverNow(key: string): Promise<{ sent: true } | { sent: false; reason: string }> {
    const row = await this.notifications.findUnassignedByKey(key);
    if (!row) return { sent: false, reason: 'it is no longer waiting to be sent' };
    const [recipient] = await this.recipients.byIds([row.recipientId]);
    const now = this.clock.now();
    if (!recipient?.active) {
      await this.notifications.setStates([row.id], 'cancelled', 'recipient deactivated', null);
      await this.notifications.erasePayloads([row.id]);
      return { sent: false, reason: 'the recipient is deactivated' };
    }
    const digest = await this.notifications.upsertDigest(recipient, messageWindowKey(row), now);
    const attached = await this.notifications.attachUnclaimed([row.id], digest.id);
    if (attached !== 1 || !(await this.notifications.claimOne(digest.id, this.owner, now, new Date(now.getTime() + this.config.notifications.leaseMs)))) {
      // Another instance took it first (its fallback time came): that one sends it.
      return { sent: true };
    }
    const summary: DispatchSummary = { assigned: 1, emailsSent: 0, notificationsSent: 0, retried: 0, failed: 0, suppressed: 0, cancelled: 0 };
    await this.sendClaimed([digest.id], 1, summary);
    const after = await this.notifications.findDigest(digest.id);
    return after?.state === 'sent' ? { sent: true } : { sent: false, reason: after?.lastError ?? 'it could not be sent' };
  }

  async dispatch(): Promise<DispatchSummary> {
    const summary: DispatchSummary = { assigned: 0, emailsSent: 0, notificationsSent: 0, retried: 0, failed: 0, suppressed: 0, cancelled: 0 };
    await this.notifications.releaseOrphans();
    summary.assigned = await this.assignDue(this.clock.now(), summary);
    const { batchSize, leaseMs } = this.config.notifications;
    let rounds = 0;
    const claimNext = async (): Promise<number[]> => {
      if (rounds++ >= MAX_ROUNDS) return [];
      const now = this.clock.now();
      return this.notifications.claimDue(this.owner, now, new Date(now.getTime() + leaseMs), batchSize);
    };
    const claimed = await claimNext();
    // As many emails in flight as the SMTP pool has connections; the pool applies the rate limit. The
    // next batch is claimed as the last emails of this one are being sent, not after (see sendClaimed).
    if (claimed.length > 0) await this.sendClaimed(claimed, this.config.mail.maxConnections, summary, claimNext);
    return summary;
  }

  /** Groups due notifications into emails: one per recipient and window (a minute, or a digest day). */
  private async assignDue(now: Date, summary: DispatchSummary): Promise<number> {
    let assigned = 0;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const due = await this.notifications.findDueUnassigned(now, 1000);
      if (due.length === 0) break;
      const recipientIds = [...new Set(due.map((row) => row.recipientId))];
      const recipients = new Map((await this.recipients.byIds(recipientIds)).map((r) => [r.id, r]));
      const preferences = await this.settings.preferencesOf(recipientIds);
      const groups = new Map<string, Group>();
      const cancelled: DueNotice[] = [];
      for (const row of due) {
        const recipient = recipients.get(row.recipientId);
        const window = recipient?.active ? this.windowOf(row, recipient, preferences.get(row.recipientId)!, now) : null;
        if (!recipient || !window) {
          cancelled.push(row);
          continue;
        }
        const groupKey = `${row.recipientId}|${window.key}`;
        const group = groups.get(groupKey) ?? { recipient, windowKey: window.key, dueAt: window.dueAt, rows: [] };
        group.rows.push(row);
        groups.set(groupKey, group);
      }
      await this.notifications.setStates(cancelled.map((r) => r.id), 'cancelled', 'the recipient turned this kind of email off, or is deactivated', null);
      summary.cancelled += cancelled.length;
      assigned += await this.attachGroups([...groups.values()]);
      if (due.length < 1000) break;
    }
    return assigned;
  }

  /**
   * Puts each group in the email of its window: all the round's emails made in one statement, all
   * the notices attached in another. A group that could not go whole into its window's email
   * (claimed or sent meanwhile, or another instance attached some of its notices) is placed by
   * attachGroup, one by one, as before.
   */
  private async attachGroups(groups: Group[]): Promise<number> {
    const digests = await this.notifications.upsertDigests(
      groups.map((g) => ({ recipientId: g.recipient.id, coalitionId: g.recipient.coalitionId, windowKey: g.windowKey, dueAt: g.dueAt })),
    );
    const byPair = new Map(digests.map((d) => [`${d.recipientId}|${d.windowKey}`, d]));
    const open = groups.filter((g) => {
      const digest = byPair.get(`${g.recipient.id}|${g.windowKey}`);
      return digest && digest.state === 'pending' && digest.leaseOwner === null;
    });
    const attached = new Set(await this.notifications.attachManyUnclaimed(
      open.flatMap((g) => g.rows.map((row) => ({ id: row.id, digestId: byPair.get(`${g.recipient.id}|${g.windowKey}`)!.id }))),
    ));
    for (const group of groups) {
      if (group.rows.every((row) => attached.has(row.id))) continue;
      await this.attachGroup({ ...group, rows: group.rows.filter((row) => !attached.has(row.id)) });
    }
    return groups.reduce((sum, g) => sum + g.rows.length, 0);
  }

  /**
   * Puts a group of notices in the email of their window, or, when that email is already claimed or
   * sent, in one of their own (they came late: they go as soon as they can, in a second email).
   * Notices another instance put in an email meanwhile stay there.
   */
  private async attachGroup(group: Group): Promise<void> {
    let ids = group.rows.map((r) => r.id);
    const first = ids[0];
    for (let attempt = 0; attempt < MAX_ROUNDS && ids.length > 0; attempt++) {
      const key = attempt === 0 ? group.windowKey : `${group.windowKey}#${first}${attempt > 1 ? `.${attempt}` : ''}`;
      const digest = await this.notifications.upsertDigest(group.recipient, key, group.dueAt);
      if (digest.state !== 'pending' || digest.leaseOwner !== null) continue;
      if ((await this.notifications.attachUnclaimed(ids, digest.id)) === ids.length) return;
      ids = await this.notifications.unattached(ids);
    }
  }

  /** Which email a notification belongs in, per the recipient's current preferences; null: not to be sent. */
  private windowOf(row: DueNotice, recipient: Recipient, preference: NotificationPreference, now: Date): { key: string; dueAt: Date } | null {
    // An account email goes alone and at once, whatever the preferences (its fallback time came).
    if (row.kind === 'account_email') return { key: messageWindowKey(row), dueAt: now };
    const mode = preferenceOf(row.kind) === 'reminders' ? preference.remindersMode : preference.statusChangesMode;
    if (mode === 'off' && !row.critical) return null;
    if (mode === 'daily_digest' && !row.critical) {
      const at = nextDigestTime(new Date(row.dueAt.getTime() - 1), recipient.timeZone, preference.digestHour);
      return { key: digestWindowKey(at, recipient.timeZone), dueAt: at };
    }
    const late = now.getTime() - row.dueAt.getTime() > CATCH_UP_AFTER_MS;
    const at = late ? now : row.dueAt;
    return { key: immediateWindowKey(at), dueAt: at };
  }

  /**
   * Reads what these claimed emails need, a query each for all of them (emails, recipients, notices,
   * deadlines, suppressions, preferences), and drops what went stale. Done for a few emails at a
   * time, just before they are sent (see sendClaimed), so a deadline changed meanwhile is still seen.
   */
  private async prepare(ids: number[], summary: DispatchSummary): Promise<Prepared[]> {
    const digests = (await this.notifications.findDigests(ids)).filter((d) => d.state === 'pending' && d.leaseOwner === this.owner);
    if (digests.length === 0) return [];
    const recipientIds = [...new Set(digests.map((d) => d.recipientId))];
    const recipients = new Map((await this.recipients.byIds(recipientIds)).map((r) => [r.id, r]));
    const now = this.clock.now();
    const rowsOf = new Map<number, Notification[]>(digests.map((d) => [d.id, []]));
    for (const row of await this.live(await this.notifications.findPendingOfDigests(digests.map((d) => d.id)), now, summary)) rowsOf.get(row.digestId!)!.push(row);
    const suppressed = await this.notifications.suppressedAmong([...recipients.values()].map((r) => r.email));
    const preferences = await this.settings.preferencesOf(recipientIds);
    return digests.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id)).map((digest) => {
      const recipient = recipients.get(digest.recipientId) ?? null;
      return {
        digest,
        recipient,
        rows: rowsOf.get(digest.id)!,
        suppressed: recipient !== null && suppressed.has(recipient.email.toLowerCase()),
        preferencesVersion: preferences.get(digest.recipientId)!.preferencesVersion,
      };
    });
  }

  /**
   * Sends claimed emails with `concurrency` in flight. They are prepared a few at a time, the next
   * few while the last of these are being sent, so the SMTP connections never wait for the database.
   * With `claimNext`, the next batch is claimed when this one's last emails are being prepared, so the
   * connections do not sit idle while a batch's last emails finish before the next claim. At most one
   * batch is claimed and not yet being sent, as when batches went one after another; each email's
   * lease is renewed for a full lease just before it is sent, and no email is taken twice in one call.
   */
  private async sendClaimed(claimed: number[], concurrency: number, summary: DispatchSummary, claimNext?: () => Promise<number[]>): Promise<void> {
    const chunkSize = Math.max(PREPARE_AT_ONCE, concurrency * 2);
    const ready: Prepared[] = [];
    let ids = claimed;
    const seen = new Set(claimed);
    let nextChunk = 0;
    let moreToClaim = claimNext !== undefined;
    let claimError: unknown = null;
    let loading: Promise<void> | null = null;
    const pending = () => nextChunk < ids.length || moreToClaim;
    const load = (): Promise<void> => {
      loading ??= (async () => {
        if (nextChunk >= ids.length && moreToClaim) {
          try {
            // An email of this call whose lease ran out before it was sent may be claimed again: it is
            // still in hand here, and is not taken a second time.
            ids = (await claimNext!()).filter((id) => !seen.has(id));
            for (const id of ids) seen.add(id);
            nextChunk = 0;
          } catch (error) {
            claimError = error;
            ids = [];
          }
          moreToClaim = ids.length > 0 && claimError === null;
        }
        const chunk = ids.slice(nextChunk, nextChunk + chunkSize);
        nextChunk += chunk.length;
        try {
          if (chunk.length > 0) ready.push(...(await this.prepare(chunk, summary)));
        } catch (error) {
          // Their leases expire and they are tried again (as one broken email never stops the batch).
          this.logger.error(`emails ${chunk.join(', ')}: ${error instanceof Error ? error.message : String(error)}`);
        } finally {
          loading = null;
        }
      })();
      return loading;
    };
    const take = async (): Promise<Prepared | undefined> => {
      while (ready.length === 0 && (pending() || loading)) await load();
      if (ready.length <= concurrency && pending()) void load();
      return ready.shift();
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, claimNext ? concurrency : ids.length)) }, async () => {
      for (let item = await take(); item; item = await take()) {
        try {
          await this.process(item, summary);
        } catch (error) {
          // One broken email never stops the batch; its lease expires and it is tried again.
          this.logger.error(`email ${item.digest.id}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }));
    // A claim that failed fails the dispatch, as before; what was claimed before it was sent.
    if (claimError !== null) throw claimError;
  }

  private async process({ digest, recipient, rows, suppressed, preferencesVersion }: Prepared, summary: DispatchSummary): Promise<void> {
    const id = digest.id;
    // Empty from the start (its notices went in another instance's email first): not an email at all.
    if (rows.length === 0 && (await this.notifications.deleteClaimedEmpty(id, this.owner))) return;
    if (!recipient || !recipient.active || rows.length === 0) {
      await this.notifications.setStates(rows.map((r) => r.id), 'cancelled', 'recipient deactivated', null);
      await this.notifications.erasePayloads(rows.map((r) => r.id));
      await this.notifications.finishDigest(id, this.owner, { state: 'cancelled' });
      return;
    }
    const accountEmail = rows.some((r) => r.kind === 'account_email');
    // An account email is asked for (an invitation, a reset): an address refused before is tried again.
    if (!accountEmail && suppressed) {
      await this.notifications.setStates(rows.map((r) => r.id), 'suppressed', `${recipient.email} is suppressed after a permanent failure`, null);
      await this.notifications.finishDigest(id, this.owner, { state: 'suppressed', toAddress: recipient.email });
      summary.suppressed += 1;
      return;
    }
    const email = await this.composer.compose(digest, recipient, preferencesVersion, rows);
    // Only while this instance still holds the email, and for a full lease from now: a lease that ran
    // out while the email waited its turn (a long batch, a paused process) may have been taken over by
    // another instance, which sends it itself. What remains is an SMTP exchange outlasting the lease.
    if (!(await this.notifications.renewLeaseQuickly(id, this.owner, new Date(this.clock.now().getTime() + this.config.notifications.leaseMs)))) return;
    try {
      await this.transport.send(email);
    } catch (error) {
      await this.recordFailure(digest, recipient, rows, error as Error & { responseCode?: number; code?: string }, summary);
      return;
    }
    // Recorded before this connection takes its next email: what was sent and not recorded is at
    // most what is in flight. Emails finishing together share one transaction (see SentRecorder).
    await this.sent.record({
      digestId: id, owner: this.owner, sentAt: this.clock.now(), messageId: email.messageId, toAddress: recipient.email,
      notificationIds: rows.map((r) => r.id), accountEmail,
    });
    summary.emailsSent += 1;
    summary.notificationsSent += rows.length;
  }

  /**
   * Drops what went stale since it was planned: deadline notices of an older version, of a deleted
   * or completed deadline, reminders whose deadline already passed (the overdue notice covers them:
   * after downtime a member gets one overdue notice, not a flood of late reminders), and
   * evidence-due notices when evidence did arrive.
   */
  private async live(rows: Notification[], now: Date, summary: DispatchSummary): Promise<Notification[]> {
    const deadlineIds = [...new Set(rows.map((r) => r.deadlineId).filter((d): d is number => d !== null))];
    const deadlines = new Map((deadlineIds.length > 0 ? await this.deadlineStates.current(deadlineIds) : []).map((d) => [d.id, d]));
    const keep: Notification[] = [];
    const stale: { row: Notification; reason: string }[] = [];
    for (const row of rows) {
      if (row.deadlineId === null) {
        keep.push(row);
        continue;
      }
      const deadline = deadlines.get(row.deadlineId);
      if (!deadline || deadline.deleted) stale.push({ row, reason: 'deadline deleted' });
      else if (deadline.version !== row.deadlineVersion) stale.push({ row, reason: 'deadline changed' });
      else if (!deadline.open) stale.push({ row, reason: 'deadline done' });
      else if (row.kind === 'deadline_reminder' && deadline.dueAt.getTime() <= now.getTime()) stale.push({ row, reason: 'deadline passed before the reminder could go out' });
      else if (row.kind === 'evidence_due' && deadline.recommendationId && (await this.evidenceArrivals.arrivedSince(deadline.recommendationId, deadline.createdAt))) {
        stale.push({ row, reason: 'evidence arrived' });
      } else keep.push(row);
    }
    for (const reason of new Set(stale.map((s) => s.reason))) {
      await this.notifications.setStates(stale.filter((s) => s.reason === reason).map((s) => s.row.id), 'cancelled', reason, null);
    }
    summary.cancelled += stale.length;
    return keep;
  }

  private async recordFailure(digest: Digest, recipient: Recipient, rows: Notification[], error: Error & { responseCode?: number; code?: string }, summary: DispatchSummary): Promise<void> {
    const now = this.clock.now();
    const message = `${error.responseCode ?? error.code ?? 'error'}: ${error.message}`.slice(0, 500);
    const ids = rows.map((r) => r.id);
    if (rows.some((r) => r.kind === 'account_email')) {
      // Tried once: whoever asked is told (an admin gets a 502 and resends: a new link). Not
      // retried, and the address is not suppressed: the next one is asked for by a person.
      await this.dataSource.transaction(async (manager) => {
        await this.notifications.finishDigest(digest.id, this.owner, { state: 'failed', lastError: message, toAddress: recipient.email, attempts: digest.attempts + 1 }, manager);
        await this.notifications.setStates(ids, 'failed', message, null, manager);
        await this.notifications.erasePayloads(ids, manager);
      });
      summary.failed += 1;
      return;
    }
    if (isPermanentSmtpFailure(error)) {
      await this.dataSource.transaction(async (manager) => {
        await this.notifications.finishDigest(digest.id, this.owner, { state: 'failed', lastError: message, toAddress: recipient.email, attempts: digest.attempts + 1 }, manager);
        await this.notifications.setStates(ids, 'failed', message, null, manager);
        await this.notifications.suppress(recipient.email, message, manager);
      });
      summary.failed += 1;
      this.logger.warn(`email ${digest.id} refused permanently (${message}); address suppressed`);
      return;
    }
    const firstAttemptAt = digest.firstAttemptAt ?? now;
    const attempts = digest.attempts + 1;
    if (now.getTime() - firstAttemptAt.getTime() >= this.config.notifications.retryBudgetMs) {
      await this.dataSource.transaction(async (manager) => {
        await this.notifications.finishDigest(digest.id, this.owner, { state: 'failed', lastError: `gave up after ${attempts} attempts: ${message}`.slice(0, 500), attempts, firstAttemptAt }, manager);
        await this.notifications.setStates(ids, 'failed', message, null, manager);
      });
      summary.failed += 1;
      return;
    }
    const nextAttemptAt = new Date(now.getTime() + nextRetryDelayMs(attempts));
    // Stays pending: the lease is released and the email waits for its next attempt time.
    await this.notifications.finishDigest(digest.id, this.owner, { state: 'pending', lastError: message, attempts, firstAttemptAt, nextAttemptAt });
    summary.retried += 1;
  }
}

/** An account email's own email, never shared with other notices. */
function messageWindowKey(row: Pick<Notification, 'id'>): string {
  return `message:${row.id}`;
}

/** A claimed email with what sending it needs. */
interface Prepared {
  digest: Digest;
  recipient: Recipient | null;
  /** Its notices still to send (stale ones dropped). */
  rows: Notification[];
  suppressed: boolean;
  preferencesVersion: number;
}

interface Group {
  recipient: Recipient;
  windowKey: string;
  dueAt: Date;
  rows: DueNotice[];
}
