// Issue 12, SDG targets beside goals: every write (API, the template CSV, the UHRI export, the
// current OHCHR lists' SDG cell) stores a target as its number ("5.1") whatever the spelling ("Target
// 5.1", "SDG 5.1"), an unknown target is refused (400 naming it with the nearest targets; listed in
// an import's unknownNames), a target implies its goal in answers, filters and reports, and the
// recommendation page shows each target with its text in A/RES/70/1.
import { parse } from 'csv-parse/sync';
import { currentThematicList } from './support/ohchr-current-lists';
import { createTestApp, TestApp, TestUser } from './support/test-app';
import { WebClient } from './support/web-session';

const TEMPLATE_HEADER = 'state_under_review,cycle,paragraph,text,recommending_states,response,themes,affected_persons,sdgs,action_category';
const TARGET_5_1 = 'End all forms of discrimination against all women and girls everywhere';

describe('SDG targets', () => {
  let t: TestApp;
  let admin: TestUser;
  let cycleId: number;
  const api = (method: 'get' | 'post' | 'patch', path: string) => t.http[method](`/api/v1${path}`).set('Authorization', admin.auth);
  const list = async (query: Record<string, string>) => (await api('get', '/recommendations').query({ ...query, pageSize: '200' }).expect(200)).body;
  const paragraphs = async (query: Record<string, string>) => (await list({ cycleId: String(cycleId), ...query })).items.map((r: { paragraph: string }) => r.paragraph);
  const importFile = (name: string, content: Buffer, fields: Record<string, string> = {}) => {
    const request = api('post', '/imports');
    for (const [key, value] of Object.entries(fields)) request.field(key, value);
    return request.attach('file', content, name);
  };
  const countRecommendations = async () => Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM recommendation`))[0].n);

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.createUser('admin', 'Coalition Targets');
    cycleId = (await api('post', '/cycles').send({ number: 3, stateUnderReview: 'Chile' }).expect(201)).body.id;
    const rows: [string, Record<string, unknown>][] = [
      ['2.1', { sdgs: [5], sdgTargets: ['Target 5.1'] }],
      ['2.2', { sdgTargets: ['SDG 5.2', '16.a'] }],
      ['2.3', { sdgs: [5] }],
      ['2.4', { sdgs: [16] }],
    ];
    for (const [paragraph, fields] of rows) await api('post', `/cycles/${cycleId}/recommendations`).send({ paragraph, text: `Recommendation ${paragraph}`, ...fields }).expect(201);
  });
  afterAll(async () => t.close());

  it('should store targets as their numbers and answer their goals, the targets and their texts', async () => {
    const { items } = await list({ cycleId: String(cycleId) });
    expect(items.map((r: Record<string, unknown>) => [r.paragraph, r.sdgs, r.sdgTargets])).toEqual([
      ['2.1', [5], ['5.1']],
      // A target implies its goal: 5.2 is goal 5, 16.a goal 16.
      ['2.2', [5, 16], ['5.2', '16.a']],
      ['2.3', [5], []],
      ['2.4', [16], []],
    ]);
    expect(items[0].sdgTargetTitles).toEqual([TARGET_5_1]);
    expect(items[1].sdgTargetTitles[1]).toMatch(/^Strengthen relevant national institutions/);
    const stored = await t.dataSource.query(`SELECT value FROM recommendation_tag WHERE kind = 'sdg' AND recommendation_id = ${Number(items[1].id)} ORDER BY position`);
    expect(stored.map((r: { value: string }) => r.value)).toEqual(['5.2', '16.a']);
  });

  it('should filter by a target in any spelling, and by a goal also where only its targets are tagged', async () => {
    for (const sdg of ['5.1', 'Target 5.1', 'SDG 5.1']) expect({ sdg, found: await paragraphs({ sdg }) }).toEqual({ sdg, found: ['2.1'] });
    expect(await paragraphs({ sdg: '5' })).toEqual(['2.1', '2.2', '2.3']);
    expect(await paragraphs({ sdg: '16' })).toEqual(['2.2', '2.4']);
    expect(await paragraphs({ sdg: '16.a' })).toEqual(['2.2']);
    expect(await paragraphs({ sdg: '5.3' })).toEqual([]);
  });

  it('should refuse an unknown target with 400 naming it with the nearest targets, and write nothing', async () => {
    const before = await countRecommendations();
    const res = await api('post', `/cycles/${cycleId}/recommendations`).send({ text: 'Unknown target', sdgTargets: ['5.1', 'Target 5.9', '18.1'] }).expect(400);
    expect(res.body.details).toEqual([
      { field: 'sdgTargets', value: 'Target 5.9', problem: expect.stringMatching(/not a target/), suggestions: ['5.6', '5.5', '5.4'] },
      { field: 'sdgTargets', value: '18.1', problem: expect.stringMatching(/not a target/), suggestions: expect.any(Array) },
    ]);
    expect(res.body.message).toMatch(/^not an SDG target: sdgTargets "Target 5.9" \(did you mean 5.6, 5.5, 5.4\?\)/);
    expect(await countRecommendations()).toBe(before);
    await api('post', `/cycles/${cycleId}/recommendations`).send({ text: 'A goal', sdgTargets: ['5'] }).expect(400);
  });

  it('should keep the goals when a PATCH sends only targets, and the targets when it sends only goals', async () => {
    const id = (await api('post', `/cycles/${cycleId}/recommendations`).send({ paragraph: '2.9', text: 'Recommendation 2.9', sdgs: [10], sdgTargets: ['10.2'] }).expect(201)).body.id;
    let body = (await api('patch', `/recommendations/${id}`).send({ sdgTargets: ['Target 10.3', '5.c'] }).expect(200)).body;
    expect([body.sdgs, body.sdgTargets]).toEqual([[5, 10], ['10.3', '5.c']]);
    body = (await api('patch', `/recommendations/${id}`).send({ sdgs: [1] }).expect(200)).body;
    expect([body.sdgs, body.sdgTargets]).toEqual([[1, 5, 10], ['10.3', '5.c']]);
    await api('patch', `/recommendations/${id}`).send({ sdgTargets: ['10.9'] }).expect(400);
    body = (await api('patch', `/recommendations/${id}`).send({ sdgTargets: [] }).expect(200)).body;
    expect([body.sdgs, body.sdgTargets]).toEqual([[1], []]);
  });

  it('should read targets in the template CSV, list an unknown one in a dry run with suggestions, refuse the real import, then import', async () => {
    const file = [
      TEMPLATE_HEADER,
      'Peru,3,10.1,Protect women human rights defenders,France,supported,,,5; Target 5.1; SDG 16.10,',
      'Peru,3,10.2,Protect journalists,France,supported,,,Target 16.11,',
    ].join('\n');
    const dry = (await importFile('peru.csv', Buffer.from(file), { format: 'csv', dryRun: 'true' }).expect(201)).body;
    expect(dry).toMatchObject({ dryRun: true, committed: false, recommendations: 2, problems: [] });
    expect(dry.unknownNames).toEqual([{ field: 'sdgTargets', value: 'Target 16.11', suggestions: ['16.10', '16.9', '16.8'] }]);
    const refused = (await importFile('peru.csv', Buffer.from(file), { format: 'csv' }).expect(400)).body;
    expect(refused.message).toMatch(/names match no State, theme or group of persons, or SDG target/);
    expect(Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM review_cycle WHERE state_under_review = 'Peru'`))[0].n)).toBe(0);

    const good = file.replace('Target 16.11', 'Target 16.10');
    expect((await importFile('peru.csv', Buffer.from(good), { format: 'csv' }).expect(201)).body).toMatchObject({ committed: true, created: 2, unknownNames: [] });
    const { items } = await list({ stateUnderReview: 'Peru' });
    expect(items.map((r: Record<string, unknown>) => [r.paragraph, r.sdgs, r.sdgTargets])).toEqual([['10.1', [5, 16], ['5.1', '16.10']], ['10.2', [16], ['16.10']]]);
    // The same file again changes nothing: the stored targets are what it says.
    expect((await importFile('peru.csv', Buffer.from(good), { format: 'csv' }).expect(201)).body).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
  });

  it("should read goals and targets in the current OHCHR lists' SDG cell", async () => {
    const docx = (sdgs: string[]) => currentThematicList({
      title: 'UPR of Uruguay (4th Cycle – 46th session)',
      rows: [
        { theme: 'F12 Discrimination against women' },
        {
          paragraph: '12.1', text: 'Strengthen measures against violence against women', states: '(Spain)', source: 'A/HRC/55/9/Add.1 - Para.3', position: 'Supported',
          themes: ['F12 Discrimination against women'], groups: ['women'], sdgs,
        },
      ],
    });
    const uruguay = (await api('post', '/cycles').send({ number: 4, stateUnderReview: 'Uruguay' }).expect(201)).body.id;
    const withUnknown = docx(['- 5 - GENDER EQUALITY', '- 5.2 - Eliminate all forms of violence against all women and girls', '- Target 5.7']);
    const dry = (await importFile('uruguay.docx', withUnknown, { cycleId: String(uruguay), dryRun: 'true' }).expect(201)).body;
    expect(dry.unknownNames).toEqual([{ field: 'sdgTargets', value: 'Target 5.7', suggestions: ['5.6', '5.5', '5.4'] }]);
    await importFile('uruguay.docx', docx(['- 5 - GENDER EQUALITY', '- 5.2 - Eliminate all forms of violence against all women and girls', '- SDG 16.1']), { cycleId: String(uruguay) }).expect(201);
    const [row] = (await list({ cycleId: String(uruguay) })).items;
    expect([row.sdgs, row.sdgTargets, row.affectedPersons]).toEqual([[5, 16], ['5.2', '16.1'], ['Women']]);
  });

  it('should count a target under its goal in the report, on either database, and list the targets apart', async () => {
    const { body } = await api('get', `/cycles/${cycleId}/report`).query({ format: 'json' }).expect(200);
    const byParagraph = new Map(body.recommendations.map((r: { paragraph: string }) => [r.paragraph, r]));
    expect(byParagraph.get('2.1')).toMatchObject({ sdgs: [5], sdgTargets: ['5.1'] });
    expect(byParagraph.get('2.2')).toMatchObject({ sdgs: [5, 16], sdgTargets: ['5.2', '16.a'] });
    expect(byParagraph.get('2.4')).toMatchObject({ sdgs: [16], sdgTargets: [] });
    const csv = parse((await api('get', `/cycles/${cycleId}/report`).query({ format: 'csv' }).expect(200)).text, { columns: true, bom: true }) as { paragraph: string; sdgs: string }[];
    expect(Object.fromEntries(csv.map((row) => [row.paragraph, row.sdgs]))).toMatchObject({ '2.1': '5; 5.1', '2.2': '5.2; 16.a', '2.4': '16' });
    await api('get', `/cycles/${cycleId}/report`).query({ format: 'xlsx' }).expect(200);
  });

  it('should show each target on the recommendation page with its text', async () => {
    const [first] = (await list({ cycleId: String(cycleId) })).items;
    const page = await WebClient.signIn(t, admin.email);
    const res = await page.send('GET', { path: `/recommendations/${first.id}` });
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<span class="sdg-target" title="${TARGET_5_1}">Target 5.1</span>`);
  });
});
