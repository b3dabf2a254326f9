import { seedRecommendations } from '../bench/seed';
import { listingSql, tagsTsquery, toFtsMatch } from '../src/recommendations/recommendations.repository';
import { createTestApp, TestApp, TestUser } from './support/test-app';

// PostgreSQL searches stored documents (recommendation_search, kept by triggers: migration
// 1795970000000) instead of computing to_tsvector per row; SQLite's FTS5 index gains the coalition
// as a column. These tests hold the documents to what to_tsvector would compute from the text now,
// and the search to what it found before (in id order, in the coalition only).
describe('stored search documents', () => {
  let t: TestApp;
  let admin: TestUser;
  let other: TestUser;
  let cycleId: number;
  let postgres: boolean;

  const search = async (user: TestUser, q: string, extra: Record<string, string> = {}) =>
    (await t.http.get('/api/v1/recommendations').query({ q, pageSize: 100, ...extra }).set('Authorization', user.auth).expect(200)).body as
      { total: number; items: { id: number }[] };

  beforeAll(async () => {
    t = await createTestApp();
    postgres = t.dataSource.options.type === 'postgres';
    admin = await t.createUser('admin');
    other = await t.createUser('admin', 'Coalition B');
    cycleId = (await t.http.post('/api/v1/cycles').set('Authorization', admin.auth).send({ number: 3, stateUnderReview: 'Chile' }).expect(201)).body.id;
    const otherCycle = (await t.http.post('/api/v1/cycles').set('Authorization', other.auth).send({ number: 3, stateUnderReview: 'Chile' }).expect(201)).body.id;
    // Multi-row INSERTs, as the importer writes (the insert trigger runs once per statement), in both coalitions.
    await seedRecommendations(t.dataSource, admin.coalitionId, [{ id: cycleId, number: 3 }], 600);
    await seedRecommendations(t.dataSource, other.coalitionId, [{ id: otherCycle, number: 3 }], 300);
  });
  afterAll(async () => t.close());

  /** Recommendations whose stored document is missing, left over, or not what their text (and coalition's lexeme) gives now. */
  const staleDocuments = async (): Promise<number> => {
    const [row] = await t.dataSource.query(
      `SELECT COUNT(*) AS n FROM recommendation r FULL JOIN recommendation_search s ON s.recommendation_id = r.id
       WHERE s.document IS DISTINCT FROM to_tsvector('english', r.text) || array_to_tsvector(ARRAY['coalition ' || r.coalition_id])
         OR s.coalition_id IS DISTINCT FROM r.coalition_id`,
    );
    return Number(row.n);
  };

  /**
   * What the search answered before migration 1795970000000. PostgreSQL: to_tsvector computed from
   * the text, row by row. SQLite: the FTS5 match on the text, each match's coalition read from
   * recommendation.
   */
  const computedMatches = async (coalitionId: number, q: string): Promise<number[]> => {
    let rows: { id: number }[];
    if (postgres) {
      rows = await t.dataSource.query(
        `SELECT id FROM recommendation WHERE coalition_id = $1 AND to_tsvector('english', text) @@ websearch_to_tsquery('english', $2) ORDER BY id`,
        [coalitionId, q],
      );
    } else {
      const match = toFtsMatch(q);
      if (!match) return [];
      rows = await t.dataSource.query(
        `SELECT id FROM recommendation WHERE coalition_id = ? AND id IN (SELECT rowid FROM recommendation_fts WHERE recommendation_fts MATCH ?) ORDER BY id`,
        [coalitionId, `text : (${match})`],
      );
    }
    return rows.map((r) => Number(r.id));
  };

  it('should keep a document for every recommendation, equal to its text, through creates, bulk inserts and edits', async () => {
    if (!postgres) {
      // SQLite has its FTS5 index (kept by triggers, as schema.e2e-spec checks) and no such table.
      const tables: { name: string }[] = await t.dataSource.query(`SELECT name FROM sqlite_master WHERE name IN ('recommendation_search', 'recommendation_fts')`);
      expect(tables.map((r) => r.name)).toEqual(['recommendation_fts']);
      return;
    }
    const created = await t.http.post(`/api/v1/cycles/${cycleId}/recommendations`).set('Authorization', admin.auth)
      .send({ text: 'Abolish the death penalty for all crimes' }).expect(201);
    const [{ n: documents }] = await t.dataSource.query('SELECT COUNT(*) AS n FROM recommendation_search');
    expect(Number(documents)).toBe(901);
    expect(await staleDocuments()).toBe(0);

    await t.http.patch(`/api/v1/recommendations/${created.body.id}`).set('Authorization', admin.auth)
      .send({ text: 'Repeal the blasphemy and defamation laws' }).expect(200);
    expect(await staleDocuments()).toBe(0);
    expect((await search(admin, 'penalties')).items.map((r) => r.id)).not.toContain(created.body.id);
    expect((await search(admin, 'defamation')).items.map((r) => r.id)).toEqual([created.body.id]);
  });

  it('should leave the document alone when only the status changes', async () => {
    if (!postgres) return expect(postgres).toBe(false);
    const [{ id }] = await t.dataSource.query(
      `SELECT id FROM recommendation WHERE coalition_id = $1 AND status = 'not_started' ORDER BY id LIMIT 1`, [admin.coalitionId],
    );
    // xmin: the transaction that wrote the row's current version; an UPDATE would make a new one.
    const version = async () => (await t.dataSource.query('SELECT xmin::text AS v FROM recommendation_search WHERE recommendation_id = $1', [id]))[0].v;
    const before = await version();
    await t.http.post(`/api/v1/recommendations/${id}/status`).set('Authorization', admin.auth).send({ status: 'in_progress', note: 'Bill tabled' }).expect(201);
    expect((await t.http.get(`/api/v1/recommendations/${id}`).set('Authorization', admin.auth).expect(200)).body.status).toBe('in_progress');
    expect(await version()).toBe(before);
  });

  it('should find exactly what computing the text found, in id order, in the coalition only', async () => {
    for (const q of ['torture', 'death penalty', '"death penalty"', 'tortured -detention', 'women OR children', '-torture', 'the', 'coalition 1']) {
      const found = await search(admin, q);
      const ids = found.items.map((r) => r.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      const expected = await computedMatches(admin.coalitionId, q);
      expect(found.total).toBe(expected.length);
      expect(ids).toEqual(expected.slice(0, 100));
      // The count of a full page runs apart (the page cannot tell it): the second page agrees too.
      const secondPage = await search(admin, q, { page: '2' });
      expect(secondPage.total).toBe(expected.length);
      expect(secondPage.items.map((r) => r.id)).toEqual(expected.slice(100, 200));
      expect((await search(other, q)).total).toBe((await computedMatches(other.coalitionId, q)).length);
    }
    expect((await search(admin, 'torture')).total).toBeGreaterThan(0);
  });

  /** Every id the listing gives for these filters, page by page (in id order), and the total its first page told. */
  const listAll = async (user: TestUser, filters: Record<string, string>): Promise<{ ids: number[]; total: number }> => {
    const ids: number[] = [];
    let total = -1;
    for (let page = 1; ; page++) {
      const body = (await t.http.get('/api/v1/recommendations').query({ ...filters, pageSize: 100, page }).set('Authorization', user.auth).expect(200)).body as
        { total: number; items: { id: number }[] };
      if (page === 1) total = body.total;
      ids.push(...body.items.map((r) => r.id));
      if (body.items.length < 100) return { ids, total };
    }
  };

  it('should find, beside other filters, exactly the matches the filters and the text have in common, in the coalition only', async () => {
    // PostgreSQL checks the document per row beside another set (a tag, an owner): each shape of
    // the listing is held to the filters alone intersected with what computing the text finds.
    const shapes: Record<string, string>[] = [
      { status: 'in_progress', theme: 'D25' }, { recommendingState: 'Iran (Islamic Republic of)' },
      { theme: 'D25', recommendingState: 'France' }, { status: 'in_progress' },
    ];
    let largest = 0;
    for (const filters of shapes) {
      for (const q of ['torture', 'death penalty', 'the']) {
        for (const user of [admin, other]) {
          const words = new Set(await computedMatches(user.coalitionId, q));
          const expected = (await listAll(user, filters)).ids.filter((id) => words.has(id));
          const found = await listAll(user, { ...filters, q });
          expect(found.ids).toEqual(expected);
          expect(found.total).toBe(expected.length);
          // A page of 5 is full: its total comes from the count statement.
          const firstFive = (await t.http.get('/api/v1/recommendations').query({ ...filters, q, pageSize: 5 }).set('Authorization', user.auth).expect(200)).body;
          expect(firstFive.total).toBe(expected.length);
          expect(firstFive.items.map((r: { id: number }) => r.id)).toEqual(expected.slice(0, 5));
          largest = Math.max(largest, expected.length);
        }
      }
    }
    expect(largest).toBeGreaterThan(5);
  });

  /** Recommendations whose stored tags are not one lexeme per tag of theirs ('theme D25'), as migration 1795970200000 keeps them. */
  const staleTags = async (): Promise<number> => {
    const [row] = await t.dataSource.query(
      `SELECT COUNT(*) AS n FROM recommendation_search s LEFT JOIN LATERAL (
         SELECT array_to_tsvector(array_agg(DISTINCT t.kind || ' ' || t.value)) AS tags FROM recommendation_tag t WHERE t.recommendation_id = s.recommendation_id
       ) g ON true
       WHERE s.tags IS DISTINCT FROM COALESCE(g.tags, ''::tsvector)`,
    );
    return Number(row.n);
  };

  /** The ids of a search with filters, every page, checked against the filters' rows intersected with the text's matches. */
  const searchWith = async (user: TestUser, q: string, filters: Record<string, string>): Promise<number[]> => {
    const words = new Set(await computedMatches(user.coalitionId, q));
    const expected = (await listAll(user, filters)).ids.filter((id) => words.has(id));
    const found = await listAll(user, { ...filters, q });
    expect(found.ids).toEqual(expected);
    expect(found.total).toBe(expected.length);
    return found.ids;
  };

  it('should find a recommendation by text and theme only while it has the theme', async () => {
    const created = (await t.http.post(`/api/v1/cycles/${cycleId}/recommendations`).set('Authorization', admin.auth)
      .send({ text: 'Criminalise torture in the penal code', themes: ['D23'] }).expect(201)).body as { id: number };
    const tortureUnder = (theme: string) => searchWith(admin, 'torture', { theme });
    expect(await tortureUnder('D25')).not.toContain(created.id);
    expect(await tortureUnder('D23')).toContain(created.id);

    await t.http.patch(`/api/v1/recommendations/${created.id}`).set('Authorization', admin.auth).send({ themes: ['D23', 'D25'], ownerIds: [admin.id] }).expect(200);
    expect(await tortureUnder('D25')).toContain(created.id);
    expect(await tortureUnder('D23')).toContain(created.id);
    // Beside an owner set the text and the tags are checked per row (EXISTS): the same answer.
    expect(await searchWith(admin, 'torture', { ownerId: String(admin.id), theme: 'D25' })).toEqual([created.id]);
    await t.http.patch(`/api/v1/recommendations/${created.id}`).set('Authorization', admin.auth).send({ themes: ['D25'] }).expect(200);
    expect(await tortureUnder('D25')).toContain(created.id);
    expect(await tortureUnder('D23')).not.toContain(created.id);
    expect(await searchWith(admin, 'torture', { ownerId: String(admin.id), theme: 'D23' })).toEqual([]);
    // Another kind's change leaves the theme alone; a State with a quote in its name is found as written.
    await t.http.patch(`/api/v1/recommendations/${created.id}`).set('Authorization', admin.auth)
      .send({ recommendingStates: ["Côte d'Ivoire"] }).expect(200);
    expect(await tortureUnder('D25')).toContain(created.id);
    expect(await searchWith(admin, 'torture', { recommendingState: "Côte d'Ivoire", theme: 'D25' })).toContain(created.id);
    await t.http.patch(`/api/v1/recommendations/${created.id}`).set('Authorization', admin.auth).send({ themes: [] }).expect(200);
    expect(await tortureUnder('D25')).not.toContain(created.id);
    expect(await searchWith(admin, 'torture', { recommendingState: "Côte d'Ivoire" })).toContain(created.id);
    if (postgres) expect(await staleTags()).toBe(0);
  });

  it('should find an import\'s recommendations by text and tags, and by their new tags after a re-import', async () => {
    const header = 'state_under_review,cycle,session,document_symbol,paragraph,text,recommending_states,response,themes,affected_persons,sdgs,action_category';
    const rows = (theme: string) => [header, ...Array.from({ length: 30 }, (_, i) =>
      `Chile,3,32,A/HRC/41/6,190.${i + 1},Investigate every quokkaland allegation of torture number ${i + 1},France,supported,${theme},women,5,4`)].join('\n');
    const upload = async (csv: string) => {
      const res = await t.http.post('/api/v1/imports').set('Authorization', admin.auth).attach('file', Buffer.from(csv), 'chile.csv');
      expect({ status: res.status, body: res.status === 201 ? null : res.body }).toEqual({ status: 201, body: null });
    };
    await upload(rows('"D25 Prohibition of torture and cruel, inhuman or degrading treatment"'));
    const imported: number[] = (await t.dataSource.query(
      `SELECT id FROM recommendation WHERE coalition_id = ${postgres ? '$1' : '?'} AND text LIKE 'Investigate every quokkaland%' ORDER BY id`, [admin.coalitionId],
    )).map((r: { id: number }) => Number(r.id));
    expect(imported).toHaveLength(30);
    expect(await searchWith(admin, 'quokkaland', { theme: 'D25', sdg: '5' })).toEqual(imported);
    expect(await searchWith(admin, 'quokkaland', { theme: 'D23' })).toEqual([]);

    await upload(rows('D23 Death penalty'));
    expect(await searchWith(admin, 'quokkaland', { theme: 'D25' })).toEqual([]);
    expect(await searchWith(admin, 'quokkaland', { theme: 'D23', recommendingState: 'France', group: 'women' })).toEqual(imported);
    if (postgres) expect(await staleTags()).toBe(0);
  });

  it('should keep every recommendation\'s tags beside its document, through bulk inserts and tag rows deleted or changed in any way', async () => {
    if (!postgres) return expect(postgres).toBe(false);
    expect(await staleTags()).toBe(0);
    const [{ id, value }] = await t.dataSource.query(`SELECT recommendation_id AS id, value FROM recommendation_tag WHERE kind = 'theme' ORDER BY recommendation_id LIMIT 1`);
    // No code path updates a tag row today; the trigger keeps the tags right if one does.
    await t.dataSource.query(`UPDATE recommendation_tag SET value = 'Z99' WHERE recommendation_id = $1 AND kind = 'theme' AND value = $2`, [id, value]);
    const [{ tags }] = await t.dataSource.query('SELECT tags::text AS tags FROM recommendation_search WHERE recommendation_id = $1', [id]);
    expect(tags).toContain("'theme Z99'");
    expect(await staleTags()).toBe(0);
    await t.dataSource.query(`DELETE FROM recommendation_tag WHERE recommendation_id = $1`, [id]);
    const [{ empty }] = await t.dataSource.query(`SELECT tags = ''::tsvector AS empty FROM recommendation_search WHERE recommendation_id = $1`, [id]);
    expect(empty).toBe(true);
    expect(await staleTags()).toBe(0);
  });

  it('should keep both tags when two transactions tag the same recommendation at once', async () => {
    if (!postgres) return expect(postgres).toBe(false);
    const [{ id, coalition }] = await t.dataSource.query('SELECT id, coalition_id AS coalition FROM recommendation ORDER BY id DESC LIMIT 1');
    const [first, second] = [t.dataSource.createQueryRunner(), t.dataSource.createQueryRunner()];
    const tag = (runner: typeof first, value: string) => runner.query(
      `INSERT INTO recommendation_tag (recommendation_id, kind, value, coalition_id, position) VALUES ($1, 'theme', $2, $3, 90)`, [id, value, coalition],
    );
    try {
      await first.startTransaction();
      await second.startTransaction();
      await tag(first, 'Y01');
      // The second waits on the first's lock of the document row; the first commits meanwhile.
      const waiting = tag(second, 'Y02');
      await new Promise((resolve) => setTimeout(resolve, 200));
      await first.commitTransaction();
      await waiting;
      await second.commitTransaction();
    } finally {
      await first.release();
      await second.release();
    }
    const [{ tags }] = await t.dataSource.query('SELECT tags::text AS tags FROM recommendation_search WHERE recommendation_id = $1', [id]);
    expect(tags).toContain("'theme Y01'");
    expect(tags).toContain("'theme Y02'");
    expect(await staleTags()).toBe(0);
  });

  it('should match a stored tag value exactly, whatever characters it holds, and no other value', async () => {
    if (!postgres) return expect(postgres).toBe(false);
    for (const value of ["Côte d'Ivoire", 'a\\b', 'e\\', 'x:*', 'p & q | !r', ' lead space', 'a"b', '(x)']) {
      const query = tagsTsquery([{ kind: 'recommending_state', values: ['Chile', value] }]);
      const [row] = await t.dataSource.query(
        `SELECT array_to_tsvector(ARRAY['recommending_state ' || $1]) @@ $2::tsquery AS hit,
                array_to_tsvector(ARRAY['recommending_state ' || $1 || 'z', 'theme ' || $1]) @@ $2::tsquery AS miss`,
        [value, query],
      );
      expect({ value, ...row }).toEqual({ value, hit: true, miss: false });
    }
  });

  it('should find text and tags together in one scan of the documents\' index', async () => {
    if (!postgres) return expect(postgres).toBe(false);
    const { page, count } = listingSql('postgres', { coalitionId: admin.coalitionId, q: 'torture', theme: ['D25'], status: 'in_progress' }, 0, 50);
    for (const statement of [page, count]) {
      expect(statement.sql).not.toContain('recommendation_tag');
      const plan = await t.dataSource.transaction(async (manager) => {
        await manager.query('SET LOCAL enable_seqscan = off');
        const rows: { 'QUERY PLAN': string }[] = await manager.query(`EXPLAIN ${statement.sql}`, statement.params);
        return rows.map((r) => r['QUERY PLAN']).join('\n');
      });
      expect(plan).toMatch(/Index Cond: .*tags @@/);
    }
  });

  it('should find the matches through the documents\' index, never by computing to_tsvector', async () => {
    if (!postgres) return expect(postgres).toBe(false);
    const { page, count } = listingSql('postgres', { coalitionId: admin.coalitionId, q: 'torture' }, 0, 50);
    for (const statement of [page, count]) expect(statement.sql).not.toContain('to_tsvector');
    // A table this small is read whole; with sequential scans off, the plan shows the index can serve.
    const plan = await t.dataSource.transaction(async (manager) => {
      await manager.query('SET LOCAL enable_seqscan = off');
      const rows: { 'QUERY PLAN': string }[] = await manager.query(`EXPLAIN ${count.sql}`, count.params);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('IDX_recommendation_search_document');
  });
});
