import { createTestApp, TestApp } from './support/test-app';

describe('schema', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('should have migrations that build exactly the schema the entities describe', async () => {
    // TypeORM's own diff: what it would run to make the database match the entities. Must be nothing.
    const pending = await t.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('should have applied every migration on start', async () => {
    expect(await t.dataSource.showMigrations()).toBe(false);
  });

  it('should keep the full-text index in step with the recommendation text', async () => {
    const admin = await t.createUser('admin');
    const cycle = await t.http.post('/api/v1/cycles').set('Authorization', admin.auth).send({ number: 1, stateUnderReview: 'Chile' }).expect(201);
    const rec = await t.http
      .post(`/api/v1/cycles/${cycle.body.id}/recommendations`)
      .set('Authorization', admin.auth)
      .send({ text: 'Abolish the death penalty' })
      .expect(201);
    const search = (q: string) => t.http.get('/api/v1/recommendations').query({ q }).set('Authorization', admin.auth);
    expect((await search('penalty')).body.total).toBe(1);
    await t.http.patch(`/api/v1/recommendations/${rec.body.id}`).set('Authorization', admin.auth).send({ text: 'Ratify the Convention against Torture' }).expect(200);
    expect((await search('penalty')).body.total).toBe(0);
    expect((await search('torture')).body.total).toBe(1);
  });
});
