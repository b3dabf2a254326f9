// Issue 12, canonical States: every write maps a State's name to its canonical entry, filters accept
// any spelling or code, an unknown name is never created (import dry run, refusal, coalition aliases),
// and lineage links cycles of the same State spelt differently by their sources.
import { buildProgram } from '../src/cli/commands';
import { createTestApp, TestApp, TestUser } from './support/test-app';

const UPR_INFO_HEADER = 'To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session';

describe('canonical States', () => {
  let t: TestApp;
  let admin: TestUser;
  const api = (method: 'get' | 'post' | 'patch' | 'delete', path: string, user = admin) => t.http[method](`/api/v1${path}`).set('Authorization', user.auth);
  const list = async (query: Record<string, string>) => (await api('get', '/recommendations').query({ ...query, pageSize: '200' }).expect(200)).body;
  const importFile = (name: string, content: string, fields: Record<string, string> = {}) => {
    const request = api('post', '/imports');
    for (const [key, value] of Object.entries(fields)) request.field(key, value);
    return request.attach('file', Buffer.from(content, 'utf8'), name);
  };
  const cli = async (...args: string[]) => {
    const output: string[] = [];
    await buildProgram(async () => t.app, (line) => output.push(line)).parseAsync(['node', 'cli', ...args]);
    return output.join('\n');
  };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.createUser('admin', 'Coalition States');
  });
  afterAll(async () => t.close());

  describe('writes and filters', () => {
    let cycleId: number;
    beforeAll(async () => {
      const cycle = (await api('post', '/cycles').send({ number: 2, stateUnderReview: 'Cote d\u2019Ivoire' }).expect(201)).body;
      expect(cycle).toMatchObject({ stateUnderReview: "Côte d'Ivoire", stateUnderReviewCode: 'CIV' });
      cycleId = cycle.id;
      for (const [text, states] of [
        ['Abolish the death penalty', ['Cote d\'Ivoire', 'France']],
        ['Ratify the CRPD', ['Côte d\u2019Ivoire']],
        ['Ratify OP-CAT', ["Côte d'Ivoire", 'Bolivia (Plurinational S tate of)']],
        ['Protect journalists', ['Chile, Peru and Brazil']],
      ] as const) {
        await api('post', `/cycles/${cycleId}/recommendations`).send({ text, recommendingStates: states }).expect(201);
      }
    });

    it('should store and answer canonical names with their alpha-3 codes', async () => {
      const { items } = await list({ cycleId: String(cycleId) });
      expect(items.map((r: { recommendingStates: string[]; recommendingStateCodes: string[] }) => [r.recommendingStates, r.recommendingStateCodes])).toEqual([
        [["Côte d'Ivoire", 'France'], ['CIV', 'FRA']],
        [["Côte d'Ivoire"], ['CIV']],
        [["Côte d'Ivoire", 'Bolivia (Plurinational State of)'], ['CIV', 'BOL']],
        [['Chile', 'Peru', 'Brazil'], ['CHL', 'PER', 'BRA']],
      ]);
    });

    it('should find every spelling by the canonical name, either ISO code or any alias', async () => {
      for (const recommendingState of ['CI', 'CIV', 'civ', "Côte d'Ivoire", "Cote d'Ivoire", 'Côte d\u2019Ivoire', 'Ivory Coast']) {
        expect({ recommendingState, total: (await list({ recommendingState })).total }).toEqual({ recommendingState, total: 3 });
      }
      expect((await list({ recommendingState: 'BO' })).total).toBe(1);
      for (const stateUnderReview of ['CI', 'CIV', 'Ivory Coast']) expect((await list({ stateUnderReview })).total).toBe(4);
      expect((await list({ stateUnderReview: 'FRA' })).total).toBe(0);
      expect((await list({ recommendingState: 'Atlantis' })).total).toBe(0);
    });

    it('should refuse an unknown recommending State with the closest States, and write nothing', async () => {
      const res = await api('post', `/cycles/${cycleId}/recommendations`).send({ text: 'Ratify the ICMW', recommendingStates: ['France', 'Untied States'] }).expect(400);
      expect(res.body.details).toEqual([{ field: 'recommendingStates', value: 'Untied States', problem: expect.any(String), suggestions: expect.arrayContaining(['United States of America']) }]);
      expect(res.body.message).toMatch(/^recommendingStates: not a State: "Untied States"/);
      expect((await list({ cycleId: String(cycleId) })).total).toBe(4);
      const [first] = (await list({ cycleId: String(cycleId) })).items;
      await api('patch', `/recommendations/${first.id}`).send({ recommendingStates: ['Freedonia'] }).expect(400);
      const patched = (await api('patch', `/recommendations/${first.id}`).send({ recommendingStates: ['USA', 'UK'] }).expect(200)).body;
      expect(patched).toMatchObject({ recommendingStates: ['United States of America', 'United Kingdom of Great Britain and Northern Ireland'], recommendingStateCodes: ['USA', 'GBR'] });
    });
  });

  describe('imports and aliases', () => {
    const file = [
      UPR_INFO_HEADER,
      'Viet Nam,Asia,,Ratify the Convention against Torture,Republic of Atlantis,WEOG,,Accepted,5,Torture and other CID treatment,5',
      'Viet Nam,Asia,,Ratify the Convention against Torture,Cote d\'Ivoire,Africa,,Accepted,5,Torture and other CID treatment,5',
      'Viet Nam,Asia,,Abolish the death penalty,Untied States,WEOG,,Noted,5,Death penalty,5',
    ].join('\n');

    it('should list unknown names with suggestions in a dry run and refuse the real import, writing nothing', async () => {
      const dry = (await importFile('vietnam.csv', file, { dryRun: 'true' }).expect(201)).body;
      expect(dry).toMatchObject({ dryRun: true, committed: false, recommendations: 2 });
      expect(dry.unknownNames).toEqual([
        { field: 'recommendingStates', value: 'Republic of Atlantis', suggestions: expect.any(Array) },
        { field: 'recommendingStates', value: 'Untied States', suggestions: expect.arrayContaining(['United States of America']) },
      ]);
      const refused = (await importFile('vietnam.csv', file).expect(400)).body;
      expect(refused.message).toMatch(/^Nothing was imported: 2 names match no State, theme or group of persons/);
      expect(refused.details).toMatchObject({ committed: false, created: 0, unknownNames: dry.unknownNames });
      expect((await list({ stateUnderReview: 'VN' })).total).toBe(0);
    });

    it('should import after the coalition adds aliases (API and command line), and map them for this coalition only', async () => {
      const added = (await api('post', '/admin/state-aliases').send({ state: 'GR', alias: 'Republic of Atlantis' }).expect(201)).body;
      expect(added).toMatchObject({ alias: 'Republic of Atlantis', stateCode: 'GRC', state: 'Greece' });
      await expect(cli('alias', 'add', '--coalition', 'Coalition States', '--state', 'USA', '--alias', 'Untied States')).resolves.toMatch(/now names United States of America \(USA\)/);
      await expect(cli('alias', 'list', '--coalition', 'Coalition States')).resolves.toMatch(/Untied States\tUSA\tUnited States of America/);
      const aliases = (await api('get', '/admin/state-aliases').expect(200)).body;
      expect(aliases.items.map((a: { alias: string }) => a.alias)).toEqual(['Republic of Atlantis', 'Untied States']);

      const summary = (await importFile('vietnam.csv', file).expect(201)).body;
      expect(summary).toMatchObject({ committed: true, created: 2, unknownNames: [] });
      const { items } = await list({ stateUnderReview: 'Viet Nam' });
      expect(items.map((r: { recommendingStates: string[] }) => r.recommendingStates)).toEqual([['Greece', "Côte d'Ivoire"], ['United States of America']]);
      expect((await list({ recommendingState: 'Republic of Atlantis' })).total).toBe(1);

      // Another coalition does not get them.
      const stranger = await t.createUser('admin', 'Coalition Elsewhere');
      const theirs = (await importFile('vietnam.csv', file, { dryRun: 'true' }).set('Authorization', stranger.auth).expect(201)).body;
      expect(theirs.unknownNames.map((u: { value: string }) => u.value)).toEqual(['Republic of Atlantis', 'Untied States']);
      await api('delete', `/admin/state-aliases/${added.id}`, stranger).expect(404);
      await api('delete', `/admin/state-aliases/${added.id}`).expect(204);
      expect((await api('get', '/admin/state-aliases').expect(200)).body.total).toBe(1);
    });

    it('should refuse an alias that already names a State, and a State that is unknown', async () => {
      const taken = await api('post', '/admin/state-aliases').send({ state: 'FRA', alias: 'Ivory Coast' }).expect(409);
      expect(taken.body.message).toBe('alias: "Ivory Coast" already names Côte d\'Ivoire (CIV)');
      const unknown = await api('post', '/admin/state-aliases').send({ state: 'Atlantis', alias: 'Lost city' }).expect(400);
      expect(unknown.body.details[0]).toMatchObject({ field: 'state', value: 'Atlantis' });
      await expect(cli('alias', 'add', '--coalition', 'Coalition States', '--state', 'XX', '--alias', 'Nowhere')).rejects.toThrow(/state: not a State: "XX"/);
    });
  });

  describe('the State under review of a cycle', () => {
    it('should store any spelling, alias or code as the canonical name with its code', async () => {
      for (const [sent, name, code] of [['VN', 'Viet Nam', 'VNM'], ['gbr', 'United Kingdom of Great Britain and Northern Ireland', 'GBR'], ['Ivory Coast', "Côte d'Ivoire", 'CIV'], ['  bolivia ', 'Bolivia (Plurinational State of)', 'BOL']]) {
        const cycle = (await api('post', '/cycles').send({ number: 7, stateUnderReview: sent }).expect(201)).body;
        expect({ sent, stateUnderReview: cycle.stateUnderReview, stateUnderReviewCode: cycle.stateUnderReviewCode }).toEqual({ sent, stateUnderReview: name, stateUnderReviewCode: code });
      }
    });

    it('should refuse a name that is no State with 400 naming the value and the closest States, and create nothing', async () => {
      const before = (await api('get', '/cycles').expect(200)).body.total;
      const res = await api('post', '/cycles').send({ number: 1, stateUnderReview: 'Republc of Chile' }).expect(400);
      expect(res.body.message).toMatch(/^stateUnderReview: not a State: "Republc of Chile" \(did you mean Chile/);
      expect(res.body.details).toEqual([{ field: 'stateUnderReview', value: 'Republc of Chile', problem: expect.any(String), suggestions: expect.arrayContaining(['Chile']) }]);
      await api('post', '/cycles').send({ number: 1, stateUnderReview: '(Unknown)' }).expect(400);
      expect((await api('get', '/cycles').expect(200)).body.total).toBe(before);
    });

    it('should map an edit to the canonical name and refuse an unknown one, changing nothing', async () => {
      const cycle = (await api('post', '/cycles').send({ number: 8, stateUnderReview: 'Chile', session: '40' }).expect(201)).body;
      const refused = await api('patch', `/cycles/${cycle.id}`).send({ stateUnderReview: 'Atlantis', session: '41' }).expect(400);
      expect(refused.body.details[0]).toMatchObject({ field: 'stateUnderReview', value: 'Atlantis' });
      expect((await api('get', `/cycles/${cycle.id}`).expect(200)).body).toMatchObject({ stateUnderReview: 'Chile', session: '40' });
      const edited = (await api('patch', `/cycles/${cycle.id}`).send({ stateUnderReview: 'PE' }).expect(200)).body;
      expect(edited).toMatchObject({ stateUnderReview: 'Peru', stateUnderReviewCode: 'PER' });
    });

    it("should accept the coalition's own alias, for that coalition only", async () => {
      await api('post', '/admin/state-aliases').send({ state: 'KEN', alias: 'Republic of Kenia' }).expect(201);
      expect((await api('post', '/cycles').send({ number: 9, stateUnderReview: 'Republic of Kenia' }).expect(201)).body).toMatchObject({ stateUnderReview: 'Kenya', stateUnderReviewCode: 'KEN' });
      const other = await t.createUser('admin', 'Coalition Without Aliases');
      await api('post', '/cycles', other).send({ number: 9, stateUnderReview: 'Republic of Kenia' }).expect(400);
    });
  });

  describe('lineage across sources', () => {
    it('should suggest the UPR Info cycle of "United States" as predecessor of an OHCHR-style cycle of "United States of America"', async () => {
      const uprInfo = [
        UPR_INFO_HEADER,
        'United States,WEOG,,Ratify the Convention on the Elimination of All Forms of Discrimination against Women,Norway,WEOG,,Noted,5,Women\'s rights,9',
        'United States,WEOG,,Abolish the death penalty at the federal level,France,WEOG,,Noted,5,Death penalty,9',
      ].join('\n');
      const first = (await importFile('us-session-9.csv', uprInfo).expect(201)).body;
      expect(first.cycles).toEqual([expect.objectContaining({ label: 'United States of America, UPR cycle 1, session 9', createdCycle: true })]);

      const template = [
        'state_under_review,cycle,session,paragraph,text,recommending_states,response',
        'United States of America,2,22,176.1,Ratify the Convention on the Elimination of All Forms of Discrimination against Women,Norway; Sweden,noted',
        'United States of America,2,22,176.2,Abolish the death penalty at the federal level,France,noted',
      ].join('\n');
      const second = (await importFile('us-cycle-2.csv', template).expect(201)).body;
      expect(second).toMatchObject({ committed: true, created: 2 });
      expect(second.lineageSuggestions).toBe(2);
      const cycles = (await api('get', '/cycles').expect(200)).body.items as { id: number; stateUnderReview: string; stateUnderReviewCode: string; number: number }[];
      const us = cycles.filter((c) => c.stateUnderReviewCode === 'USA');
      expect(us.map((c) => [c.stateUnderReview, c.number])).toEqual([['United States of America', 1], ['United States of America', 2]]);
      const [newer] = (await list({ cycleId: String(us[1].id), q: 'death' })).items;
      const lineage = (await api('get', `/recommendations/${newer.id}/lineage`).expect(200)).body;
      expect(lineage.suggestions[0]).toMatchObject({ cycle: { id: us[0].id, number: 1 } });
      await api('post', `/recommendations/${newer.id}/lineage`).send({ candidateId: lineage.suggestions[0].candidateId, decision: 'confirm' }).expect(200);
    });
  });
});
