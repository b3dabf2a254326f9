import { NotificationDispatcher } from '../../src/notifications/notification-dispatcher.service';
import { TestApp, TestUser } from './test-app';

/** A coalition with a cycle and one recommendation, ready to be followed and changed. */
export interface Scene {
  admin: TestUser;
  coordinator: TestUser;
  cycleId: number;
  recommendationId: number;
}

export async function createScene(t: TestApp, coalition = 'Coalition A', text = 'Ratify the Optional Protocol to the ICESCR'): Promise<Scene> {
  const admin = await t.createUser('admin', coalition);
  const coordinator = await t.createUser('coordinator', coalition);
  const cycle = await t.http.post('/api/v1/cycles').set('Authorization', admin.auth).send({ number: 4, stateUnderReview: 'United States of America' }).expect(201);
  const rec = await t.http
    .post(`/api/v1/cycles/${cycle.body.id}/recommendations`)
    .set('Authorization', coordinator.auth)
    .send({ paragraph: '26.49', text, response: 'no_response' })
    .expect(201);
  return { admin, coordinator, cycleId: cycle.body.id, recommendationId: rec.body.id };
}

export async function follow(t: TestApp, user: TestUser, recommendationId: number): Promise<void> {
  await t.http.post(`/api/v1/recommendations/${recommendationId}/follow`).set('Authorization', user.auth).expect(201);
}

export async function changeStatus(t: TestApp, by: TestUser, recommendationId: number, status: string, note = 'Progress noted', evidenceIds: number[] = []) {
  return t.http.post(`/api/v1/recommendations/${recommendationId}/status`).set('Authorization', by.auth).send({ status, note, evidenceIds }).expect(201);
}

export function dispatch(t: TestApp) {
  return t.app.get(NotificationDispatcher).dispatch();
}

export async function setPreferences(t: TestApp, user: TestUser, body: object): Promise<void> {
  await t.http.patch('/api/v1/me/preferences').set('Authorization', user.auth).send(body).expect(200);
}

export async function rows<T = Record<string, unknown>>(t: TestApp, sql: string): Promise<T[]> {
  return t.dataSource.query(sql);
}

export const HOUR = 3600_000;
export const DAY = 24 * HOUR;
