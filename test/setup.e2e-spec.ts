import request, { type Response } from 'supertest';
import { FirstRunService, SetupAlreadyDone } from '../src/accounts/first-run.service';
import { SetupCode, WRONG_SETUP_CODES_PER_MINUTE } from '../src/accounts/setup-code';
import { buildApp } from './support/build-app';
import { spawnServer, waitFor, type ServerChild } from './support/server-child';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase } from './support/test-database';

const PASSWORD = 'a long enough password';

/** A browser without a session: the cookies and the form token of the setup page it read. */
class Visitor {
  private readonly cookies = new Map<string, string>();
  private csrf = '';

  private readonly http: ReturnType<typeof request>;

  /** On an application of the tests, or on a server's address. */
  constructor(target: TestApp | string) {
    this.http = typeof target === 'string' ? request(target) : target.http;
  }

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  absorb(res: Response): Response {
    for (const line of ([] as string[]).concat(res.headers['set-cookie'] ?? [])) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return res;
  }

  session(): string | undefined {
    return this.cookies.get('upr_session');
  }

  /** Reads the setup page (200 while it is open), or another page with a form, and keeps its form token. */
  async open(path = '/setup'): Promise<Response> {
    const res = this.absorb(await this.http.get(path).set('Cookie', this.cookieHeader()));
    const match = /name="_csrf" value="([^"]+)"/.exec(res.text ?? '');
    if (match) this.csrf = match[1].replace(/&#x3D;/g, '=');
    return res;
  }

  async post(path: string, form: Record<string, string>): Promise<Response> {
    const body = new URLSearchParams({ _csrf: this.csrf, ...form }).toString();
    return this.absorb(await this.http.post(path).set('Cookie', this.cookieHeader()).type('form').send(body));
  }

  get(path: string): Promise<Response> {
    return this.http.get(path).set('Cookie', this.cookieHeader());
  }
}

const setupForm = (code: string, n = 1): Record<string, string> => ({
  coalition: `Coalition number ${n}`, name: `Admin ${n}`, email: `Admin${n}@Example.org`, password: PASSWORD, confirmation: PASSWORD, code,
});

async function count(t: TestApp, table: string): Promise<number> {
  const [row] = await t.dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number(row.n);
}

async function counts(t: TestApp): Promise<{ coalitions: number; users: number; setups: number; sessions: number }> {
  return { coalitions: await count(t, 'coalition'), users: await count(t, 'app_user'), setups: await count(t, 'instance_setup'), sessions: await count(t, 'web_session') };
}

describe('one-time setup page', () => {
  describe('on a database without users', () => {
    let t: TestApp;
    let code: string;
    beforeAll(async () => {
      t = await createTestApp({ LOGIN_ATTEMPTS_PER_MINUTE: '50' });
      code = t.app.get(SetupCode).value;
    });
    afterAll(async () => t?.close());

    it('should have a setup code of the form XXXX-XXXX, without letters and digits people confuse', () => {
      expect(code).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
    });

    it('should lead / and /login to /setup, and the setup page ask for the coalition, the admin and the code', async () => {
      const visitor = new Visitor(t);
      const home = await visitor.get('/');
      expect(home.status).toBe(303);
      expect(home.headers.location).toBe('/login?next=%2F');
      const login = await visitor.get('/login?next=%2F');
      expect(login.status).toBe(303);
      expect(login.headers.location).toBe('/setup');
      const page = await visitor.open();
      expect(page.status).toBe(200);
      for (const field of ['coalition', 'name', 'email', 'password', 'confirmation', 'code']) expect(page.text).toContain(`name="${field}"`);
      expect(page.text).toContain('Setup code');
      // The code itself is only in the server's log, never on a page.
      expect(page.text).not.toContain(code);
    });

    it('should say on the sign-in form how to set up when someone tries to sign in', async () => {
      const visitor = new Visitor(t);
      await visitor.open();
      const res = await visitor.post('/login', { email: 'someone@example.org', password: PASSWORD });
      expect(res.status).toBe(422);
      expect(res.text).toContain('No account exists yet');
      expect(res.text).toContain('href="/setup"');
    });

    it('should refuse a wrong code, a short password and a mistyped confirmation next to their fields, and write nothing', async () => {
      const visitor = new Visitor(t);
      await visitor.open();
      const wrong = await visitor.post('/setup', setupForm('ABCD-EFGH'));
      expect(wrong.status).toBe(422);
      expect(wrong.text).toMatch(/class="field-error" id="code-error">That is not this server&#x27;s setup code/);
      // What was typed is kept, the password and the code are not.
      expect(wrong.text).toContain('value="Coalition number 1"');
      expect(wrong.text).not.toContain(PASSWORD);
      const short = await visitor.post('/setup', { ...setupForm(code), password: 'too short', confirmation: 'too short' });
      expect(short.status).toBe(422);
      expect(short.text).toContain('password must be at least 12 characters');
      const mistyped = await visitor.post('/setup', { ...setupForm(code), confirmation: 'another long password' });
      expect(mistyped.status).toBe(422);
      expect(mistyped.text).toContain('confirmation must repeat the password exactly');
      const noCoalition = await visitor.post('/setup', { ...setupForm(code), coalition: '  ' });
      expect(noCoalition.status).toBe(422);
      expect(noCoalition.text).toContain('id="coalition-error"');
      expect(visitor.session()).toBeUndefined();
      await expect(counts(t)).resolves.toEqual({ coalitions: 0, users: 0, setups: 0, sessions: 0 });
    });

    it('should refuse the form without its CSRF token', async () => {
      const res = await t.http.post('/setup').type('form').send(new URLSearchParams(setupForm(code)).toString());
      expect(res.status).toBe(403);
      await expect(counts(t)).resolves.toEqual({ coalitions: 0, users: 0, setups: 0, sessions: 0 });
    });

    it('should create the coalition and its admin with the right code, sign the admin in, record both in the audit trail, and then be gone', async () => {
      const visitor = new Visitor(t);
      await visitor.open();
      // The code as someone might type it: lower case, with spaces.
      const res = await visitor.post('/setup', setupForm(` ${code.toLowerCase().replace('-', ' - ')} `));
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/');
      expect(visitor.session()).toEqual(expect.stringMatching(/^upr_/));

      const [coalition] = await t.dataSource.query('SELECT id, name FROM coalition');
      const [user] = await t.dataSource.query('SELECT id, coalition_id, email, sign_in_email, name, role, active FROM app_user');
      expect(coalition.name).toBe('Coalition number 1');
      expect(user).toMatchObject({ coalition_id: coalition.id, email: 'admin1@example.org', sign_in_email: 'admin1@example.org', name: 'Admin 1', role: 'admin' });
      await expect(counts(t)).resolves.toEqual({ coalitions: 1, users: 1, setups: 1, sessions: 1 });

      // Signed in: the dashboard opens with the session, which belongs to the new admin.
      const dashboard = await visitor.get('/');
      expect(dashboard.status).toBe(200);
      expect(dashboard.text).toContain('Admin 1');
      expect(dashboard.text).toContain('Coalition number 1 is set up and you are its admin');
      // And the password works for signing in again.
      const again = new Visitor(t);
      const loginPage = again.absorb(await again.get('/login'));
      expect(loginPage.status).toBe(200);
      const token = /name="_csrf" value="([^"]+)"/.exec(loginPage.text)![1].replace(/&#x3D;/g, '=');
      const signIn = again.absorb(await t.http.post('/login').set('Cookie', again.cookieHeader()).type('form').send(new URLSearchParams({ _csrf: token, email: 'admin1@example.org', password: PASSWORD }).toString()));
      expect(signIn.status).toBe(303);

      const audit = await t.dataSource.query('SELECT coalition_id, actor_id, actor_name, entity, entity_id, action, after FROM audit_entry ORDER BY id');
      expect(audit).toEqual([
        { coalition_id: coalition.id, actor_id: user.id, actor_name: 'Admin 1', entity: 'coalition', entity_id: coalition.id, action: 'created', after: JSON.stringify({ name: 'Coalition number 1', via: 'setup page' }) },
        { coalition_id: coalition.id, actor_id: user.id, actor_name: 'Admin 1', entity: 'user', entity_id: user.id, action: 'created', after: JSON.stringify({ email: 'admin1@example.org', name: 'Admin 1', role: 'admin', active: true }) },
      ]);

      // Gone for good: the page, its form (even with the right code), and /login shows the sign-in form.
      const gone = await new Visitor(t).open();
      expect(gone.status).toBe(404);
      expect(gone.text).toContain('There is nothing to set up');
      const latecomer = new Visitor(t);
      expect((await latecomer.open('/login')).status).toBe(200);
      const late = await latecomer.post('/setup', setupForm(code, 2));
      expect(late.status).toBe(404);
      await expect(counts(t)).resolves.toMatchObject({ coalitions: 1, users: 1, setups: 1 });
    });

    it('should stay gone for another instance on the same database, even after the admin is deactivated', async () => {
      // The only user deactivated (as an admin would do to another; here by hand).
      await t.dataSource.query('UPDATE app_user SET active = FALSE');
      const other = await createTestApp({}, { database: t.database });
      try {
        expect((await other.http.get('/setup')).status).toBe(404);
        expect((await other.http.get('/login')).status).toBe(200);
      } finally {
        await other.close();
      }
    });
  });

  it('should be gone on a database whose users were made on the command line', async () => {
    const t = await createTestApp();
    try {
      await t.createUser('admin');
      expect((await t.http.get('/setup')).status).toBe(404);
      await expect(count(t, 'instance_setup')).resolves.toBe(0);
    } finally {
      await t.close();
    }
  });

  describe('two or more browsers at once', () => {
    it('should answer a setup that passed the page\'s check just before another finished with "set up a moment ago" (409), not a form error', async () => {
      const t = await createTestApp();
      try {
        const code = t.app.get(SetupCode).value;
        // The window between the page's check and the service's: another setup completes in it.
        await t.createUser('admin');
        const form = { coalition: 'Late coalition', name: 'Late', email: 'late@example.org', password: PASSWORD, confirmation: PASSWORD, code };
        const refusal = await t.app.get(FirstRunService).complete(form).then(() => null, (error: unknown) => error);
        expect(refusal).toBeInstanceOf(SetupAlreadyDone);
        expect((refusal as SetupAlreadyDone).getStatus()).toBe(409);
        await expect(count(t, 'coalition')).resolves.toBe(1);
      } finally {
        await t.close();
      }
    });

    it('should create one coalition and one admin out of 10 setups sent together, and answer the others that it is done', async () => {
      const t = await createTestApp({ LOGIN_ATTEMPTS_PER_MINUTE: '100' });
      try {
        const code = t.app.get(SetupCode).value;
        const visitors = Array.from({ length: 10 }, () => new Visitor(t));
        for (const visitor of visitors) expect((await visitor.open()).status).toBe(200);
        // Different coalitions and addresses: only the setup itself can make them collide.
        const answers = await Promise.all(visitors.map((visitor, i) => visitor.post('/setup', setupForm(code, i + 1))));
        const statuses = answers.map((res) => res.status);
        expect(statuses.filter((status) => status === 303)).toHaveLength(1);
        for (const res of answers.filter((r) => r.status !== 303)) {
          expect([404, 409]).toContain(res.status);
          expect(res.text).toMatch(/was set up a moment ago|There is nothing to set up/);
        }
        await expect(counts(t)).resolves.toEqual({ coalitions: 1, users: 1, setups: 1, sessions: 1 });
        // The one who won is the one signed in.
        const winner = answers.findIndex((res) => res.status === 303);
        const [user] = await t.dataSource.query('SELECT email FROM app_user');
        expect(user.email).toBe(`admin${winner + 1}@example.org`);
        expect(visitors.filter((visitor) => visitor.session())).toEqual([visitors[winner]]);
      } finally {
        await t.close();
      }
    });

    it('should create one admin when two instances on one database are set up at once, each with its own code', async () => {
      const a = await createTestApp({ LOGIN_ATTEMPTS_PER_MINUTE: '100' });
      const b = await createTestApp({ LOGIN_ATTEMPTS_PER_MINUTE: '100' }, { database: a.database });
      try {
        const codeA = a.app.get(SetupCode).value;
        const codeB = b.app.get(SetupCode).value;
        expect(codeA).not.toBe(codeB);
        const visitors = Array.from({ length: 10 }, (_, i) => ({ visitor: new Visitor(i % 2 ? b : a), code: i % 2 ? codeB : codeA }));
        for (const { visitor } of visitors) await visitor.open();
        const answers = await Promise.all(visitors.map(({ visitor, code }, i) => visitor.post('/setup', setupForm(code, i + 1))));
        expect(answers.map((res) => res.status).filter((status) => status === 303)).toHaveLength(1);
        expect(answers.every((res) => [303, 404, 409].includes(res.status))).toBe(true);
        await expect(counts(a)).resolves.toEqual({ coalitions: 1, users: 1, setups: 1, sessions: 1 });
        expect((await a.http.get('/setup')).status).toBe(404);
        expect((await b.http.get('/setup')).status).toBe(404);
      } finally {
        await b.close();
        await a.close();
      }
    });
  });

  describe('wrong codes', () => {
    it('should throttle one client after LOGIN_ATTEMPTS_PER_MINUTE tries', async () => {
      const t = await createTestApp({ LOGIN_ATTEMPTS_PER_MINUTE: '3' });
      try {
        const visitor = new Visitor(t);
        await visitor.open();
        const statuses: number[] = [];
        for (let i = 0; i < 4; i += 1) statuses.push((await visitor.post('/setup', setupForm(`WXYZ-234${i + 2}`))).status);
        expect(statuses).toEqual([422, 422, 422, 429]);
        // Even the right code waits now.
        expect((await visitor.post('/setup', setupForm(t.app.get(SetupCode).value))).status).toBe(429);
        await expect(counts(t)).resolves.toEqual({ coalitions: 0, users: 0, setups: 0, sessions: 0 });
      } finally {
        await t.close();
      }
    });

    it(`should refuse every code for the rest of the minute after ${WRONG_SETUP_CODES_PER_MINUTE} wrong ones from anywhere, then take the right one`, async () => {
      const t = await createTestApp({ LOGIN_ATTEMPTS_PER_MINUTE: '1000' });
      try {
        const code = t.app.get(SetupCode).value;
        const visitor = new Visitor(t);
        await visitor.open();
        for (let i = 0; i < WRONG_SETUP_CODES_PER_MINUTE; i += 1) {
          expect((await visitor.post('/setup', setupForm('WXYZ-WXYZ'))).status).toBe(422);
        }
        const throttled = await visitor.post('/setup', setupForm(code));
        expect(throttled.status).toBe(429);
        expect(throttled.text).toContain('Too many wrong setup codes');
        await expect(counts(t)).resolves.toEqual({ coalitions: 0, users: 0, setups: 0, sessions: 0 });
        t.clock.advance(61_000);
        expect((await visitor.post('/setup', setupForm(code))).status).toBe(303);
        await expect(counts(t)).resolves.toEqual({ coalitions: 1, users: 1, setups: 1, sessions: 1 });
      } finally {
        await t.close();
      }
    });
  });
});

describe('the built server (what npm start runs) on an empty database', () => {
  let server: ServerChild | undefined;
  afterEach(async () => {
    if (server?.alive()) server.child.kill('SIGTERM');
    await server?.exited;
  }, 30_000);

  it('should print the setup address and code in one line of its log, accept that code, and print nothing once set up', async () => {
    buildApp();
    const database = await createTestDatabase();
    try {
      server = await spawnServer({ ...database.env, NOTIFY_DISPATCH: 'off' });
      const started = server;
      const line = () => /No account exists yet: open (http:\/\/\S+)\/setup and enter the setup code ([A-Z2-9]{4}-[A-Z2-9]{4})/.exec(started.output());
      await waitFor('the setup line in the log', () => line() !== null, 90_000, started, 100);
      const [, url, code] = line()!;
      expect(url).toBe(`http://localhost:${started.port}`);
      expect(started.output().match(/No account exists yet/g)).toHaveLength(1);

      const visitor = new Visitor(`http://127.0.0.1:${started.port}`);
      expect((await visitor.open()).status).toBe(200);
      const done = await visitor.post('/setup', setupForm(code));
      expect(done.status).toBe(303);
      expect((await new Visitor(`http://127.0.0.1:${started.port}`).open()).status).toBe(404);
      started.child.kill('SIGTERM');
      await started.exited;

      // Started again: a user exists, so no line and no page.
      server = await spawnServer({ ...database.env, NOTIFY_DISPATCH: 'off' });
      const again = server;
      await waitFor('the server to listen', () => again.output().includes('listening on'), 90_000, again, 100);
      expect((await request(`http://127.0.0.1:${again.port}`).get('/setup')).status).toBe(404);
      expect(again.output()).not.toContain('No account exists yet');
    } finally {
      if (server?.alive()) server.child.kill('SIGTERM');
      await server?.exited;
      await database.drop();
    }
  }, 300_000);
});
