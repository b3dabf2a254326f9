import { ROLES, type Role } from '../../src/accounts/role';
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
 * - `session`: a page of the web module (cookie session, not /api); the matrix does not call it,
 *   it is covered by test/web/*. Only routes of `module` may have this kind.
 */
export interface RequestSpec {
  path: string;
  body?: object;
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
}

export interface TokenRule {
  kind: 'token';
  roles: readonly Role[];
  scope: 'coalition' | 'user' | 'none';
  request(ctx: RuleContext): RequestSpec | Promise<RequestSpec>;
  /** What an allowed role's request on its own rows answers (default: any 2xx). */
  ok?: number[];
}

export interface PublicRule {
  kind: 'public';
  request?(ctx: RuleContext): RequestSpec | Promise<RequestSpec>;
  ok: number[];
}

export interface SessionRule {
  kind: 'session';
  /** The Nest module that must own the route: only the web module's pages may skip the matrix. */
  module: string;
}

export type RouteRule = TokenRule | PublicRule | SessionRule;

const API = '/api/v1';
const EVERYONE = ROLES;
const ADMIN: readonly Role[] = ['admin'];
const STAFF: readonly Role[] = ['admin', 'coordinator'];

let newUsers = 0;

const csv = (f: CoalitionFixture) =>
  Buffer.from(`state_under_review,paragraph,text,response\n${f.marker},130.1,Adopt a national action plan (${f.marker}),supported\n`);

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
  'GET /api/v1/users': { kind: 'token', roles: STAFF, scope: 'none', request: () => ({ path: `${API}/users` }) },
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
  'POST /api/v1/cycles': { kind: 'token', roles: ADMIN, scope: 'none', request: () => ({ path: `${API}/cycles`, body: { number: 5, stateUnderReview: 'Atlantis' } }) },
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

  // deadlines
  'GET /api/v1/deadlines': { kind: 'token', roles: EVERYONE, scope: 'none', request: () => ({ path: `${API}/deadlines` }) },
  'POST /api/v1/deadlines': {
    kind: 'token', roles: STAFF, scope: 'coalition',
    request: ({ target }) => ({ path: `${API}/deadlines`, body: { recommendationId: target.recommendationId, kind: 'other', dueDate: '2027-03-01', timeZone: 'UTC' } }),
  },
  'GET /api/v1/deadlines/:id': { kind: 'token', roles: EVERYONE, scope: 'coalition', request: ({ target }) => ({ path: `${API}/deadlines/${target.deadlineId}` }) },
  'PATCH /api/v1/deadlines/:id': { kind: 'token', roles: STAFF, scope: 'coalition', request: ({ target }) => ({ path: `${API}/deadlines/${target.deadlineId}`, body: { dueTime: '17:00' } }) },
  'DELETE /api/v1/deadlines/:id': {
    kind: 'token', roles: STAFF, scope: 'coalition', request: async ({ target, make }) => ({ path: `${API}/deadlines/${await make.deadline(target)}` }),
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

  // Pages of the web module (cookie session, CSRF-protected forms, and the public ledger and
  // calendar feed): covered by test/web/*, not called by the matrix. The matrix only checks that
  // each of them belongs to WebModule and none is an API route.
  ...sessionRules([
    'GET /', 'GET /login', 'POST /login', 'POST /logout', 'GET /settings', 'POST /settings', 'POST /settings/calendar/reset', 'GET /calendar/:file',
    'GET /invitations/:token', 'POST /invitations/:token', 'GET /password/forgot', 'POST /password/forgot', 'GET /password/reset/:token', 'POST /password/reset/:token',
    'GET /people', 'POST /people/invitations', 'POST /people/:id/active', 'POST /people/:id/invitation', 'POST /people/:id/role',
    'GET /cycles', 'POST /cycles', 'GET /cycles/new', 'GET /cycles/import', 'POST /cycles/import', 'GET /cycles/:id', 'POST /cycles/:id', 'GET /cycles/:id/edit',
    'POST /cycles/:id/close', 'POST /cycles/:id/publish', 'POST /cycles/:id/unpublish', 'GET /cycles/:id/report/:format',
    'GET /recommendations', 'POST /recommendations/bulk', 'GET /recommendations/:id', 'POST /recommendations/:id/status', 'POST /recommendations/:id/evidence',
    'POST /recommendations/:id/deadlines', 'POST /recommendations/:id/follow', 'POST /recommendations/:id/unfollow', 'POST /recommendations/:id/lineage',
    'GET /evidence/:id/file', 'GET /outbox', 'POST /outbox/:id/retry', 'GET /ledger/:cycleId', 'GET /ledger/:cycleId/evidence/:evidenceId',
  ]),
};

function sessionRules(keys: string[]): Record<string, SessionRule> {
  return Object.fromEntries(keys.map((key) => [key, { kind: 'session', module: 'WebModule' }]));
}
