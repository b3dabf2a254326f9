import { PreparedFindOne } from '../src/database/prepared-find';
import { ReviewCycle } from '../src/cycles/review-cycle.entity';
import { Recommendation } from '../src/recommendations/recommendation.entity';
import { RecommendationsRepository } from '../src/recommendations/recommendations.repository';
import { createTestApp, TestApp } from './support/test-app';

/** The hand-prepared lookups on the hot paths must give exactly what TypeORM's findOneBy gives. */
describe('PreparedFindOne', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('should hydrate a recommendation and a cycle exactly as findOneBy does, and find nothing in another coalition', async () => {
    const admin = await t.createUser('admin', 'Coalition Prepared');
    const outsider = await t.createUser('admin', 'Coalition Elsewhere');
    const cycle = await t.http.post('/api/v1/cycles').set('Authorization', admin.auth)
      .send({ number: 4, stateUnderReview: 'Chile', session: '46', reviewDate: '2024-01-22' }).expect(201);
    const first = await t.http.post(`/api/v1/cycles/${cycle.body.id}/recommendations`).set('Authorization', admin.auth)
      .send({ paragraph: '125.1', text: 'Ratify the Escazú Agreement', response: 'supported' }).expect(201);
    const second = await t.http.post(`/api/v1/cycles/${cycle.body.id}/recommendations`).set('Authorization', admin.auth)
      .send({ paragraph: '125.2', text: 'Adopt a national action plan', response: 'noted', predecessorId: null }).expect(201);
    await t.http.post(`/api/v1/recommendations/${first.body.id}/status`).set('Authorization', admin.auth).send({ status: 'in_progress', note: 'Bill tabled' }).expect(201);

    const manager = t.dataSource.manager;
    const recommendations = new PreparedFindOne(t.dataSource, Recommendation, ['id', 'coalitionId']);
    for (const id of [first.body.id, second.body.id]) {
      const expected = await manager.findOneBy(Recommendation, { id, coalitionId: admin.coalitionId });
      expect(expected).not.toBeNull();
      expect(await recommendations.find(manager, { id, coalitionId: admin.coalitionId })).toEqual(expected);
    }
    const cycles = new PreparedFindOne(t.dataSource, ReviewCycle, ['id', 'coalitionId']);
    const expectedCycle = await manager.findOneBy(ReviewCycle, { id: cycle.body.id, coalitionId: admin.coalitionId });
    const found = await cycles.find(manager, { id: cycle.body.id, coalitionId: admin.coalitionId });
    expect(found).toEqual(expectedCycle);
    expect(found).toBeInstanceOf(ReviewCycle);
    expect(found?.createdAt).toBeInstanceOf(Date);

    expect(await recommendations.find(manager, { id: first.body.id, coalitionId: outsider.coalitionId })).toBeNull();
    expect(await cycles.find(manager, { id: 2147483647, coalitionId: admin.coalitionId })).toBeNull();

    // The recommendation with its cycle, in one statement (every change's first read), hydrates both alike.
    const repository = t.app.get(RecommendationsRepository);
    const withCycle = await repository.findWithCycle(admin.coalitionId, first.body.id);
    expect(withCycle).toEqual({
      recommendation: await manager.findOneBy(Recommendation, { id: first.body.id }), cycle: expectedCycle, openCarry: null, everCarried: false,
    });
    expect(withCycle?.recommendation).toBeInstanceOf(Recommendation);
    expect(withCycle?.cycle).toBeInstanceOf(ReviewCycle);
    expect(await repository.findWithCycle(outsider.coalitionId, first.body.id)).toBeNull();
  });
});
