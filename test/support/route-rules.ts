import { ROLES, type Role } from '../../src/auth/role';
import type { CoalitionFixture, FixtureFactory } from './coalition-fixtures';
import type { TestUser } from './test-app';

/**
 * Who may call each route of the application, keyed "METHOD /express/path" exactly as the route
 * table of the running app has it (test/support/route-table.ts). test/authorization-matrix.e2e-spec.ts
 * fails for a route without a rule and for a rule without a route, so a new route cannot ship
 * without saying who may call it.
 *
 * Kinds:
 * - `token`: needs "Authorization: Bearer <token>"; `roles` may call it (403 for the others);
 *   `scope: 'coalition'` means the request names a coalition's row (path or body) and another
 *   coalition's row must be 404; `scope: 'user'` the same for a row of one user (their tokens).
 * - `public`: answers the same with or without a token (health, the unsubscribe link, API docs).
 * - `session`: a page of the web module (cookie session, not /api), signed in through the real
 *   sign-in form; every POST needs the page's CSRF token. `roles` may use it (403 page for the
 *   others, and a signed-out visitor is sent to /login), or `'anyone'` for the public pages (sign-in,
 *   password and invitation links, the public ledger, the calendar feed), which answer a visitor
 *   with `signedOut`. `scope: 'coalition'` as for tokens: another coalition's row is a 404 page.
 *   Only routes of `module` may have this kind.
 */
export interface RequestSpec {
  path: string;
  body?: object;
  /** A web form (application/x-www-form-urlencoded); the matrix adds `_csrf`. */
  form?: Record<string, string>;
  /** multipart/form-data fields and one file, instead of a JSON body. */
  fields?: Record<string, string>;
  file?: { field: string; name: string; content: Buffer; contentType: string };
}

export interface RuleContext {
  /** The coalition whose rows the request names: the caller's own, or another one. */
  target: CoalitionFixture;
  /** Who calls; null without a token. */
  caller: TestUser | null;
  make: FixtureFactory;
  /** The caller's coalition (web pages, where a signed-out visitor has none of its own). */
  home?: CoalitionFixture;
}

export interface TokenRule {
  kind: 'token';
  roles: readonly Role[];
  scope: 'coalition' | 'user' | 'none';
  request(ctx: RuleContext): RequestSpec | Promise<RequestSpec>;
  /** What an allowed role's request on its own rows answers (default: any 2xx). */
  ok?: number[];
  /**
   * What the other roles are answered: 403 naming the allowed roles (default), or 404 where the row
   * must not even be known to exist for them (a testimony, to members).
   */
  refusal?: 403 | 404;
}

export interface PublicRule {
  kind: 'public';
  request?(ctx: RuleContext): RequestSpec | Promise<RequestSpec>;
  ok: number[];
}

export interface SessionRule {
  kind: 'session';
  /** The Nest module that must own the route: only the web module's pages are signed in by cookie. */
  module: string;
  /** Who may use the page signed in; `'anyone'`: public, signed out too. */
  roles: readonly Role[] | 'anyone';
  scope: 'coalition' | 'none';
  request(ctx: RuleContext): RequestSpec | Promise<RequestSpec>;
  /** What an allowed role's request on its own rows answers (default: 200 for GET, 303 for POST). */
  ok?: number[];
  /** Public pages: what a signed-out visitor gets (default: `ok`). */
  signedOut?: number[];
  /**
   * What naming another coalition's row answers (default 404). A form that names rows in its body
   * rather than its address is shown again, the refusal ("… was not found") next to its field: 422.
   */
  other?: number;
  /** The request ends the session it is sent with (signing out): the matrix sends it with a fresh one. */
  endsSession?: boolean;
}

export type RouteRule = TokenRule | PublicRule | SessionRule;

const API = '/api/v1';
const EVERYONE = ROLES;
const ADMIN: readonly Role[] = ['admin'];
const STAFF: readonly Role[] = ['admin', 'coordinator'];

let newUsers = 0;

const csv = (f: CoalitionFixture) =>
  Buffer.from(`state_under_review,paragraph,text,response\n${f.marker},130.1,Adopt a national action plan (${f.marker}),supported\n`);

/** A page of the web module, as the matrix calls it. */
const page = (roles: SessionRule['roles'], scope: SessionRule['scope'], request: SessionRule['request'], extra: Partial<SessionRule> = {}): SessionRule => ({
  kind: 'session', module: 'WebModule', roles, scope, request, ...extra,
});

const NEW_PASSWORD = { password: 'a brand new long password', confirmation: 'a brand new long password' };
let webRows = 0;

/**
 * The web pages (WebModule, at the root, cookie sessions). Each POST gets a body the page accepts,
 * and rows it uses up (a status change, a closed cycle, a deactivated person, a spent link) are
 * made fresh per request, so that every role's request finds its target in the same state.
 */
const WEB_RULES: Record<string, SessionRule> = {
  // Signing in and out, and the links of invitation and password-reset emails: public.
  'GET /login': page('anyone', 'none', () => ({ path: '/login?next=%2Fsettings' }), { ok: [303], signedOut: [200] }),
  'POST /login': page('anyone', 'none', ({ caller, target }) => ({ path: '/login', form: { email: (caller ?? target.spare).email, password: 'a long enough password', next: '/settings' } })),
  'POST /logout': page('anyone', 'none', () => ({ path: '/logout', form: {} }), { endsSession: true }),
  'GET /password/forgot': page('anyone', 'none', () => ({ path: '/password/forgot' })),
  'POST /password/forgot': page('anyone', 'none', ({ target }) => ({ path: '/password/forgot', form: { email: target.spare.email } }), { ok: [200] }),
  'GET /password/reset/:token': page('anyone', 'none', async ({ target, make }) => ({ path: `/password/reset/${await make.passwordResetToken(target)}` })),
  'POST /password/reset/:token': page('anyone', 'none', async ({ target, make }) => ({ path: `/password/reset/${await make.passwordResetToken(target)}`, form: NEW_PASSWORD })),
  // The one-time setup page: gone for good once any user exists, as in every run of the matrix (test/setup.e2e-spec.ts has it open).
  'GET /setup': page('anyone', 'none', () => ({ path: '/setup' }), { ok: [404] }),
  'POST /setup': page('anyone', 'none', () => ({
    path: '/setup', form: { coalition: 'A second coalition', name: 'Second Admin', email: 'second-admin@example.org', password: 'a long enough password', confirmation: 'a long enough password', code: 'ABCD-EFGH' },
  }), { ok: [404] }),
  'GET /invitations/:token': page('anyone', 'none', async ({ target, make }) => ({ path: `/invitations/${await make.invitationToken(target)}` })),
  'POST /invitations/:token': page('anyone', 'none', async ({ target, make }) => ({ path: `/invitations/${await make.invitationToken(target)}`, form: NEW_PASSWORD })),

  // The public ledger of a published cycle; another coalition's file is not found under this cycle.
  'GET /ledger/:cycleId': page('anyone', 'none', async ({ target, make }) => ({ path: `/ledger/${(await make.publishedLedger(target)).cycleId}` })),
  'GET /ledger/:cycleId/evidence/:evidenceId': page('anyone', 'coalition', async ({ target, home, make }) => {
    const cycle = (await make.publishedLedger(home ?? target)).cycleId;
    return { path: `/ledger/${cycle}/evidence/${(await make.publishedLedger(target)).evidenceId}` };
  }),
  // The calendar feed: its signed URL is the credential (the caller's own, or the coalition's member's).
  'GET /calendar/:file': page('anyone', 'none', async ({ caller, target, make }) => ({ path: await make.calendarPath(caller ?? target.member) })),

  // Every signed-in person.
  'GET /': page(EVERYONE, 'none', () => ({ path: '/' })),
  'GET /settings': page(EVERYONE, 'none', () => ({ path: '/settings' })),
  'POST /settings': page(EVERYONE, 'none', () => ({ path: '/settings', form: { reminders: 'immediate', statusChanges: 'daily_digest', digestHour: '7', timeZone: 'Europe/Berlin' } })),
  'POST /settings/calendar/reset': page(EVERYONE, 'none', () => ({ path: '/settings/calendar/reset', form: {} })),
  'GET /recommendations': page(EVERYONE, 'none', () => ({ path: '/recommendations?q=torture' })),
  'GET /audit': page(STAFF, 'none', () => ({ path: '/audit?entity=recommendation' })),
  'GET /recommendations/:id': page(EVERYONE, 'coalition', ({ target }) => ({ path: `/recommendations/${target.recommendationId}` })),
  'POST /recommendations/:id/evidence': page(EVERYONE, 'coalition', ({ target }) => ({
    path: `/recommendations/${target.recommendationId}/evidence`,
    fields: { kind: 'link', title: 'Parliament debate', url: 'https://example.org/debate' },
  })),
  'POST /recommendations/:id/follow': page(EVERYONE, 'coalition', ({ target }) => ({ path: `/recommendations/${target.recommendationId}/follow`, form: {} })),
  'POST /recommendations/:id/unfollow': page(EVERYONE, 'coalition', ({ target }) => ({ path: `/recommendations/${target.recommendationId}/unfollow`, form: {} })),
  'GET /evidence/:id/file': page(EVERYONE, 'coalition', ({ target }) => ({ path: `/evidence/${target.fileEvidenceId}/file` })),
  'GET /evidence/:id/edit': page(EVERYONE, 'coalition', ({ target }) => ({ path: `/evidence/${target.linkEvidenceId}/edit` })),
  'POST /evidence/:id/edit': page(EVERYONE, 'coalition', ({ target }) => ({
    path: `/evidence/${target.linkEvidenceId}/edit`,
    form: { title: `${target.marker} ministry statement (edited)`, kind: 'link', url: 'https://example.org/statement' },
  })),
  'GET /evidence/:id/remove': page(EVERYONE, 'coalition', ({ target }) => ({ path: `/evidence/${target.linkEvidenceId}/remove` })),
  'POST /evidence/:id/remove': page(EVERYONE, 'coalition', async ({ target, caller, make }) => ({ path: `/evidence/${await make.evidence(target, caller)}/remove`, form: {} })),
  // The coalition's own spellings of States: admins only.
  'GET /state-aliases': page(ADMIN, 'none', () => ({ path: '/state-aliases' })),
  'POST /state-aliases': page(ADMIN, 'none', ({ target }) => ({ path: '/state-aliases', form: { state: 'CIV', alias: `${target.marker} web alias ${(webRows += 1)}` } })),
  'POST /state-aliases/:id/remove': page(ADMIN, 'coalition', async ({ target, make }) => ({ path: `/state-aliases/${await make.stateAlias(target)}/remove`, form: {} })),
  'GET /theme-aliases': page(ADMIN, 'none', () => ({ path: '/theme-aliases' })),
  'POST /theme-aliases': page(ADMIN, 'none', ({ target }) => ({ path: '/theme-aliases', form: { target: 'group:Women', alias: `${target.marker} web group alias ${(webRows += 1)}` } })),
  'POST /theme-aliases/:id/remove': page(ADMIN, 'coalition', async ({ target, make }) => ({ path: `/theme-aliases/${await make.themeAlias(target)}/remove`, form: {} })),
  'GET /cycles/:id/report/:format': page(EVERYONE, 'coalition', ({ target }) => ({ path: `/cycles/${target.cycleId}/report/csv` })),

  // Admins and coordinators.
  'POST /recommendations/bulk': page(STAFF, 'coalition', ({ target }) => ({
    path: '/recommendations/bulk', form: { action: 'owners', ids: String(target.recommendationId), ownerIds: String(target.coordinator.id), back: 'q=torture' },
  }), { other: 422 }),
  'POST /recommendations/:id/status': page(STAFF, 'coalition', async ({ target, make }) => ({
    path: `/recommendations/${await make.recommendation(target)}/status`, form: { status: 'in_progress', note: 'Bill tabled' },
  })),
  'POST /recommendations/:id/deadlines': page(STAFF, 'coalition', ({ target }) => ({
    path: `/recommendations/${target.recommendationId}/deadlines`, form: { kind: 'other', title: 'Hearing', dueDate: '2027-03-01', timeZone: 'UTC' },
  })),
  'POST /recommendations/:id/lineage': page(STAFF, 'coalition', ({ target }) => ({
    path: `/recommendations/${target.recommendationId}/lineage`, form: { candidateId: String(target.olderRecommendationId), decision: 'reject' },
  })),

  // Admins only.
  'GET /people': page(ADMIN, 'none', () => ({ path: '/people' })),
  'POST /people/invitations': page(ADMIN, 'none', ({ target }) => ({
    path: '/people/invitations', form: { name: 'Invited On The Web', email: `web-invitee${(webRows += 1)}@${target.marker.toLowerCase()}.example.org`, role: 'member' },
  })),
  'POST /people/:id/role': page(ADMIN, 'coalition', async ({ target, make }) => ({ path: `/people/${(await make.freshUser(target)).id}/role`, form: { role: 'coordinator' } })),
  'POST /people/:id/active': page(ADMIN, 'coalition', async ({ target, make }) => ({ path: `/people/${(await make.freshUser(target)).id}/active`, form: { active: 'false' } })),
  'POST /people/:id/invitation': page(ADMIN, 'coalition', async ({ target, make }) => ({ path: `/people/${await make.invitedUser(target)}/invitation`, form: {} })),
  // Coordinators see the cycles and their reports; creating, editing, importing, closing and publishing stay the admins'.
  'GET /cycles': page(STAFF, 'none', () => ({ path: '/cycles' })),
  'GET /cycles/new': page(ADMIN, 'none', () => ({ path: '/cycles/new' })),
  'POST /cycles': page(ADMIN, 'none', ({ target }) => ({ path: '/cycles', form: { mechanism: 'upr', number: '4', stateUnderReview: target.state, session: `${target.marker} web ${(webRows += 1)}` } })),
  'GET /cycles/import': page(ADMIN, 'none', ({ target }) => ({ path: `/cycles/import?cycleId=${target.cycleId}` })),
  // The preview (a dry run) of an import into the cycle the form names.
  'POST /cycles/import': page(ADMIN, 'coalition', ({ target }) => ({
    path: '/cycles/import',
    fields: { step: 'preview', format: 'csv', cycleId: String(target.cycleId) },
    file: { field: 'file', name: 'plan.csv', content: csv(target), contentType: 'text/csv' },
  }), { ok: [200], other: 422 }),
  'GET /cycles/:id': page(STAFF, 'coalition', ({ target }) => ({ path: `/cycles/${target.cycleId}` })),
  'GET /cycles/:id/edit': page(ADMIN, 'coalition', ({ target }) => ({ path: `/cycles/${target.cycleId}/edit` })),
  'POST /cycles/:id': page(ADMIN, 'coalition', ({ target }) => ({ path: `/cycles/${target.cycleId}`, form: { mechanism: 'upr', number: '3', stateUnderReview: target.state, session: `${target.marker} 44` } })),
  'POST /cycles/:id/close': page(ADMIN, 'coalition', async ({ target, make }) => ({ path: `/cycles/${await make.cycle(target)}/close`, form: { force: 'true' } })),
  'POST /cycles/:id/publish': page(ADMIN, 'coalition', async ({ target, make }) => ({ path: `/cycles/${await make.cycle(target)}/publish`, form: {} })),
  'POST /cycles/:id/unpublish': page(ADMIN, 'coalition', async ({ target, make }) => ({ path: `/cycles/${await make.publishedCycle(target)}/unpublish`, form: {} })),
  'GET /outbox': page(ADMIN, 'none', () => ({ path: '/outbox' })),
  'GET /testimonies': page(STAFF, 'none', () => ({ path: '/testimonies' })),
  'GET /testimonies/:id': page(STAFF, 'coalition', async ({ target, make }) => ({ path: `/testimonies/${(await make.testimony(target)).id}` })),
  'POST /testimonies/:id/triage': page(STAFF, 'coalition', async ({ target, make }) => ({ path: `/testimonies/${(await make.testimony(target)).id}/triage`, form: { state: 'reviewed', themes: 'D25' } })),
  'POST /testimonies/:id/links': page(STAFF, 'coalition', async ({ target, make }) => ({
    path: `/testimonies/${(await make.testimony(target)).id}/links`, form: { recommendationIds: String(target.recommendationId) },
  })),
  'POST /testimonies/:id/links/:recommendationId/remove': page(STAFF, 'coalition', async ({ target, make }) => {
    const { id, recommendationId } = await make.linkedTestimony(target);
    return { path: `/testimonies/${id}/links/${recommendationId}/remove`, form: {} };
  }),
  'POST /testimonies/:id/excerpt': page(STAFF, 'coalition', async ({ target, make }) => ({
    path: `/testimonies/${(await make.testimony(target, 'anonymised')).id}/excerpt`, form: { text: 'A person was held for nine days.' },
  })),
  'POST /testimonies/:id/excerpt/remove': page(STAFF, 'coalition', async ({ target, make }) => ({ path: `/testimonies/${(await make.testimony(target, 'anonymised')).id}/excerpt/remove`, form: {} })),
  'GET /settings/intake': page(ADMIN, 'none', () => ({ path: '/settings/intake' })),
  'POST /settings/intake/enable': page(ADMIN, 'none', async ({ target, make }) => ({ path: '/settings/intake/enable', form: { slug: await make.intakeSlug(target) } })),
  'POST /settings/intake/disable': page(ADMIN, 'none', () => ({ path: '/settings/intake/disable', form: {} })),
  'POST /outbox/:id/retry': page(ADMIN, 'coalition', async ({ target, make }) => ({ path: `/outbox/${await make.failedEmail(target)}/retry`, form: {} })),
};

export const ROUTE_RULES: Record<string, RouteRule> = {
  // Outside /api/v1, public by design.
  'GET /health': { kind: 'public', ok: [200] },
  'GET /api/v1/health': { kind: 'public', ok: [200] },
  'GET /unsubscribe/:token': {
    kind: 'public', ok: [200],
    request: async ({ target, make }) => ({ path: `/unsubscribe/${await make.unsubscribeToken(target)}` }),
  },
  'POST /unsubscribe/:token': {
    kind: 'public', ok: [200],
    // A fresh link per request: a used one is spent (400), which is not what this rule is about.
    request: async ({ target, make }) => ({ path: `/unsubscribe/${await make.unsubscribeToken(target)}`, body: { 'List-Unsubscribe': 'One-Click' } }),
  },
  // The OpenAPI description and Swagger UI, mounted by @nestjs/swagger outside Nest's controllers.
  'GET /api/docs': { kind: 'public', ok: [200] },
  'GET /api/docs/': { kind: 'public', ok: [200] },
  'GET /api/docs/index.html': { kind: 'public', ok: [200] },
  // @nestjs/swagger registers this only to hide swagger-ui-dist's LICENSE file: it always answers 404.
  'GET /api/docs/LICENSE': { kind: 'public', ok: [404] },
  'GET /api/docs/swagger-ui-init.js': { kind: 'public', ok: [200] },
  'GET /api/docs/docs/swagger-ui-init.js': { kind: 'public', ok: [200] },
  'GET /api/docs-json': { kind: 'public', ok: [200] },
  'GET /api/docs-yaml': { kind: 'public', ok: [200] },

  // accounts
  'GET /api/v1/me': { kind: 'token', roles: EVERYONE, scope: 'none', request: () => ({ path: `${API}/me` }) },
  'GET /api/v1/me/tokens': { kind: 'token', roles: EVERYONE, scope: 'none', request: () => ({ path: `${API}/me/tokens` }) },
  'POST /api/v1/me/tokens': { kind: 'token', roles: EVERYONE, scope: 'none', request: () => ({ path: `${API}/me/tokens`, body: { label: 'matrix' } }) },
  'DELETE /api/v1/me/tokens/:id': {
    kind: 'token', roles: EVERYONE, scope: 'user',
    // Own: a spare token of the caller. Other: a token of the other coalition's admin.
    request: async ({ target, caller, make }) => {
      const owner = caller && caller.coalitionId === target.coalitionId ? caller : target.admin;
      return { path: `${API}/me/tokens/${await make.token(owner)}` };
    },
  },
  // Everyone in the coalition: members read colleagues' names on the pages too (owner filter, owners, assignees).
  'GET /api/v1/users': { kind: 'token', roles: EVERYONE, scope: 'none', request: () => ({ path: `${API}/users` }) },
  'POST /api/v1/users': {
    kind: 'token', roles: ADMIN, scope: 'none',
    request: () => ({ path: `${API}/users`, body: { email: `new${(newUsers += 1)}@example.org`, name: 'New Person', role: 'member', password: 'a long enough password' } }),
  },
  'POST /api/v1/users/invitations': {
    kind: 'token', roles: ADMIN, scope: 'none',
    request: () => ({ path: `${API}/users/invitations`, body: { email: `invited${(newUsers += 1)}@example.org`, name: 'Invited Person', role: 'member' } }),
  },
  'POST /api/v1/users/:id/invitations': {
    kind: 'token', roles: ADMIN, scope: 'coalition',
    // A person invited and not yet joined, in the coalition the request names.
    request: async ({ target, make }) => ({ path: `${API}/users/${await make.invitedUser(target)}/invitations` }),
  },
  'PATCH /api/v1/users/:id': { kind: 'token', roles: ADMIN, scope: 'coalition', request: ({ target }) => ({ path: `${API}/users/${target.spare.id}`, body: { name: 'Renamed Member' } }) },

  // cycles
  'GET /api/v1/cycles': { kind: 'token', roles: EVERYONE, scope: 'none', request: () => ({ path: `${API}/cycles` }) },
  'POST /api/v1/cycles': { kind: 'token', roles: ADMIN, scope: 'none', request: () => ({ path: `${API}/cycles`, body: { number: 5, stateUnderReview: 'Chile' } }) },
  'GET /api/v1/cycles/:id': { kind: 'token', roles: EVERYONE, scope: 'coalition', request: ({ target }) => ({ path: `${API}/cycles/${target.cycleId}` }) },
  'PATCH /api/v1/cycles/:id': { kind: 'token', roles: ADMIN, scope: 'coalition', request: ({ target }) => ({ path: `${API}/cycles/${target.cycleId}`, body: { session: '44' } }) },
  'POST /api/v1/cycles/:id/close': {
    kind: 'token', roles: ADMIN, scope: 'coalition',
    request: async ({ target, make }) => ({ path: `${API}/cycles/${await make.cycle(target)}/close`, body: { force: true } }),
  },
  'POST /api/v1/cycles/:id/publish': { kind: 'token', roles: ADMIN, scope: 'coalition', request: ({ target }) => ({ path: `${API}/cycles/${target.cycleId}/publish` }) },
  'POST /api/v1/cycles/:id/unpublish': { kind: 'token', roles: ADMIN, scope: 'coalition', request: ({ target }) => ({ path: `${API}/cycles/${target.cycleId}/unpublish` }) },
  'GET /api/v1/cycles/:id/report': { kind: 'token', roles: EVERYONE, scope: 'coalition', request: ({ target }) => ({ path: `${API}/cycles/${target.cycleId}/report?format=csv` }) },

  // recommendations
  'POST /api/v1/cycles/:cycleId/recommendations': {
    kind: 'token', roles: STAFF, scope: 'coalition', request: ({ target }) => ({ path: `${API}/cycles/${target.cycleId}/recommendations`, body: { text: 'Guarantee freedom of assembly' } }),
  },
  'GET /api/v1/recommendations': { kind: 'token', roles: EVERYONE, scope: 'none', request: () => ({ path: `${API}/recommendations?q=torture` }) },
  'GET /api/v1/recommendations/:id': { kind: 'token', roles: EVERYONE, scope: 'coalition', request: ({ target }) => ({ path: `${API}/recommendations/${target.recommendationId}` }) },
  'PATCH /api/v1/recommendations/:id': {
    kind: 'token', roles: STAFF, scope: 'coalition', request: ({ target }) => ({ path: `${API}/recommendations/${target.recommendationId}`, body: { affectedPersons: ['detainees'] } }),
  },
  'POST /api/v1/recommendations/:id/status': {
    kind: 'token', roles: STAFF, scope: 'coalition',
    // A fresh recommendation each time: a change to the current status would be 409.
    request: async ({ target, make }) => ({ path: `${API}/recommendations/${await make.recommendation(target)}/status`, body: { status: 'in_progress', note: 'Bill tabled' } }),
  },
  'POST /api/v1/recommendations/:id/follow': { kind: 'token', roles: EVERYONE, scope: 'coalition', request: ({ target }) => ({ path: `${API}/recommendations/${target.recommendationId}/follow` }) },
  'DELETE /api/v1/recommendations/:id/follow': { kind: 'token', roles: EVERYONE, scope: 'coalition', request: ({ target }) => ({ path: `${API}/recommendations/${target.recommendationId}/follow` }) },
  'GET /api/v1/recommendations/:id/lineage': { kind: 'token', roles: EVERYONE, scope: 'coalition', request: ({ target }) => ({ path: `${API}/recommendations/${target.recommendationId}/lineage` }) },
  'POST /api/v1/recommendations/:id/lineage': {
    kind: 'token', roles: STAFF, scope: 'coalition',
    request: ({ target }) => ({ path: `${API}/recommendations/${target.recommendationId}/lineage`, body: { candidateId: target.olderRecommendationId, decision: 'reject' } }),
  },

  // evidence
  'GET /api/v1/recommendations/:id/evidence': { kind: 'token', roles: EVERYONE, scope: 'coalition', request: ({ target }) => ({ path: `${API}/recommendations/${target.recommendationId}/evidence` }) },
  'POST /api/v1/recommendations/:id/evidence': {
    kind: 'token', roles: EVERYONE, scope: 'coalition',
    request: ({ target }) => ({
      path: `${API}/recommendations/${target.recommendationId}/evidence`,
      fields: { kind: 'document', title: 'Field notes' },
      file: { field: 'file', name: 'notes.txt', content: Buffer.from('field notes'), contentType: 'text/plain' },
    }),
  },
  'GET /api/v1/evidence/:id/file': { kind: 'token', roles: EVERYONE, scope: 'coalition', request: ({ target }) => ({ path: `${API}/evidence/${target.fileEvidenceId}/file` }) },
  // Admins and coordinators change any item, members only their own: each caller acts on an item it submitted (the fixture's link is the member's).
  'PATCH /api/v1/evidence/:id': {
    kind: 'token', roles: EVERYONE, scope: 'coalition',
    request: ({ target }) => ({ path: `${API}/evidence/${target.linkEvidenceId}`, body: { title: `${target.marker} ministry statement (corrected)` } }),
  },
  'DELETE /api/v1/evidence/:id': {
    kind: 'token', roles: EVERYONE, scope: 'coalition', request: async ({ target, caller, make }) => ({ path: `${API}/evidence/${await make.evidence(target, caller)}` }),
  },

  // People's UPR intake (issue 13): signed out, and the coordinators' queue, where a testimony is unknown to members.
  'POST /api/v1/public/testimonies/:slug': {
    kind: 'public', ok: [201],
    request: async ({ target, make }) => ({ path: `${API}/public/testimonies/${await make.intakeSlug(target)}`, body: { text: `${target.marker} said`, consent: 'internal', language: 'en' } }),
  },
  'POST /api/v1/public/testimonies/:slug/add': {
    kind: 'public', ok: [200],
    request: async ({ target, make }) => {
      const { receipt } = await make.testimony(target);
      return { path: `${API}/public/testimonies/${await make.intakeSlug(target)}/add`, body: { receipt, text: 'and more' } };
    },
  },
  'POST /api/v1/public/testimonies/:slug/withdraw': {
    kind: 'public', ok: [200],
    request: async ({ target, make }) => {
      const { receipt } = await make.testimony(target);
      return { path: `${API}/public/testimonies/${await make.intakeSlug(target)}/withdraw`, body: { receipt } };
    },
  },
  // The intake form (pages, signed out, no session, no cookie): the same for anyone, in any language.
  'GET /testify/:slug': { kind: 'public', ok: [200], request: async ({ target, make }) => ({ path: `/testify/${await make.intakeSlug(target)}?lang=es` }) },
  'POST /testify/:slug': {
    kind: 'public', ok: [200],
    request: async ({ target, make }) => ({ path: `/testify/${await make.intakeSlug(target)}?lang=fr`, fields: { text: `${target.marker} said on the form`, consent: 'internal' } }),
  },
  'GET /testify/:slug/add': { kind: 'public', ok: [200], request: async ({ target, make }) => ({ path: `/testify/${await make.intakeSlug(target)}/add` }) },
  'POST /testify/:slug/add': {
    kind: 'public', ok: [200],
    request: async ({ target, make }) => {
      const { receipt } = await make.testimony(target);
      return { path: `/testify/${await make.intakeSlug(target)}/add?lang=ht`, fields: { receipt, text: 'and more, on the form' } };
    },
  },
  'GET /testify/:slug/withdraw': { kind: 'public', ok: [200], request: async ({ target, make }) => ({ path: `/testify/${await make.intakeSlug(target)}/withdraw` }) },
  'POST /testify/:slug/withdraw': {
    kind: 'public', ok: [200],
    request: async ({ target, make }) => {
      const { receipt } = await make.testimony(target);
      return { path: `/testify/${await make.intakeSlug(target)}/withdraw?lang=es`, body: { receipt, confirm: 'yes' } };
    },
  },
  'GET /api/v1/testimonies': { kind: 'token', roles: STAFF, scope: 'none', request: () => ({ path: `${API}/testimonies` }) },
  'GET /api/v1/testimonies/:id': {
    kind: 'token', roles: STAFF, scope: 'coalition', refusal: 404,
    request: async ({ target, make }) => ({ path: `${API}/testimonies/${(await make.testimony(target)).id}` }),
  },
  'GET /api/v1/testimonies/:id/files/:fileId': {
    kind: 'token', roles: STAFF, scope: 'coalition', refusal: 404,
    request: async ({ target, make }) => {
      const { id, fileId } = await make.testimony(target);
      return { path: `${API}/testimonies/${id}/files/${fileId}` };
    },
  },
  'PATCH /api/v1/testimonies/:id': {
    kind: 'token', roles: STAFF, scope: 'coalition', refusal: 404,
    request: async ({ target, make }) => ({ path: `${API}/testimonies/${(await make.testimony(target)).id}`, body: { state: 'reviewed', themes: ['D25'] } }),
  },
  'GET /api/v1/testimonies/:id/links': {
    kind: 'token', roles: STAFF, scope: 'coalition', refusal: 404,
    request: async ({ target, make }) => ({ path: `${API}/testimonies/${(await make.linkedTestimony(target)).id}/links` }),
  },
  'POST /api/v1/testimonies/:id/links': {
    kind: 'token', roles: STAFF, scope: 'coalition', refusal: 404,
    request: async ({ target, make }) => ({ path: `${API}/testimonies/${(await make.testimony(target)).id}/links`, body: { recommendationIds: [target.recommendationId] } }),
  },
  'DELETE /api/v1/testimonies/:id/links/:recommendationId': {
    kind: 'token', roles: STAFF, scope: 'coalition', refusal: 404,
    request: async ({ target, make }) => {
      const { id, recommendationId } = await make.linkedTestimony(target);
      return { path: `${API}/testimonies/${id}/links/${recommendationId}` };
    },
  },
  'PUT /api/v1/testimonies/:id/excerpt': {
    kind: 'token', roles: STAFF, scope: 'coalition', refusal: 404,
    request: async ({ target, make }) => ({ path: `${API}/testimonies/${(await make.testimony(target, 'anonymised')).id}/excerpt`, body: { text: 'A person was held for nine days.' } }),
  },
  'DELETE /api/v1/testimonies/:id/excerpt': {
    kind: 'token', roles: STAFF, scope: 'coalition', refusal: 404,
    request: async ({ target, make }) => ({ path: `${API}/testimonies/${(await make.testimony(target, 'anonymised')).id}/excerpt` }),
  },

  // deadlines
  'GET /api/v1/deadlines': { kind: 'token', roles: EVERYONE, scope: 'none', request: () => ({ path: `${API}/deadlines` }) },
  'GET /api/v1/audit': { kind: 'token', roles: STAFF, scope: 'none', request: () => ({ path: `${API}/audit?entity=recommendation` }) },
  'POST /api/v1/deadlines': {
    kind: 'token', roles: STAFF, scope: 'coalition',
    request: ({ target }) => ({ path: `${API}/deadlines`, body: { recommendationId: target.recommendationId, kind: 'other', dueDate: '2027-03-01', timeZone: 'UTC' } }),
  },
  'GET /api/v1/deadlines/:id': { kind: 'token', roles: EVERYONE, scope: 'coalition', request: ({ target }) => ({ path: `${API}/deadlines/${target.deadlineId}` }) },
  'PATCH /api/v1/deadlines/:id': { kind: 'token', roles: STAFF, scope: 'coalition', request: ({ target }) => ({ path: `${API}/deadlines/${target.deadlineId}`, body: { dueTime: '17:00' } }) },
  'DELETE /api/v1/deadlines/:id': {
    kind: 'token', roles: STAFF, scope: 'coalition', request: async ({ target, make }) => ({ path: `${API}/deadlines/${await make.deadline(target)}` }),
  },

  // states (issue 12): a coalition's own spellings of States
  'GET /api/v1/admin/state-aliases': { kind: 'token', roles: ADMIN, scope: 'none', request: () => ({ path: `${API}/admin/state-aliases` }) },
  'POST /api/v1/admin/state-aliases': { kind: 'token', roles: ADMIN, scope: 'none', request: ({ target }) => ({ path: `${API}/admin/state-aliases`, body: { state: 'CI', alias: `${target.marker} alias ${(webRows += 1)}` } }) },
  'DELETE /api/v1/admin/state-aliases/:id': {
    kind: 'token', roles: ADMIN, scope: 'coalition', request: async ({ target, make }) => ({ path: `${API}/admin/state-aliases/${await make.stateAlias(target)}` }),
  },
  'GET /api/v1/admin/theme-aliases': { kind: 'token', roles: ADMIN, scope: 'none', request: () => ({ path: `${API}/admin/theme-aliases` }) },
  'POST /api/v1/admin/theme-aliases': { kind: 'token', roles: ADMIN, scope: 'none', request: ({ target }) => ({ path: `${API}/admin/theme-aliases`, body: { theme: 'D25', alias: `${target.marker} theme alias ${(webRows += 1)}` } }) },
  'DELETE /api/v1/admin/theme-aliases/:id': {
    kind: 'token', roles: ADMIN, scope: 'coalition', request: async ({ target, make }) => ({ path: `${API}/admin/theme-aliases/${await make.themeAlias(target)}` }),
  },

  // notifications
  'GET /api/v1/me/preferences': { kind: 'token', roles: EVERYONE, scope: 'none', request: () => ({ path: `${API}/me/preferences` }) },
  'PATCH /api/v1/me/preferences': { kind: 'token', roles: EVERYONE, scope: 'none', request: () => ({ path: `${API}/me/preferences`, body: { digestHour: 7 } }) },
  'GET /api/v1/admin/reminder-policy': { kind: 'token', roles: STAFF, scope: 'none', request: () => ({ path: `${API}/admin/reminder-policy` }) },
  'PATCH /api/v1/admin/reminder-policy': { kind: 'token', roles: ADMIN, scope: 'none', request: () => ({ path: `${API}/admin/reminder-policy`, body: { hour: 8 } }) },
  'GET /api/v1/admin/outbox': { kind: 'token', roles: ADMIN, scope: 'none', request: () => ({ path: `${API}/admin/outbox?state=failed` }) },
  'POST /api/v1/admin/outbox/:id/retry': {
    kind: 'token', roles: ADMIN, scope: 'coalition', request: async ({ target, make }) => ({ path: `${API}/admin/outbox/${await make.failedEmail(target)}/retry` }),
  },

  // imports: the cycle named in the form is the coalition's row
  'POST /api/v1/imports': {
    kind: 'token', roles: ADMIN, scope: 'coalition',
    request: ({ target }) => ({
      path: `${API}/imports`,
      fields: { format: 'csv', cycleId: String(target.cycleId) },
      file: { field: 'file', name: 'plan.csv', content: csv(target), contentType: 'text/csv' },
    }),
  },

  ...WEB_RULES,
};

