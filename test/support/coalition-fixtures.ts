import { randomBytes } from 'node:crypto';
import { AccountLink, type AccountLinkPurpose } from '../../src/accounts/account-link.entity';
import { hashToken } from '../../src/auth/token.util';
import { Digest } from '../../src/notifications/digest.entity';
import { IntakeSettingsService } from '../../src/testimonies/intake-settings.service';
import { CalendarFeedService } from '../../src/web/calendar/calendar-feed.service';
import { UnsubscribeTokens } from '../../src/notifications/unsubscribe-tokens';
import type { TestApp, TestUser } from './test-app';

const API = '/api/v1';

/**
 * One coalition with real rows of every kind a route can name: people of every role, an older and
 * a current cycle of the same State (so lineage has a candidate), a recommendation with link and
 * file evidence and a deadline. Everything of coalition B carries its name ("Borduria"), so a
 * response that leaks B's data to coalition A can be caught by a text search. The State under review
 * is a real State (an unknown one is refused since issue 12): the cycles carry the marker in their session.
 */
export interface CoalitionFixture {
  name: string;
  /** A word in every row of this coalition, and in no other coalition's. */
  marker: string;
  /** The (real) State under review of the coalition's cycles. */
  state: string;
  coalitionId: number;
  admin: TestUser;
  coordinator: TestUser;
  member: TestUser;
  /** A member that admins' PATCH /users/:id may rename. */
  spare: TestUser;
  olderCycleId: number;
  olderRecommendationId: number;
  cycleId: number;
  recommendationId: number;
  linkEvidenceId: number;
  fileEvidenceId: number;
  deadlineId: number;
}

let sequence = 0;
const next = () => (sequence += 1);

async function ok<T = { id: number }>(request: PromiseLike<{ status: number; body: unknown }>, status: number, what: string): Promise<T> {
  const res = await request;
  if (res.status !== status) throw new Error(`Fixture ${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as T;
}

export async function createCoalitionFixture(t: TestApp, name: string, marker: string, state: string): Promise<CoalitionFixture> {
  const admin = await t.createUser('admin', name);
  const coordinator = await t.createUser('coordinator', name);
  const member = await t.createUser('member', name);
  const spare = await t.createUser('member', name);
  const as = (user: TestUser, method: 'post' | 'get', path: string, body?: object) => t.http[method](`${API}${path}`).set('Authorization', user.auth).send(body);

  const older = await ok(as(admin, 'post', '/cycles', { number: 2, stateUnderReview: state, session: `${marker} 22` }), 201, 'older cycle');
  const olderRec = await ok(as(admin, 'post', `/cycles/${older.id}/recommendations`, { paragraph: '90.1', text: `Ratify the Convention against Torture (${marker})` }), 201, 'older recommendation');
  const cycle = await ok(as(admin, 'post', '/cycles', { number: 3, stateUnderReview: state, session: `${marker} 36` }), 201, 'cycle');
  const rec = await ok(
    as(admin, 'post', `/cycles/${cycle.id}/recommendations`, {
      paragraph: '120.1', text: `Consider ratifying the Convention against Torture (${marker})`, ownerIds: [coordinator.id], themes: ['A12 Acceptance of international norms'],
    }),
    201,
    'recommendation',
  );
  const link = await ok(as(member, 'post', `/recommendations/${rec.id}/evidence`, { kind: 'link', title: `${marker} ministry statement`, url: 'https://example.org/statement' }), 201, 'link evidence');
  const file = await ok(
    t.http
      .post(`${API}/recommendations/${rec.id}/evidence`)
      .set('Authorization', member.auth)
      .field('kind', 'document')
      .field('title', `${marker} shadow report`)
      .attach('file', Buffer.from(`the shadow report of ${marker}`), { filename: 'shadow-report.txt', contentType: 'text/plain' }),
    201,
    'file evidence',
  );
  const deadline = await ok(
    as(admin, 'post', '/deadlines', { recommendationId: rec.id, kind: 'evidence_due', title: `${marker} evidence`, dueDate: '2027-01-15', timeZone: 'Europe/Berlin', assigneeIds: [member.id] }),
    201,
    'deadline',
  );
  return {
    name, marker, state, coalitionId: admin.coalitionId, admin, coordinator, member, spare,
    olderCycleId: older.id, olderRecommendationId: olderRec.id, cycleId: cycle.id, recommendationId: rec.id,
    linkEvidenceId: link.id, fileEvidenceId: file.id, deadlineId: deadline.id,
  };
}

/**
 * Fresh rows for the requests that use up what they act on (closing a cycle, deleting a deadline,
 * revoking a token, retrying a failed email, a one-use unsubscribe link, a status change that must
 * change something), so every role's request finds its target in the same state.
 */
export class FixtureFactory {
  constructor(private readonly t: TestApp) {}

  async cycle(f: CoalitionFixture): Promise<number> {
    const body = { number: 1, stateUnderReview: f.state, session: `${f.marker} ${next()}` };
    return (await ok(this.t.http.post(`${API}/cycles`).set('Authorization', f.admin.auth).send(body), 201, 'fresh cycle')).id;
  }

  async recommendation(f: CoalitionFixture): Promise<number> {
    const body = { text: `${f.marker}: protect human rights defenders ${next()}` };
    return (await ok(this.t.http.post(`${API}/cycles/${f.cycleId}/recommendations`).set('Authorization', f.admin.auth).send(body), 201, 'fresh recommendation')).id;
  }

  async deadline(f: CoalitionFixture): Promise<number> {
    const body = { cycleId: f.cycleId, kind: 'other', title: `${f.marker} meeting ${next()}`, dueDate: '2027-06-01', timeZone: 'UTC' };
    return (await ok(this.t.http.post(`${API}/deadlines`).set('Authorization', f.admin.auth).send(body), 201, 'fresh deadline')).id;
  }

  /**
   * A link on the coalition's recommendation, submitted by `submitter` when they belong to the
   * coalition (members may edit and remove only their own), else by its member.
   */
  async evidence(f: CoalitionFixture, submitter?: TestUser | null): Promise<number> {
    const by = submitter && submitter.coalitionId === f.coalitionId ? submitter : f.member;
    const body = { kind: 'link', title: `${f.marker} press release ${next()}`, url: 'https://example.org/press' };
    return (await ok(this.t.http.post(`${API}/recommendations/${f.recommendationId}/evidence`).set('Authorization', by.auth).send(body), 201, 'fresh evidence')).id;
  }

  /** One of the coalition's own spellings of a State (issue 12). */
  async stateAlias(f: CoalitionFixture): Promise<number> {
    const body = { state: 'CIV', alias: `${f.marker} ivory ${next()}` };
    return (await ok(this.t.http.post(`${API}/admin/state-aliases`).set('Authorization', f.admin.auth).send(body), 201, 'fresh state alias')).id;
  }

  /** A fresh alias of a theme (issue 12); its id. */
  async themeAlias(f: CoalitionFixture): Promise<number> {
    const body = { theme: 'D23', alias: `${f.marker} capital punishment ${next()}` };
    return (await ok(this.t.http.post(`${API}/admin/theme-aliases`).set('Authorization', f.admin.auth).send(body), 201, 'fresh theme alias')).id;
  }

  /** The coalition's open testimony intake (issue 13), opened again if a page closed it; its slug. */
  async intakeSlug(f: CoalitionFixture): Promise<string> {
    const settings = this.t.app.get(IntakeSettingsService);
    const current = await settings.settings(f.coalitionId);
    if (current.enabled && current.slug) return current.slug;
    return (await settings.enable(f.coalitionId, { slug: current.slug ?? `intake-${f.marker.toLowerCase()}` }, null)).slug!;
  }

  /** A testimony sent to the coalition's intake, with one PDF: its id, receipt and file. */
  async testimony(f: CoalitionFixture, consent: 'internal' | 'anonymised' | 'public' = 'internal'): Promise<{ id: number; receipt: string; fileId: number }> {
    const slug = await this.intakeSlug(f);
    const { receipt } = await ok<{ receipt: string }>(
      this.t.http.post(`${API}/public/testimonies/${slug}`).field('text', `${f.marker} testimony ${next()}`).field('consent', consent).field('language', 'en')
        .attach('files', Buffer.from('%PDF-1.4\n%%EOF\n'), 'statement.pdf'),
      201, 'fresh testimony',
    );
    const [row] = await this.t.dataSource.query(`SELECT id FROM testimony WHERE coalition_id = ${f.coalitionId} ORDER BY id DESC LIMIT 1`);
    const [file] = await this.t.dataSource.query(`SELECT id FROM testimony_file WHERE testimony_id = ${row.id}`);
    return { id: row.id, receipt, fileId: file.id };
  }

  /** A testimony linked to the coalition's recommendation by its coordinator (issue 13 triage). */
  async linkedTestimony(f: CoalitionFixture): Promise<{ id: number; recommendationId: number }> {
    const { id } = await this.testimony(f);
    await ok(this.t.http.post(`${API}/testimonies/${id}/links`).set('Authorization', f.coordinator.auth).send({ recommendationIds: [f.recommendationId] }), 201, 'testimony link');
    return { id, recommendationId: f.recommendationId };
  }

  async token(user: TestUser): Promise<number> {
    return (await ok(this.t.http.post(`${API}/me/tokens`).set('Authorization', user.auth).send({ label: `spare ${next()}` }), 201, 'fresh token')).id;
  }

  /** A person invited to the coalition who has not chosen a password yet. */
  async invitedUser(f: CoalitionFixture): Promise<number> {
    const body = { email: `invitee${next()}@${f.marker.toLowerCase()}.example.org`, name: `${f.marker} invitee`, role: 'member' };
    return (await ok<{ user: { id: number } }>(this.t.http.post(`${API}/users/invitations`).set('Authorization', f.admin.auth).send(body), 201, 'invited user')).user.id;
  }

  /** A failed email to the coalition's member: what an admin may retry. */
  async failedEmail(f: CoalitionFixture): Promise<number> {
    const digest = await this.t.dataSource.getRepository(Digest).save({
      recipientId: f.member.id, coalitionId: f.member.coalitionId, windowKey: `at:fixture-${next()}`, dueAt: this.t.clock.now(), state: 'failed', attempts: 3, lastError: '550 mailbox unavailable',
    });
    return digest.id;
  }

  /** A person of the coalition who may be renamed, deactivated or signed out without touching anyone else's session. */
  freshUser(f: CoalitionFixture, role: TestUser['role'] = 'member'): Promise<TestUser> {
    return this.t.createUser(role, f.name, `fresh${next()}@${f.marker.toLowerCase()}.example.org`);
  }

  /** The token of a usable invitation link (a person invited to the coalition, no password yet). */
  async invitationToken(f: CoalitionFixture): Promise<string> {
    return this.accountLink(await this.invitedUser(f), 'invitation');
  }

  /** The token of a usable password-reset link of a fresh person (using it signs that person out everywhere). */
  async passwordResetToken(f: CoalitionFixture): Promise<string> {
    return this.accountLink((await this.freshUser(f)).id, 'password_reset');
  }

  /** The path of a user's current calendar feed (its signed URL). */
  async calendarPath(user: TestUser): Promise<string> {
    const url = await this.t.app.get(CalendarFeedService).urlFor({ id: user.id, coalitionId: user.coalitionId } as never);
    return new URL(url).pathname;
  }

  /** A fresh cycle of the coalition whose public ledger is published. */
  async publishedCycle(f: CoalitionFixture): Promise<number> {
    const cycleId = await this.cycle(f);
    await ok(this.t.http.post(`${API}/cycles/${cycleId}/publish`).set('Authorization', f.admin.auth), 200, 'publish');
    return cycleId;
  }

  private readonly ledgers = new Map<number, Promise<{ cycleId: number; evidenceId: number }>>();

  /** A published cycle of the coalition with a public uploaded file (made once per coalition). */
  publishedLedger(f: CoalitionFixture): Promise<{ cycleId: number; evidenceId: number }> {
    let ledger = this.ledgers.get(f.coalitionId);
    if (!ledger) {
      ledger = (async () => {
        const cycleId = await this.cycle(f);
        const rec = await ok(this.t.http.post(`${API}/cycles/${cycleId}/recommendations`).set('Authorization', f.admin.auth).send({ text: `${f.marker}: a published recommendation` }), 201, 'ledger recommendation');
        const file = await ok(
          this.t.http
            .post(`${API}/recommendations/${rec.id}/evidence`)
            .set('Authorization', f.admin.auth)
            .field('kind', 'document')
            .field('title', `${f.marker} public report`)
            .attach('file', Buffer.from(`the public report of ${f.marker}`), { filename: 'public-report.txt', contentType: 'text/plain' }),
          201,
          'public evidence',
        );
        await ok(this.t.http.post(`${API}/cycles/${cycleId}/publish`).set('Authorization', f.admin.auth), 200, 'publish ledger');
        return { cycleId, evidenceId: file.id };
      })();
      this.ledgers.set(f.coalitionId, ledger);
    }
    return ledger;
  }

  private async accountLink(userId: number, purpose: AccountLinkPurpose): Promise<string> {
    const token = randomBytes(24).toString('base64url');
    const expiresAt = new Date(this.t.clock.now().getTime() + 24 * 3600_000);
    await this.t.dataSource.getRepository(AccountLink).save({ userId, purpose, tokenHash: hashToken(token), expiresAt, usedAt: null });
    return token;
  }

  /** A valid one-click unsubscribe token of the coalition's member (used once, it is spent). */
  async unsubscribeToken(f: CoalitionFixture): Promise<string> {
    const [row] = await this.t.dataSource.query(`SELECT preferences_version AS v FROM notification_preference WHERE user_id = ${Number(f.member.id)}`);
    return this.t.app.get(UnsubscribeTokens).sign({ userId: f.member.id, scope: 'reminders', version: Number(row?.v ?? 0) }, this.t.clock.now());
  }
}
