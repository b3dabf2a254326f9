import type { Response } from 'supertest';
import { ROLES, type Role } from '../src/accounts/role';
import { CoalitionFixture, createCoalitionFixture, FixtureFactory } from './support/coalition-fixtures';
import { snapshot, tableNames } from './support/database-snapshot';
import { registeredRoutes, RegisteredRoute } from './support/route-table';
import { PublicRule, RequestSpec, ROUTE_RULES, RuleContext, SessionRule, TokenRule } from './support/route-rules';
import { createTestApp, TestApp, TestUser } from './support/test-app';

/**
 * Every route of the running application × every role (and no token) × its own coalition's rows /
 * another coalition's rows, against a real database. The routes come from the Express router of
 * the app itself, so a route added without a rule in test/support/route-rules.ts fails here.
 */
describe('authorization matrix', () => {
  let t: TestApp;
  let own: CoalitionFixture;
  let other: CoalitionFixture;
  let make: FixtureFactory;
  let routes: RegisteredRoute[];
  let tables: string[];

  beforeAll(async () => {
    t = await createTestApp();
    own = await createCoalitionFixture(t, 'Coalition A', 'Atlantis');
    other = await createCoalitionFixture(t, 'Coalition B', 'Borduria');
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
  const refused = async (label: string, action: () => Promise<Response>, status: number): Promise<Response> => {
    const before = await snapshot(t.dataSource, tables);
    const res = await action();
    expect({ label, status: res.status, body: res.body }).toMatchObject({ label, status, body: { statusCode: status, error: expect.any(String), message: expect.any(String) } });
    expect({ label, tables: await snapshot(t.dataSource, tables) }).toEqual({ label, tables: before });
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

  // Pages of the web module (cookie sessions) are covered by test/web/*; the matrix only checks above
  // that such a rule belongs to that module and to no API route.

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
        await refused(`${route} as ${role} of another coalition`, () => send(route, spec, caller), 403);
        return;
      }
      const res = await refused(`${route} as ${role} of another coalition`, () => send(route, spec, caller), 404);
      expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found', message: expect.stringMatching(/^[\w ]+ \d+ was not found$/) });
      expect(JSON.stringify(res.body)).not.toContain(other.marker);
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
});
