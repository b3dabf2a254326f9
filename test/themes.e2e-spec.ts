// Issue 12, canonical themes, groups of persons and SDGs: every write stores UHRI codes and group
// names, answers carry the names and the codes, filters accept a code, a name or an alias, and an
// unknown theme or group is never stored (400 from the API, unknownNames and refusal from an import).
import { createTestApp, TestApp, TestUser } from './support/test-app';

const UPR_INFO_HEADER = 'To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session';

describe('canonical themes, groups and SDGs', () => {
  let t: TestApp;
  let admin: TestUser;
  let cycleId: number;
  const api = (method: 'get' | 'post' | 'patch', path: string) => t.http[method](`/api/v1${path}`).set('Authorization', admin.auth);
  const list = async (query: Record<string, string>) => (await api('get', '/recommendations').query({ ...query, pageSize: '200' }).expect(200)).body;
  const paragraphs = async (query: Record<string, string>) => (await list({ cycleId: String(cycleId), ...query })).items.map((r: { paragraph: string }) => r.paragraph);
  const importFile = (name: string, content: string, fields: Record<string, string> = {}) => {
    const request = api('post', '/imports');
    for (const [key, value] of Object.entries(fields)) request.field(key, value);
    return request.attach('file', Buffer.from(content, 'utf8'), name);
  };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.createUser('admin', 'Coalition Themes');
    cycleId = (await api('post', '/cycles').send({ number: 3, stateUnderReview: 'Chile' }).expect(201)).body.id;
    const rows: [string, Record<string, unknown>][] = [
      ['1.1', { themes: ['Death penalty', 'A12 Acceptance of international norms'], affectedPersons: ['- general'], sdgs: [16] }],
      ['1.2', { themes: ['D25'], affectedPersons: ['detainees'] }],
      ['1.3', { themes: ["Women's rights"], affectedPersons: ['lesbian, gay, bisexual, transgender and intersex persons (LGBTI)'], sdgs: [5, 10] }],
      ['1.4', { themes: ['D51 Administration of justice and fair trial'] }],
    ];
    for (const [paragraph, fields] of rows) await api('post', `/cycles/${cycleId}/recommendations`).send({ paragraph, text: `Recommendation ${paragraph}`, ...fields }).expect(201);
  });
  afterAll(async () => t.close());

  it('should store codes and group names, and answer names with their codes', async () => {
    const { items } = await list({ cycleId: String(cycleId) });
    expect(items.map((r: Record<string, unknown>) => [r.paragraph, r.themes, r.themeCodes, r.affectedPersons, r.sdgs])).toEqual([
      ['1.1', ['D23 Death penalty', 'A12 Acceptance of international norms'], ['D23', 'A12'], ['General'], [16]],
      ['1.2', ['D25 Prohibition of torture and cruel, inhuman or degrading treatment'], ['D25'], ['Persons deprived of their liberty'], []],
      // UPR Info's "Women's rights" is the theme Women and the group Women.
      ['1.3', ['F1 Women'], ['F1'], ['Lesbian, gay, bisexual, transgender and intersex persons', 'Women'], [5, 10]],
      ['1.4', ['D51 Administration of justice & fair trial'], ['D51'], [], []],
    ]);
    const stored = await t.dataSource.query(`SELECT DISTINCT value FROM recommendation_tag WHERE kind = 'theme' ORDER BY value`);
    expect(stored.map((r: { value: string }) => r.value)).toEqual(['A12', 'D23', 'D25', 'D51', 'F1']);
  });

  it('should filter by a theme code (and those beneath it), a name or an alias, by a group and by an SDG', async () => {
    for (const theme of ['D23', 'd23', 'Death penalty', 'D23 Death penalty', 'death  penalty']) expect({ theme, found: await paragraphs({ theme }) }).toEqual({ theme, found: ['1.1'] });
    expect(await paragraphs({ theme: 'D' })).toEqual(['1.1', '1.2', '1.4']);
    expect(await paragraphs({ theme: 'D2' })).toEqual(['1.1', '1.2']);
    expect(await paragraphs({ theme: 'Torture and other CID treatment' })).toEqual(['1.2']);
    expect(await paragraphs({ theme: 'No such theme' })).toEqual([]);
    for (const group of ['Women', '- women', 'WOMEN']) expect({ group, found: await paragraphs({ group }) }).toEqual({ group, found: ['1.3'] });
    expect(await paragraphs({ group: 'LGBTI' })).toEqual(['1.3']);
    for (const sdg of ['5', 'SDG 5', 'Goal 5', 'Gender equality', '- 5 - GENDER EQUALITY']) expect({ sdg, found: await paragraphs({ sdg }) }).toEqual({ sdg, found: ['1.3'] });
    expect(await paragraphs({ sdg: '16', theme: 'A12' })).toEqual(['1.1']);
  });

  it('should refuse an unknown theme or group with 400 naming each with suggestions, and write nothing', async () => {
    const before = await t.dataSource.query(`SELECT COUNT(*) AS n FROM recommendation`);
    const res = await api('post', `/cycles/${cycleId}/recommendations`).send({ text: 'Unknown', themes: ['Death penalties', 'D23'], affectedPersons: ['Martians'] }).expect(400);
    expect(res.body.details).toEqual([
      { field: 'themes', value: 'Death penalties', problem: expect.any(String), suggestions: expect.arrayContaining(['D23 Death penalty']) },
      { field: 'affectedPersons', value: 'Martians', problem: expect.any(String), suggestions: expect.any(Array) },
    ]);
    expect(await t.dataSource.query(`SELECT COUNT(*) AS n FROM recommendation`)).toEqual(before);
    const [first] = (await list({ cycleId: String(cycleId) })).items;
    await api('patch', `/recommendations/${first.id}`).send({ themes: ['Nothing of the sort'] }).expect(400);
    const patched = (await api('patch', `/recommendations/${first.id}`).send({ themes: ['Torture'] }).expect(200)).body;
    // A PATCH of themes alone leaves the groups as they are.
    expect([patched.themes, patched.themeCodes, patched.affectedPersons]).toEqual([['D25 Prohibition of torture and cruel, inhuman or degrading treatment'], ['D25'], ['General']]);
  });

  it('should list unknown issues in an import dry run with suggestions, refuse the real import, and import canonical themes', async () => {
    const file = [
      UPR_INFO_HEADER,
      'Peru,GRULAC,,Abolish the death penalty,France,WEOG,,Accepted,5,"Death penalty,Rights of the Child",10',
      'Peru,GRULAC,,Protect space,France,WEOG,,Accepted,5,Outer space law,10',
    ].join('\n');
    const dry = (await importFile('peru.csv', file, { dryRun: 'true' }).expect(201)).body;
    expect(dry).toMatchObject({ dryRun: true, committed: false, recommendations: 2 });
    expect(dry.unknownNames).toEqual([{ field: 'themes', value: 'Outer space law', suggestions: expect.any(Array) }]);
    const refused = (await importFile('peru.csv', file).expect(400)).body;
    expect(refused.message).toMatch(/names match no State, theme or group of persons/);
    expect(Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM review_cycle WHERE state_under_review = 'Peru'`))[0].n)).toBe(0);

    const good = file.split('\n').slice(0, 2).join('\n');
    expect((await importFile('peru.csv', good).expect(201)).body).toMatchObject({ committed: true, created: 1, unknownNames: [] });
    const [peru] = (await list({ stateUnderReview: 'Peru' })).items;
    expect([peru.themes, peru.themeCodes, peru.affectedPersons]).toEqual([['D23 Death penalty', 'F3 Children'], ['D23', 'F3'], ['Children']]);
    expect((await list({ theme: 'D23' })).items.map((r: { id: number }) => r.id)).toContain(peru.id);
  });
});
