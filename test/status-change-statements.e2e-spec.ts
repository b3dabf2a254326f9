import { createTestApp, TestApp, TestUser } from './support/test-app';
import { statementShape, statementsOf } from './support/statement-log';

/**
 * What one status change costs the database, pinned so that it cannot grow unnoticed (issue 14:
 * the bare change is an UPDATE and two INSERTs in a transaction). Each statement below is there for
 * a reason given beside it; a new one must earn its place here.
 */
describe('a status change, statement by statement', () => {
  let t: TestApp;
  let admin: TestUser;
  let coordinator: TestUser;
  let member: TestUser;
  let away: TestUser;
  let recommendationId: number;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.createUser('admin');
    coordinator = await t.createUser('coordinator');
    member = await t.createUser('member');
    away = await t.createUser('member');
    const cycle = await t.http.post('/api/v1/cycles').set('Authorization', admin.auth)
      .send({ mechanism: 'upr', number: 4, stateUnderReview: 'Chile' }).expect(201);
    const created = await t.http.post(`/api/v1/cycles/${cycle.body.id}/recommendations`).set('Authorization', coordinator.auth)
      .send({ paragraph: '125.7', text: 'Abolish the death penalty', response: 'supported', themes: ['D23'], ownerIds: [coordinator.id, admin.id] }).expect(201);
    recommendationId = created.body.id;
    for (const person of [member, away, coordinator]) {
      await t.http.post(`/api/v1/recommendations/${recommendationId}/follow`).set('Authorization', person.auth).expect(201);
    }
    await t.dataSource.query(`UPDATE app_user SET active = FALSE WHERE id = ${Number(away.id)}`);
    // The first request of a token records when it was used (once a while): not what is pinned here.
    await t.http.post(`/api/v1/recommendations/${recommendationId}/status`).set('Authorization', coordinator.auth)
      .send({ status: 'not_started', note: 'Triaged' }).expect(201);
  });
  afterAll(async () => t.close());

  it('should run 11 statements, tell the active owners and followers but the actor once each, and answer as a fresh read', async () => {
    let answer: Record<string, unknown> = {};
    const statements = await statementsOf(t.dataSource, async () => {
      answer = (await t.http.post(`/api/v1/recommendations/${recommendationId}/status`).set('Authorization', coordinator.auth)
        .send({ status: 'in_progress', note: 'Bill tabled' }).expect(201)).body;
    });

    expect(statements.map(statementShape)).toEqual([
      'SELECT api_token', // the guard: the bearer token's user (app_user joined)
      'BEGIN', // the status, its history, audit entry and notices commit together
      'SELECT recommendation', // the recommendation, its cycle (open?) and carries, in the caller's coalition
      'UPDATE recommendation', // the status, only if unchanged since read (a concurrent change is a 409)
      'INSERT status_change', // the history entry
      'INSERT audit_entry', // the audit trail
      'SELECT recommendation_owner', // owners and followers (and who is active): who is told, and the answer's owners and followers
      'INSERT notification', // the outbox: one row per person told
      'COMMIT',
      'SELECT recommendation_tag', // the answer's tags
      'SELECT status_change', // the answer's history (who made each change, the evidence cited)
    ]);

    const detail = await t.http.get(`/api/v1/recommendations/${recommendationId}`).set('Authorization', coordinator.auth).expect(200);
    expect(answer).toEqual(detail.body);
    expect(answer).toMatchObject({ status: 'in_progress', following: true, followerCount: 3, ownerIds: [admin.id, coordinator.id].sort((a, b) => a - b) });
    const [change] = (answer.history as { id: number }[]).slice(-1);
    const told: { recipient_id: number }[] = await t.dataSource.query(
      `SELECT recipient_id FROM notification WHERE ${t.database.kind === 'postgres' ? '"key" LIKE $1' : '"key" LIKE ?'} ORDER BY recipient_id`,
      [`status:${change.id}:%`],
    );
    // Not the actor (an owner and follower), not the deactivated follower.
    expect(told.map((row) => Number(row.recipient_id))).toEqual([admin.id, member.id].sort((a, b) => a - b));
  });
});
