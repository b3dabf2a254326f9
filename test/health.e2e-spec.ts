import { createTestApp, TestApp } from './support/test-app';

describe('health and authentication basics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('should answer /health without a token with the database state', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.body).toEqual({ status: 'ok', database: 'up' });
    await t.http.get('/api/v1/health').expect(200, { status: 'ok', database: 'up' });
  });

  it('should answer 401 with a readable message when the token is missing or wrong', async () => {
    const missing = await t.http.get('/api/v1/me').expect(401);
    expect(missing.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', message: expect.stringMatching(/Bearer/) });
    await t.http.get('/api/v1/me').set('Authorization', 'Bearer upr_not-a-real-token').expect(401);
    await t.http.get('/api/v1/me').set('Authorization', 'Basic abc').expect(401);
  });

  it('should serve the OpenAPI document listing the API routes', async () => {
    const res = await t.http.get('/api/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/v1/me', '/api/v1/recommendations/{id}/status', '/api/v1/deadlines']));
  });
});
