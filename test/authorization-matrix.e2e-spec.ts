import { randomBytes } from 'node:crypto';
import type { Response } from 'supertest';
import { ROLES, type Role } from '../src/auth/role';
import { BackgroundWork } from '../src/common/background-work';
import { CoalitionFixture, createCoalitionFixture, FixtureFactory } from './support/coalition-fixtures';
import { snapshot, tableNames } from './support/database-snapshot';
import { requestShape } from './support/request-shapes';
import { registeredRoutes, RegisteredRoute } from './support/route-table';
import { PublicRule, RequestSpec, ROUTE_RULES, RuleContext, SessionRule, TokenRule } from './support/route-rules';
import { startWebApp } from './support/browser';
import type { TestApp, TestUser } from './support/test-app';
import { WebClient } from './support/web-session';

/**
 * Every route of the running application × every role (and no token or no session) × its own
 * coalition's rows / another coalition's rows, against a real database: the API with bearer tokens,
 * the web pages with sessions signed in through the real sign-in form and the pages' CSRF tokens.
 * The routes come from the Express router of the app itself, so a route added without a rule in
 * test/support/route-rules.ts fails here.
 */
describe('authorization matrix', () => {
  let t: TestApp;
  let own: CoalitionFixture;
  let other: CoalitionFixture;
  let make: FixtureFactory;
  let routes: RegisteredRoute[];
  let tables: string[];

  beforeAll(async () => {
    // Listening, as the pages expect (APP_URL); one sign-in per role, and a few fresh ones for signing out.
    t = await startWebApp({ LOGIN_ATTEMPTS_PER_MINUTE: '1000', TESTIMONY_KEY: randomBytes(32).toString('base64'), INTAKE_PER_ADDRESS_PER_HOUR: '10000' });
    own = await createCoalitionFixture(t, 'Coalition A', 'Atlantis', 'Chile');
    other = await createCoalitionFixture(t, 'Coalition B', 'Borduria', 'Peru');
    make = new FixtureFactory(t);
    routes = registeredRoutes(t.app);
    tables = await tableNames(t.dataSource);
  });
  afterAll(async () => t?.close());

  const rules = Object.entries(ROUTE_RULES);
  const tokenRules = rules.filter((entry): entry is [string, TokenRule] => entry[1].kind === 'token');
  const publicRules = rules.filter((entry): entry is [string, PublicRule] => entry[1].kind === 'public');
  const sessionRules = rules.filter((entry): entry is [string, SessionRule] => entry[1].kind === 'session');

  const callerOf = (role: Role): TestUser => own[role];

  /** `status` when it is one of `allowed`, else a description that fails an equality with it. */
  const oneOf = (allowed: number[], status: number): number | string => (allowed.includes(status) ? status : `one of ${allowed.join(', ')}`);

  /** Sends the rule's request as `caller` (or with no token, or with `authorization` as given). */
  const send = (route: string, spec: RequestSpec, caller: TestUser | null, authorization?: string): Promise<Response> => {
    const method = route.split(' ')[0].toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete';
    let req = t.http[method](spec.path);
    const header = authorization ?? caller?.auth;
    if (header) req = req.set('Authorization', header);
    if (spec.file || spec.fields) {
      for (const [name, value] of Object.entries(spec.fields ?? {})) req = req.field(name, value);
      if (spec.file) req = req.attach(spec.file.field, spec.file.content, { filename: spec.file.name, contentType: spec.file.contentType });
      return req;
    }
    return spec.body === undefined ? req : req.send(spec.body);
  };

  /** The Express pattern, as a regular expression over the path the rule built (query left off). */
  const matches = (route: string, path: string): boolean => {
    const pattern = route.slice(route.indexOf(' ') + 1).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:\w+/g, '[^/]+');
    return new RegExp(`^${pattern}$`).test(path.split('?')[0]);
  };

  const build = async (route: string, rule: TokenRule | PublicRule, ctx: RuleContext): Promise<RequestSpec> => {
    const spec = rule.request ? await rule.request(ctx) : { path: route.slice(route.indexOf(' ') + 1) };
    // A rule that builds a path of another route would test the wrong route.
    expect({ route, path: spec.path, matchesRoute: matches(route, spec.path) }).toEqual({ route, path: spec.path, matchesRoute: true });
    return spec;
  };

  /** Runs a request that must be refused and checks that no row anywhere changed. */
  /**
   * The tables once the work earlier requests left for after their answer (a password reset's link)
   * is done: so that it cannot land inside another request's before/after, and so that a refused
   * request's own late writes are seen.
   */
  const settledSnapshot = async () => {
    await t.app.get(BackgroundWork).settled();
    return snapshot(t.dataSource, tables);
  };

  const refused = async (label: string, action: () => Promise<Response>, status: number): Promise<Response> => {
    const before = await settledSnapshot();
    const res = await action();
    expect({ label, status: res.status, body: res.body }).toMatchObject({ label, status, body: { statusCode: status, error: expect.any(String), message: expect.any(String) } });
    expect({ label, tables: await settledSnapshot() }).toEqual({ label, tables: before });
    return res;
  };

  describe('the rule table', () => {
    it('should have a rule for every route the application answers, and a route for every rule', () => {
      const registered = routes.map((r) => r.key);
      const withoutRule = registered.filter((key) => !(key in ROUTE_RULES));
      const withoutRoute = Object.keys(ROUTE_RULES).filter((key) => !registered.includes(key));
      // On failure: add the route to test/support/route-rules.ts (who may call it, coalition-scoped or not).
      expect({ routesWithoutRule: withoutRule, rulesWithoutRoute: withoutRoute }).toEqual({ routesWithoutRule: [], rulesWithoutRoute: [] });
      expect(registered.length).toBeGreaterThanOrEqual(45);
    });

    it('should give the session kind only to pages of the web module, never to an API route', () => {
      for (const [key, rule] of sessionRules) {
        const route = routes.find((r) => r.key === key);
        const path = key.slice(key.indexOf(' ') + 1);
        expect({ key, module: route?.module, underApi: path.startsWith('/api') }).toEqual({ key, module: rule.module, underApi: false });
      }
      // Every route a controller of the API declared is a token or public rule.
      for (const route of routes.filter((r) => r.path.startsWith('/api/v1/'))) expect({ key: route.key, kind: ROUTE_RULES[route.key]?.kind }).not.toEqual({ key: route.key, kind: 'session' });
    });
  });

  describe.each(tokenRules)('%s', (route, rule) => {
    it('should answer 401 without a token or with an unknown one, and write nothing', async () => {
      expect(routes.map((r) => r.key)).toContain(route);
      const spec = await build(route, rule, { target: own, caller: null, make });
      const none = await refused(`${route} without a token`, () => send(route, spec, null), 401);
      expect(none.body.error).toBe('Unauthorized');
      await refused(`${route} with an unknown token`, () => send(route, spec, null, 'Bearer upr_not-a-real-token'), 401);
      await refused(`${route} with another scheme`, () => send(route, spec, null, `Basic ${Buffer.from('admin:secret').toString('base64')}`), 401);
    });

    it.each(ROLES.map((role) => [role]))('should answer as the rule says to a %s on its own coalition', async (role) => {
      const caller = callerOf(role);
      const spec = await build(route, rule, { target: own, caller, make });
      if (!rule.roles.includes(role) && rule.refusal === 404) {
        const res = await refused(`${route} as ${role}`, () => send(route, spec, caller), 404);
        expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found', message: expect.stringMatching(/^[\w ]+ \d+ was not found$/) });
        return;
      }
      if (!rule.roles.includes(role)) {
        const res = await refused(`${route} as ${role}`, () => send(route, spec, caller), 403);
        expect(res.body).toMatchObject({ error: 'Forbidden', details: { allowedRoles: [...rule.roles], yourRole: role } });
        return;
      }
      const res = await send(route, spec, caller);
      const ok = rule.ok ?? [200, 201, 204];
      expect({ route, role, status: res.status, body: res.body }).toEqual({ route, role, status: oneOf(ok, res.status), body: res.body });
      // Nothing of the other coalition in any answer, whatever the format.
      const text = res.text ?? (Buffer.isBuffer(res.body) ? res.body.toString('latin1') : JSON.stringify(res.body));
      for (const leak of [other.marker, other.name, 'coalition-b']) expect({ route, role, leaks: text.includes(leak) ? leak : null }).toEqual({ route, role, leaks: null });
    });

    // A route that names no row of a coalition answers from the caller's own coalition only; the
    // leak check above covers it. The others must not find another coalition's row.
    if (rule.scope === 'none') return;
    it.each(ROLES.map((role) => [role]))("should answer 404 (403 to a role not allowed) to a %s naming another coalition's row, and write nothing", async (role) => {
      const caller = callerOf(role);
      const spec = await build(route, rule, { target: other, caller, make });
      if (!rule.roles.includes(role)) {
        await refused(`${route} as ${role} of another coalition`, () => send(route, spec, caller), rule.refusal ?? 403);
        return;
      }
      const res = await refused(`${route} as ${role} of another coalition`, () => send(route, spec, caller), 404);
      expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found', message: expect.stringMatching(/^[\w ]+ \d+ was not found$/) });
      expect(JSON.stringify(res.body)).not.toContain(other.marker);
    });
  });

  describe('lists', () => {
    // Every list of the API answers one shape; a list whose query takes page and pageSize is paged.
    const listRules = tokenRules.filter(([route]) => route.startsWith('GET '));
    it.each(listRules)('%s should answer an object, and { items, total, page, pageSize } paged as asked when it is a list', async (route, rule) => {
      const caller = own[rule.roles.includes('admin') ? 'admin' : rule.roles[0]];
      const spec = await build(route, rule, { target: own, caller, make });
      const res = await send(route, spec, caller);
      if (!/json/.test(String(res.headers['content-type']))) return; // a file, a report, a calendar
      expect({ route, bareArray: Array.isArray(res.body) }).toEqual({ route, bareArray: false });
      const registered = routes.find((r) => r.key === route)!;
      const { queryFields } = requestShape(registered.path, registered.handler);
      const paged = queryFields.includes('page') && queryFields.includes('pageSize');
      const hasItems = res.body !== null && typeof res.body === 'object' && 'items' in res.body;
      // A list without page parameters, or page parameters without a list, is half the interface.
      expect({ route, paged, hasItems }).toEqual({ route, paged: hasItems, hasItems });
      if (!paged) return;
      expect({ route, keys: Object.keys(res.body).sort() }).toEqual({ route, keys: ['items', 'page', 'pageSize', 'total'] });
      const one = await send(route, { ...spec, path: `${spec.path}${spec.path.includes('?') ? '&' : '?'}page=2&pageSize=1` }, caller);
      expect({ route, status: one.status, page: one.body.page, pageSize: one.body.pageSize, total: one.body.total, items: one.body.items.length })
        .toEqual({ route, status: 200, page: 2, pageSize: 1, total: res.body.total, items: Math.min(1, Math.max(0, res.body.total - 1)) });
    });
  });

  describe.each(publicRules)('%s (public)', (route, rule) => {
    it('should answer the same without a token and with any role\'s token', async () => {
      expect(routes.map((r) => r.key)).toContain(route);
      for (const caller of [null, own.admin, own.coordinator, own.member]) {
        const spec = await build(route, rule, { target: own, caller, make });
        const res = await send(route, spec, caller);
        expect({ route, as: caller?.role ?? 'no token', status: res.status }).toEqual({ route, as: caller?.role ?? 'no token', status: oneOf(rule.ok, res.status) });
      }
    });
  });
  // ---- The web pages: cookie sessions signed in through the real sign-in form, CSRF-checked forms ----

  const sessions = new Map<number, Promise<WebClient>>();
  /** The signed-in browser of a person, signed in once and reused by every page of the matrix. */
  const sessionOf = (user: TestUser): Promise<WebClient> => {
    let client = sessions.get(user.id);
    // Its form token read at once, so that reading it never falls inside a request's before/after snapshot.
    if (!client) sessions.set(user.id, (client = WebClient.signIn(t, user.email, user.role).then(async (c) => (await c.csrf(), c))));
    return client;
  };

  const buildPage = async (route: string, rule: SessionRule, ctx: RuleContext): Promise<RequestSpec> => {
    const spec = await rule.request(ctx);
    expect({ route, path: spec.path, matchesRoute: matches(route, spec.path) }).toEqual({ route, path: spec.path, matchesRoute: true });
    return spec;
  };

  /** A page request that must be refused with `status`, with no row anywhere changed. */
  const refusedPage = async (label: string, action: () => Promise<Response>, status: number): Promise<Response> => {
    const before = await settledSnapshot();
    const res = await action();
    expect({ label, status: res.status }).toEqual({ label, status });
    expect({ label, tables: await settledSnapshot() }).toEqual({ label, tables: before });
    return res;
  };

  /** The answer as text (pages, reports, files and calendars alike), to look for another coalition's data. */
  const textOf = (res: Response): string => res.text ?? (Buffer.isBuffer(res.body) ? res.body.toString('latin1') : JSON.stringify(res.body ?? ''));
  const leakIn = (res: Response): string | null => [other.marker, other.name, 'coalition-b'].find((leak) => textOf(res).includes(leak)) ?? null;

  /** The status, and the start of the page when the status is not one the rule expects (to see why). */
  const answer = (res: Response, expected: number[]) => ({ status: oneOf(expected, res.status), page: expected.includes(res.status) ? '' : textOf(res).slice(0, 800) });

  describe.each(sessionRules)('%s (web page)', (route, rule) => {
    const method = route.split(' ')[0];
    const isPost = method === 'POST';
    const publicPage = rule.roles === 'anyone';
    const allows = (role: Role) => rule.roles === 'anyone' || rule.roles.includes(role);
    const ok = rule.ok ?? (isPost ? [303] : [200]);

    if (publicPage) {
      it('should answer a signed-out visitor as a public page, with nothing of another coalition', async () => {
        expect(routes.map((r) => r.key)).toContain(route);
        const spec = await buildPage(route, rule, { target: own, home: own, caller: null, make });
        const res = await WebClient.visitor(t).send(method, spec);
        const expected = rule.signedOut ?? ok;
        expect({ route, ...answer(res, expected) }).toEqual({ route, status: res.status, page: '' });
        expect({ route, leaks: leakIn(res) }).toEqual({ route, leaks: null });
      });
    } else {
      it(`should send a signed-out visitor to sign in (303 /login${isPost ? '' : '?next=…'}), and write nothing`, async () => {
        expect(routes.map((r) => r.key)).toContain(route);
        const spec = await buildPage(route, rule, { target: own, home: own, caller: null, make });
        // Even with a valid form token of the visitor's own: the page needs a session first.
        const res = await refusedPage(`${route} signed out`, () => WebClient.visitor(t).send(method, spec), 303);
        expect(res.headers.location).toBe(isPost ? '/login' : `/login?next=${encodeURIComponent(spec.path)}`);
        const stale = await refusedPage(`${route} with an unknown session`, () => t.http[isPost ? 'post' : 'get'](spec.path).set('Cookie', 'upr_session=upr_not-a-real-session'), 303);
        expect(stale.headers.location).toMatch(/^\/login/);
      });
    }

    if (isPost) {
      it('should refuse the form without its CSRF token or with a forged one (403 page), and write nothing', async () => {
        // Someone who may send the form (a visitor for the public ones), so that only the token is wrong.
        const caller = rule.roles === 'anyone' ? null : own[rule.roles[0]];
        const client = caller ? await sessionOf(caller) : WebClient.visitor(t);
        const spec = await buildPage(route, rule, { target: own, home: own, caller, make });
        for (const mode of ['missing', 'wrong'] as const) {
          const res = await refusedPage(`${route} with a ${mode} CSRF token`, () => client.send(method, spec, mode), 403);
          expect(res.text).toContain('This form has expired or did not come from this site');
        }
      });
    }

    it.each(ROLES.map((role) => [role]))('should answer as the rule says to a signed-in %s on its own coalition', async (role) => {
      const caller = own[role];
      // Signing out ends the session it is sent with: a session of its own, not the shared one.
      const client = rule.endsSession ? await WebClient.signIn(t, caller.email, role) : await sessionOf(caller);
      const spec = await buildPage(route, rule, { target: own, home: own, caller, make });
      if (!allows(role)) {
        const res = await refusedPage(`${route} as ${role}`, () => client.send(method, spec), 403);
        expect(res.text).toContain(`you are ${role}`);
        return;
      }
      const res = await client.send(method, spec);
      expect({ route, role, ...answer(res, ok) }).toEqual({ route, role, status: res.status, page: '' });
      // A redirect goes back to a page of this site.
      if (res.status === 303) expect({ route, location: res.headers.location }).toEqual({ route, location: expect.stringMatching(/^\/(?![/\\])/) });
      expect({ route, role, leaks: leakIn(res) }).toEqual({ route, role, leaks: null });
    });

    if (rule.scope === 'none') return;
    const callers: (Role | 'signed out')[] = publicPage ? [...ROLES, 'signed out'] : [...ROLES];
    it.each(callers.map((role) => [role]))("should answer 404 (403 to a role not allowed) to a %s naming another coalition's row, show none of it, and write nothing", async (role) => {
      const caller = role === 'signed out' ? null : own[role];
      const client = caller ? await sessionOf(caller) : WebClient.visitor(t);
      const spec = await buildPage(route, rule, { target: other, home: own, caller, make });
      const expected = role === 'signed out' || allows(role) ? (rule.other ?? 404) : 403;
      const res = await refusedPage(`${route} as ${role} of another coalition`, () => client.send(method, spec), expected);
      // Not found or unknown, in words: never "not yours", which would tell that the row exists.
      if (expected !== 403) expect({ route, role, notFound: /was not found|Not found|unknown/.test(res.text) ? true : res.text.match(/class="(form|field)-error"[^>]*>[^<]*/g) }).toEqual({ route, role, notFound: true });
      expect({ route, role, leaks: leakIn(res) }).toEqual({ route, role, leaks: null });
    });
  });

  describe('public web pages that must not answer', () => {
    it("should answer 404 for the ledger of an unpublished cycle, own or another coalition's, signed in or not, and write nothing", async () => {
      const unpublished = [await make.cycle(own), other.cycleId, other.olderCycleId];
      const { cycleId } = await make.publishedLedger(own);
      for (const client of [WebClient.visitor(t), await sessionOf(own.admin), await sessionOf(own.member)]) {
        for (const id of unpublished) {
          const res = await refusedPage(`ledger ${id} for ${client.who}`, () => client.send('GET', { path: `/ledger/${id}` }), 404);
          expect({ id, leaks: leakIn(res) }).toEqual({ id, leaks: null });
        }
        // Confidential or not on a published ledger, another cycle's file is not this ledger's.
        await refusedPage(`ledger file of another cycle for ${client.who}`, () => client.send('GET', { path: `/ledger/${cycleId}/evidence/${own.fileEvidenceId}` }), 404);
      }
    });

    it('should answer 404 for a forged, tampered or reset calendar feed address, and write nothing', async () => {
      const visitor = WebClient.visitor(t);
      const real = await make.calendarPath(own.member);
      const [, userId, version, mac] = /^\/calendar\/(\d+)\.(\d+)\.([\w-]+)\.ics$/.exec(real)!;
      for (const path of [
        `/calendar/${userId}.${version}.${'A'.repeat(43)}.ics`, // forged signature
        `/calendar/${other.member.id}.${version}.${mac}.ics`, // another person's feed under this signature
        `/calendar/${userId}.${Number(version) + 1}.${mac}.ics`, // another version under this signature
        `/calendar/${userId}.${version}.${mac}`, // not the .ics file
      ]) {
        const res = await refusedPage(`calendar ${path}`, () => visitor.send('GET', { path }), 404);
        expect(textOf(res)).not.toContain('BEGIN:VCALENDAR');
      }
      // Resetting the address (a POST of the member's own session) makes the old one not found.
      const member = await WebClient.signIn(t, own.member.email, 'member');
      expect((await member.send('POST', { path: '/settings/calendar/reset', form: {} })).status).toBe(303);
      await refusedPage('calendar after reset', () => visitor.send('GET', { path: real }), 404);
    });

    it('should answer 404 for an unknown invitation or reset link, and write nothing', async () => {
      const visitor = WebClient.visitor(t);
      for (const path of ['/invitations/not-a-real-token', '/password/reset/not-a-real-token']) {
        await refusedPage(`GET ${path}`, () => visitor.send('GET', { path }), 404);
        await refusedPage(`POST ${path}`, () => visitor.send('POST', { path, form: { password: 'a brand new long password', confirmation: 'a brand new long password' } }), 404);
      }
    });
  });
});
