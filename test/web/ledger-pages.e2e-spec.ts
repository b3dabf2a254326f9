import request from 'supertest';
import { seedRecommendations } from '../../bench/seed';
import { LEDGER_PAGE_SIZE } from '../../src/ledger/ledger.service';
import { startWebApp, type WebTestApp } from '../support/browser';
import type { TestUser } from '../support/test-app';

/**
 * The public ledger in pages (issue 10): a signed-out request must not cost what the whole cycle
 * costs. A cycle of 450 recommendations is three pages; the figures stay the whole cycle's.
 */
describe('Web public ledger in pages', () => {
  const SIZE = 450;
  let t: WebTestApp;
  let admin: TestUser;
  let cycleId: number;
  let ids: number[];

  beforeAll(async () => {
    t = await startWebApp();
    admin = await t.createUser('admin', 'Coalition Pages');
    cycleId = (await t.http.post('/api/v1/cycles').set('Authorization', admin.auth).send({ number: 3, stateUnderReview: 'Paraguay' }).expect(201)).body.id;
    await seedRecommendations(t.dataSource, admin.coalitionId, [{ id: cycleId, number: 3 }], SIZE);
    ids = (await t.dataSource.query('SELECT id FROM recommendation WHERE cycle_id = ' + Number(cycleId) + ' ORDER BY id')).map((r: { id: number }) => Number(r.id));
    // A public note on a recommendation of the second page.
    await t.http.post(`/api/v1/recommendations/${ids[250]}/status`).set('Authorization', admin.auth)
      .send({ status: 'in_progress', note: 'Public note on page two', notePublic: true }).expect(201);
    await t.http.post(`/api/v1/cycles/${cycleId}/publish`).set('Authorization', admin.auth).expect(200);
  });
  afterAll(async () => {
    await t?.close();
  });

  const itemsOn = (html: string) => [...html.matchAll(/id="recommendation-(\d+)"/g)].map((m) => Number(m[1]));

  it(`should show ${LEDGER_PAGE_SIZE} recommendations a page, in order, with the whole cycle's figures on every page`, async () => {
    expect(SIZE).toBeGreaterThan(2 * LEDGER_PAGE_SIZE);
    const first = await request(t.baseUrl).get(`/ledger/${cycleId}`).expect(200);
    expect(itemsOn(first.text)).toEqual(ids.slice(0, LEDGER_PAGE_SIZE));
    expect(first.text).toContain(`Recommendations 1 to ${LEDGER_PAGE_SIZE} of ${SIZE} (page 1 of 3)`);
    expect(first.text).toContain(`href="/ledger/${cycleId}?page=2" rel="next"`);
    expect(first.text).not.toContain('rel="prev"');
    expect(first.text).not.toContain('Public note on page two');

    const second = await request(t.baseUrl).get(`/ledger/${cycleId}?page=2`).expect(200);
    expect(itemsOn(second.text)).toEqual(ids.slice(LEDGER_PAGE_SIZE, 2 * LEDGER_PAGE_SIZE));
    expect(second.text).toContain('Public note on page two');
    expect(second.text).toContain(`href="/ledger/${cycleId}?page=1" rel="prev"`);

    const last = await request(t.baseUrl).get(`/ledger/${cycleId}?page=3`).expect(200);
    expect(itemsOn(last.text)).toEqual(ids.slice(2 * LEDGER_PAGE_SIZE));
    expect(last.text).toContain(`Recommendations ${2 * LEDGER_PAGE_SIZE + 1} to ${SIZE} of ${SIZE} (page 3 of 3)`);
    expect(last.text).not.toContain('rel="next"');
    // The figures count the whole cycle on every page: 450 recommendations, the one moved to In progress among them.
    for (const page of [first, last]) expect(page.text).toContain(`<dd>${SIZE} (`);
  });

  it('should answer 404 for a page past the last, and for anything that is not a page number', async () => {
    for (const page of ['4', '0', '-1', 'abc', '1e3', '99999999999']) {
      const res = await request(t.baseUrl).get(`/ledger/${cycleId}?page=${page}`);
      expect([page, res.status]).toEqual([page, 404]);
    }
  });
});
