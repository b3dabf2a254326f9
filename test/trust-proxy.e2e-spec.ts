import { createTestApp, TestApp } from './support/test-app';

/**
 * Issue 10, finding 9c: behind a reverse proxy every request comes from the proxy's address. With
 * TRUST_PROXY the sign-in throttle counts the client's address from X-Forwarded-For; without it
 * (the default) that header is ignored, so a client cannot escape the throttle by inventing one.
 */
describe('TRUST_PROXY and the sign-in throttle', () => {
  const LIMIT = 3;

  /** Sign-in attempts with a wrong password, each sent as if forwarded for `addresses[i]`; their statuses. */
  async function attempts(t: TestApp, addresses: string[]): Promise<number[]> {
    // The sign-in page is there once an account exists (before, /login leads to the one-time setup).
    await t.createUser('member');
    const page = await t.http.get('/login').expect(200);
    const cookies = ([] as string[]).concat(page.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1].replace(/&#x3D;/g, '=');
    const statuses: number[] = [];
    for (const address of addresses) {
      const res = await t.http
        .post('/login')
        .set('Cookie', cookies)
        .set('X-Forwarded-For', address)
        .type('form')
        .send(new URLSearchParams({ _csrf: csrf, email: 'nobody@example.org', password: 'a wrong password' }).toString());
      statuses.push(res.status);
    }
    return statuses;
  }

  describe('off (the default)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ LOGIN_ATTEMPTS_PER_MINUTE: String(LIMIT) });
    });
    afterAll(async () => t?.close());

    it('should ignore X-Forwarded-For and throttle attempts that claim a new address each time', async () => {
      expect(t.config.http.trustProxy).toBe(false);
      const statuses = await attempts(t, ['198.51.100.1', '198.51.100.2', '198.51.100.3', '198.51.100.4', '198.51.100.5']);
      expect(statuses).toEqual([422, 422, 422, 429, 429]);
    });
  });

  describe('a list of proxy addresses that does not include the sender', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ LOGIN_ATTEMPTS_PER_MINUTE: String(LIMIT), TRUST_PROXY: '10.0.0.0/8, 192.0.2.7' });
    });
    afterAll(async () => t?.close());

    it('should ignore X-Forwarded-For from a sender that is not one of the proxies', async () => {
      const statuses = await attempts(t, ['198.51.100.1', '198.51.100.2', '198.51.100.3', '198.51.100.4']);
      expect(statuses).toEqual([422, 422, 422, 429]);
    });
  });

  for (const trustProxy of ['1', 'loopback']) {
    describe(`TRUST_PROXY=${trustProxy}`, () => {
      let t: TestApp;
      beforeAll(async () => {
        t = await createTestApp({ LOGIN_ATTEMPTS_PER_MINUTE: String(LIMIT), TRUST_PROXY: trustProxy });
      });
      afterAll(async () => t?.close());

      it('should count two forwarded client addresses separately', async () => {
        const first = await attempts(t, ['198.51.100.1', '198.51.100.1', '198.51.100.1', '198.51.100.1']);
        expect(first).toEqual([422, 422, 422, 429]);
        // Another client behind the same proxy still has all its attempts.
        const second = await attempts(t, ['203.0.113.9', '203.0.113.9', '203.0.113.9', '203.0.113.9']);
        expect(second).toEqual([422, 422, 422, 429]);
      });
    });
  }
});
