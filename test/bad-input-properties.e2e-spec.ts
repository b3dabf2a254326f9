import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import type { Response } from 'supertest';
import { CoalitionFixture, createCoalitionFixture, FixtureFactory } from './support/coalition-fixtures';
import { rowCounts, tableNames } from './support/database-snapshot';
import { hostileJson, hostileParam, hostilePathSegment, propertyParameters } from './support/property-runs';
import { registeredRoutes, RegisteredRoute } from './support/route-table';
import { requestShape, RequestShape } from './support/request-shapes';
import { PublicRule, RequestSpec, ROUTE_RULES, TokenRule } from './support/route-rules';
import { createTestApp, TestApp } from './support/test-app';

/**
 * Property: whatever a client puts in the body, the query or the path of any route, the answer is
 * never a 5xx, always the standard error shape when refused, and a refused request leaves every
 * table with the rows it had (no partial write). The routes and their valid requests come from the
 * authorization rule table; the fields to fuzz from each handler's DTO classes. Replay a failure
 * with the seed and path it prints (see test/support/property-runs.ts).
 */
const RUNS_PER_ROUTE = 12;

interface Mutation {
  overrides: Record<string, unknown>;
  dropped: string[];
  extra: [string, unknown] | null;
  /** A path parameter replaced by this segment, already URL-encoded (or deliberately mis-encoded). */
  param: { index: number; value: string } | null;
  query: Record<string, string | string[]>;
}

describe('bad input, property-based: every route', () => {
  let t: TestApp;
  let own: CoalitionFixture;
  let make: FixtureFactory;
  let routes: Map<string, RegisteredRoute>;
  let tables: string[];

  beforeAll(async () => {
    // With a testimony key, so that the intake routes have an open intake to be fuzzed against.
    t = await createTestApp({ TESTIMONY_KEY: randomBytes(32).toString('base64'), INTAKE_PER_ADDRESS_PER_HOUR: '10000', INTAKE_PER_COALITION_PER_HOUR: '10000' });
    own = await createCoalitionFixture(t, 'Coalition A', 'Atlantis', 'Chile');
    // A second coalition, so that a fuzzed id can land on another coalition's row.
    await createCoalitionFixture(t, 'Coalition B', 'Borduria', 'Peru');
    make = new FixtureFactory(t);
    routes = new Map(registeredRoutes(t.app).map((r) => [r.key, r]));
    tables = await tableNames(t.dataSource);
  });
  afterAll(async () => t?.close());

  // Routes that read something from the request: every token route, and the unsubscribe link.
  const fuzzed = Object.entries(ROUTE_RULES).filter(
    (entry): entry is [string, TokenRule | PublicRule] => entry[1].kind === 'token' || (entry[1].kind === 'public' && entry[0].includes(':')),
  );

  /** Some of these fields (at most two, so the rest of the request stays valid) set to hostile values. */
  const someOf = <T>(fields: string[], value: fc.Arbitrary<T>): fc.Arbitrary<Record<string, T>> =>
    fc.subarray(fields, { maxLength: Math.min(2, fields.length) }).chain((chosen) => fc.record(Object.fromEntries(chosen.map((f) => [f, value]))));

  /** Mostly one or two bad values in an otherwise valid request, sometimes more damage. */
  const mutationOf = (shape: RequestShape): fc.Arbitrary<Mutation> =>
    fc.record({
      overrides: someOf(shape.bodyFields, hostileJson),
      dropped: fc.oneof({ weight: 4, arbitrary: fc.constant<string[]>([]) }, { weight: 1, arbitrary: fc.subarray(shape.bodyFields) }),
      extra: fc.oneof(
        { weight: 5, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.tuple(fc.oneof(fc.constantFrom('id', 'coalitionId', 'role', 'status', 'isAdmin', '__proto__'), fc.string({ minLength: 1, maxLength: 12 })), hostileJson) },
      ),
      param: shape.params.length
        ? fc.oneof({ weight: 2, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.record({ index: fc.nat(shape.params.length - 1), value: hostilePathSegment }) })
        : fc.constant(null),
      query: someOf(shape.queryFields, fc.oneof(hostileParam, fc.array(hostileParam, { minLength: 2, maxLength: 3 }))),
    });

  /** The valid request of the rule with the mutation applied. */
  const apply = (route: RegisteredRoute, spec: RequestSpec, m: Mutation): RequestSpec => {
    const [pathOnly, search] = spec.path.split('?');
    const segments = pathOnly.split('/');
    if (m.param) {
      const paramSegments = route.path.split('/').flatMap((s, i) => (s.startsWith(':') ? [i] : []));
      segments[paramSegments[m.param.index]] = m.param.value;
    }
    const query = new URLSearchParams(search ?? '');
    for (const [field, value] of Object.entries(m.query)) {
      query.delete(field);
      for (const v of Array.isArray(value) ? value : [value]) query.append(field, v);
    }
    const qs = query.toString();
    const path = segments.join('/') + (qs ? `?${qs}` : '');

    const mutate = (base: Record<string, unknown>) => {
      const body: Record<string, unknown> = { ...base };
      for (const field of m.dropped) delete body[field];
      Object.assign(body, m.overrides);
      if (m.extra) body[m.extra[0]] = m.extra[1];
      return body;
    };
    if (spec.fields || spec.file) {
      // multipart: every field is text
      const fields = Object.fromEntries(
        Object.entries(mutate(spec.fields ?? {})).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v) ?? '']),
      );
      return { ...spec, path, fields };
    }
    const hasBody = spec.body !== undefined || Object.keys(m.overrides).length > 0 || m.extra !== null;
    return { path, body: hasBody ? mutate((spec.body ?? {}) as Record<string, unknown>) : undefined };
  };

  const send = (route: RegisteredRoute, spec: RequestSpec): Promise<Response> => {
    let req = t.http[route.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete'](spec.path).set('Authorization', own.admin.auth);
    if (spec.fields || spec.file) {
      for (const [name, value] of Object.entries(spec.fields ?? {})) req = req.field(name, value);
      if (spec.file) req = req.attach(spec.file.field, spec.file.content, { filename: spec.file.name, contentType: spec.file.contentType });
      return req;
    }
    // JSON.stringify by hand: superagent would drop an own "__proto__" key.
    return spec.body === undefined ? req : req.set('Content-Type', 'application/json').send(JSON.stringify(spec.body));
  };

  it('should fuzz every route that reads a request, and know the DTO fields of those that take a body', () => {
    expect(fuzzed.length).toBeGreaterThanOrEqual(39);
    const shapes = Object.fromEntries(fuzzed.map(([key]) => [key, requestShape(key.slice(key.indexOf(' ') + 1), routes.get(key)?.handler ?? null)]));
    expect(shapes['POST /api/v1/cycles'].bodyFields).toEqual(expect.arrayContaining(['number', 'stateUnderReview', 'mechanism', 'reviewDate']));
    expect(shapes['GET /api/v1/recommendations'].queryFields).toEqual(expect.arrayContaining(['cycleId', 'status', 'q', 'page', 'pageSize']));
    expect(shapes['POST /api/v1/imports'].bodyFields).toEqual(['cycleId', 'dryRun', 'format', 'partial']);
    expect(shapes['DELETE /api/v1/deadlines/:id']).toEqual({ bodyFields: [], queryFields: [], params: ['id'] });
  });

  it.each(fuzzed.map(([key, rule]) => [key, rule]))('%s: never a 5xx, and nothing written when refused', async (key, rule) => {
    const route = routes.get(key)!;
    expect(route).toBeDefined();
    const shape = requestShape(route.path, route.handler);
    await fc.assert(
      fc.asyncProperty(mutationOf(shape), async (mutation) => {
        const valid = rule.request ? await rule.request({ target: own, caller: own.admin, make }) : { path: route.path };
        const spec = apply(route, valid, mutation);
        const before = await rowCounts(t.dataSource, tables);
        const res = await send(route, spec);
        expect({ status: res.status, body: res.body }).toEqual({ status: res.status < 500 ? res.status : 'below 500', body: res.body });
        if (res.status >= 400) {
          // The public testimony form's pages answer a refusal with a page in the person's language.
          if (/^text\/html/.test(res.headers['content-type'] ?? '')) expect(res.text).toMatch(/<html lang="(en|es|fr|ht)">/);
          else expect(res.body).toEqual(expect.objectContaining({ statusCode: res.status, error: expect.any(String), message: expect.any(String) }));
          expect(await rowCounts(t.dataSource, tables)).toEqual(before);
        }
      }),
      propertyParameters(RUNS_PER_ROUTE),
    );
  });
});
