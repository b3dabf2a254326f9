import { parse } from 'csv-parse/sync';
import { SqliteReadWorker } from '../src/database/sqlite-read-worker';
import { csvField } from '../src/reports/report-csv';
import { LIST_CELLS, type ListCells } from '../src/reports/report-list-sql';
import { ReportsRepository } from '../src/reports/reports.repository';
import { createTestApp, TestApp, TestUser } from './support/test-app';

/**
 * The report's list as the database writes it (report-list-sql.ts): each chunk's tags, status changes
 * and evidence grouped per recommendation in one statement, the CSV lines written by the database by
 * the rule of csvField, and (SQLite) read in a worker thread.
 */
describe('the report list', () => {
  let t: TestApp;
  let admin: TestUser;
  let coordinator: TestUser;
  const cycles: number[] = [];
  /** The recommendations of each cycle, in the order made: the two cycles' ids interleave. */
  const made: Record<number, number[]> = {};

  // Every character a CSV cell must quote or neutralise, at the start, in the middle and alone.
  const TEXTS = [
    '=HYPERLINK("http://evil.example","click")', '+1 more', '-minus', '@at', '\tTab first', '\rCR first', 'comma, inside', 'a "quoted" word',
    'line\nbreak', 'carriage\r\nreturn', 'accents: Côte d’Ivoire, Türkiye', 'plain text', 'back\\slash and \u2028 separator', "apostrophe's",
  ];
  const post = (path: string, body: object, user = coordinator) => t.http.post(path).set('Authorization', user.auth).send(body);

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.createUser('admin');
    coordinator = await t.createUser('coordinator');
    for (const number of [1, 2]) {
      const id = (await post('/api/v1/cycles', { number, stateUnderReview: "Côte d'Ivoire", session: `${40 + number}` }, admin).expect(201)).body.id as number;
      cycles.push(id);
      made[id] = [];
    }
    // Made alternately in the two cycles, so a chunk's id range holds the other cycle's recommendations too.
    for (let i = 0; i < TEXTS.length * 2; i++) {
      const cycle = cycles[i % 2];
      const body = {
        paragraph: i % 5 === 0 ? undefined : `${100 + i}.${i}`, text: TEXTS[Math.floor(i / 2)] + ` (${i})`, response: i % 3 === 0 ? 'noted' : 'supported',
        recommendingStates: i % 2 === 0 ? ['France', 'Chile'] : ['Brazil'], themes: i % 2 === 0 ? ['D25', 'A12'] : ['D23'],
        ...(i % 4 === 0 ? { sdgs: [5], sdgTargets: ['16.a', '5.1'] } : {}), actionCategory: i % 6 === 0 ? undefined : (i % 5) + 1,
      };
      const res = await post(`/api/v1/cycles/${cycle}/recommendations`, body);
      if (res.status !== 201) throw new Error(JSON.stringify(res.body));
      made[cycle].push(res.body.id as number);
    }
    // Stored values that are no canonical name (kept from before issue 12), with characters a CSV must quote.
    const p = (n: number) => (t.dataSource.options.type === 'postgres' ? `$${n}` : '?');
    const insertTag = (id: number, kind: string, value: string, position: number) =>
      t.dataSource.query(`INSERT INTO recommendation_tag (recommendation_id, kind, value, position, coalition_id) VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)})`,
        [id, kind, value, position, coordinator.coalitionId]);
    await insertTag(made[cycles[0]][1], 'recommending_state', '=Atlantis, "the lost"', 5);
    await insertTag(made[cycles[0]][1], 'theme', 'not a code;\nreally', 5);
    await insertTag(made[cycles[0]][2], 'affected_person', '-first, by position', -1);
    // History: two status changes (the last one counts), evidence (one removed), on recommendations of both cycles.
    for (const id of [made[cycles[0]][0], made[cycles[1]][0], made[cycles[0]][3]]) {
      await post(`/api/v1/recommendations/${id}/status`, { status: 'not_started', note: 'First, "early"' }).expect(201);
      await post(`/api/v1/recommendations/${id}/status`, { status: 'in_progress', note: '=Later note,\nwith a break' }).expect(201);
      const evidence = async () => (await post(`/api/v1/recommendations/${id}/evidence`, { kind: 'link', title: 'E', url: 'https://example.org/e' }).expect(201)).body.id as number;
      await evidence();
      const removed = await evidence();
      await t.http.delete(`/api/v1/evidence/${removed}`).set('Authorization', coordinator.auth).send({ reason: 'wrong file' });
    }
  });

  afterAll(() => t.close());

  const report = (format: string, cycle: number) => t.http.get(`/api/v1/cycles/${cycle}/report`).query({ format }).set('Authorization', coordinator.auth);

  it("should list each cycle's recommendations with their own tags and history, never the other cycle's", async () => {
    for (const cycle of cycles) {
      const json = (await report('json', cycle).expect(200)).body;
      expect(json.recommendations.map((r: { id: number }) => r.id)).toEqual(made[cycle]);
      for (const row of json.recommendations) {
        const detail = (await t.http.get(`/api/v1/recommendations/${row.id}`).set('Authorization', coordinator.auth).expect(200)).body;
        expect(row.text).toBe(detail.text);
        expect(row.recommendingStates).toEqual(detail.recommendingStates);
        expect(row.themes.map((label: string) => label.split(' ')[0])).toEqual(detail.themes.map((theme: string) => theme.split(' ')[0]));
      }
    }
    const [first] = (await report('json', cycles[0]).expect(200)).body.recommendations;
    expect(first).toMatchObject({ recommendingStateCodes: ['FRA', 'CHL'], themes: ['D25 Prohibition of torture and cruel, inhuman or degrading treatment', 'A12 Acceptance of international norms'],
      sdgs: [5, 16], sdgTargets: ['16.a', '5.1'], lastStatusNote: '=Later note,\nwith a break', status: 'in_progress', evidenceCount: 1 });
    const second = (await report('json', cycles[0]).expect(200)).body.recommendations[1];
    expect(second.recommendingStates).toEqual(['France', 'Chile', '=Atlantis, "the lost"']);
    expect(second.recommendingStateCodes).toEqual(['FRA', 'CHL', null]);
    expect(second.themes.at(-1)).toBe('not a code;\nreally');
    expect((await report('json', cycles[0]).expect(200)).body.recommendations[2].affectedPersons).toEqual(['-first, by position']);
  });

  it('should write every CSV line as csvField writes each cell', async () => {
    const repository = t.app.get(ReportsRepository);
    for (const cycle of cycles) {
      const text = (await report('csv', cycle).expect(200)).text;
      let expected = `\uFEFF${LIST_CELLS.join(',')}\r\n`;
      for await (const chunk of repository.listCells(coordinator.coalitionId, cycle)) {
        for (const row of chunk as ListCells[]) {
          const cells = { ...row, state_under_review: "Côte d'Ivoire", state_under_review_code: 'CIV' };
          expected += LIST_CELLS.map((key) => csvField(cells[key])).join(',') + '\r\n';
        }
      }
      expect(text).toBe(expected);
      const rows = parse(text, { bom: true, columns: true }) as Record<string, string>[];
      expect(rows.map((row) => Number(row.id))).toEqual(made[cycle]);
      // Formulas are text, quotes and line breaks survive the round trip.
      expect(rows.find((row) => row.text.startsWith("'=HYPERLINK"))).toBeDefined();
      expect(rows.filter((row) => row.last_status_note === "'=Later note,\nwith a break")).toHaveLength(cycle === cycles[0] ? 2 : 1);
    }
  });

  // PostgreSQL reads the list on the application's pool: this one is for SQLite alone.
  const onSqlite = !process.env.DATABASE_URL?.startsWith('postgres');
  if (onSqlite) it('should read with a worker connection that sees the last commit and cannot write (SQLite)', async () => {
    const worker = new SqliteReadWorker(String(t.dataSource.options.database), 1000);
    try {
      const count = async () => (await worker.query<{ n: number }>('SELECT COUNT(*) AS n FROM recommendation WHERE cycle_id = ?', [cycles[0]]))[0].n;
      expect(await count()).toBe(made[cycles[0]].length);
      // One column's values joined into one string, as the report's writers take them.
      await expect(worker.queryJoined('SELECT id FROM recommendation WHERE cycle_id = ? ORDER BY id', [cycles[1]], ',')).resolves.toBe(made[cycles[1]].join(','));
      await post(`/api/v1/cycles/${cycles[0]}/recommendations`, { text: 'One more', response: 'supported' }).expect(201);
      expect(await count()).toBe(made[cycles[0]].length + 1);
      await expect(worker.query('DELETE FROM recommendation RETURNING id', [])).rejects.toThrow(/readonly|read-only|query_only/i);
      await expect(worker.query('SELECT missing_column FROM missing_table', [])).rejects.toThrow(/no such (table|column)/);
      // After a failed statement, and after close, it answers again (a new worker).
      expect(await count()).toBe(made[cycles[0]].length + 1);
      await worker.close();
      expect(await count()).toBe(made[cycles[0]].length + 1);
    } finally {
      await worker.close();
    }
  });

  if (onSqlite) it('should spread statements sent together over two threads, each answered with its own rows (SQLite)', async () => {
    const worker = new SqliteReadWorker(String(t.dataSource.options.database), 1000, 2);
    try {
      // The second cycle is as made (the test above added to the first). One at a time, one thread is enough.
      const ids = made[cycles[1]];
      const firstIds = (limit: number) => worker.queryJoined('SELECT id FROM recommendation WHERE cycle_id = ? ORDER BY id LIMIT ?', [cycles[1], limit], ',');
      expect(await firstIds(ids.length)).toBe(ids.join(','));
      expect(worker.threadCount).toBe(1);
      // Sent together: a second thread starts, and each statement still gets its own answer, whichever thread ran it.
      const limits = [1, 2, 3, 4, 5, 6].map((k) => Math.min(k, ids.length));
      const answers = await Promise.all(limits.map(firstIds));
      expect(worker.threadCount).toBe(2);
      expect(answers).toEqual(limits.map((k) => ids.slice(0, k).join(',')));
      // A failure in one thread fails its own statement only.
      const mixed = await Promise.allSettled([worker.query('SELECT missing_column FROM missing_table', []), firstIds(ids.length)]);
      expect(mixed[0].status).toBe('rejected');
      expect(mixed[1]).toEqual({ status: 'fulfilled', value: ids.join(',') });
    } finally {
      await worker.close();
    }
    expect(worker.threadCount).toBe(0);
  });
});
