import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createFastifyApp } from '../bench/fastify-app';
import { createTestApp, TestApp, TestUser } from './support/test-app';

// Issue 14's benchmark compares the application on Express with the same module on NestJS's
// Fastify adapter (bench/fastify-app.ts). The comparison means something only while both answer
// the measured routes alike: the listing and a status change, their refusals, the security headers.
describe('the Fastify contestant of the HTTP-layer benchmark', () => {
  let t: TestApp;
  let fastify: NestFastifyApplication;
  let onFastify: ReturnType<typeof request>;
  let admin: TestUser;
  let coordinator: TestUser;
  let member: TestUser;
  let cycleId: number;

  const create = async (text: string): Promise<number> =>
    (await t.http.post(`/api/v1/cycles/${cycleId}/recommendations`).set('Authorization', admin.auth).send({ text }).expect(201)).body.id;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.createUser('admin');
    coordinator = await t.createUser('coordinator');
    member = await t.createUser('member');
    cycleId = (await t.http.post('/api/v1/cycles').set('Authorization', admin.auth).send({ number: 4, stateUnderReview: 'Chile' }).expect(201)).body.id;
    // The same database and clock, a second instance of the module.
    fastify = await createFastifyApp(t.config, { clock: t.clock });
    await fastify.init();
    await fastify.getHttpAdapter().getInstance().ready();
    onFastify = request(fastify.getHttpServer());
  });
  afterAll(async () => {
    await fastify?.close();
    await t?.close();
  });

  it('should list the same recommendations as the same JSON, with the same security headers', async () => {
    await create('Abolish the death penalty');
    await create('Protect human rights defenders');
    const express = await t.http.get('/api/v1/recommendations').query({ pageSize: 10 }).set('Authorization', member.auth).expect(200);
    const answer = await onFastify.get('/api/v1/recommendations').query({ pageSize: 10 }).set('Authorization', member.auth).expect(200);
    expect(answer.body.items.length).toBeGreaterThanOrEqual(2);
    expect(answer.text).toBe(express.text);
    expect(answer.headers['content-type']).toBe(express.headers['content-type']);
    for (const header of ['content-security-policy', 'x-content-type-options', 'x-frame-options', 'strict-transport-security', 'referrer-policy']) {
      expect(answer.headers[header]).toBe(express.headers[header]);
    }
  });

  it('should change a status through the same service, answering as Express does', async () => {
    const [one, other] = [await create('Ratify the Optional Protocol'), await create('Ratify the Optional Protocol')];
    const body = { status: 'in_progress', note: 'Draft law tabled' };
    const express = await t.http.post(`/api/v1/recommendations/${one}/status`).set('Authorization', coordinator.auth).send(body).expect(201);
    const answer = await onFastify.post(`/api/v1/recommendations/${other}/status`).set('Authorization', coordinator.auth).send(body).expect(201);
    // Two twins changed at the same (test) clock's time: the answers differ only by their ids and
    // their rows' createdAt (the database's own clock, a second apart at worst).
    const withoutIds = (value: unknown): unknown =>
      JSON.parse(JSON.stringify(value, (key, inner) => (/^id$|Id$|^createdAt$/.test(key) ? 'ID' : inner)));
    expect(answer.body.status).toBe('in_progress');
    expect(withoutIds(answer.body)).toEqual(withoutIds(express.body));
    // Written where Express reads it.
    const detail = await t.http.get(`/api/v1/recommendations/${other}`).set('Authorization', member.auth).expect(200);
    expect(detail.body.status).toBe('in_progress');
  });

  it('should refuse as Express does: unknown id, invalid body, no token, wrong role', async () => {
    const id = await create('Combat torture');
    const cases = [
      { path: '/api/v1/recommendations/999999999/status', auth: coordinator.auth, body: { status: 'in_progress', note: 'x' }, status: 404 },
      { path: `/api/v1/recommendations/${id}/status`, auth: coordinator.auth, body: { status: 'done-ish', note: 'x' }, status: 400 },
      { path: `/api/v1/recommendations/${id}/status`, auth: '', body: { status: 'in_progress', note: 'x' }, status: 401 },
      { path: `/api/v1/recommendations/${id}/status`, auth: member.auth, body: { status: 'in_progress', note: 'x' }, status: 403 },
    ];
    for (const refusal of cases) {
      const express = await t.http.post(refusal.path).set('Authorization', refusal.auth).send(refusal.body).expect(refusal.status);
      const answer = await onFastify.post(refusal.path).set('Authorization', refusal.auth).send(refusal.body).expect(refusal.status);
      expect(answer.body).toEqual(express.body);
    }
  });
});
