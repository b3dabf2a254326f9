// Issue 12, coalition aliases of themes and groups of persons: an admin adds the name a coalition's
// files use (API, command line); an import that refused the name then stores the canonical code, the
// API's writes and filters accept it, for that coalition only, and a shipped name keeps its meaning.
import { buildProgram } from '../src/cli/commands';
import { createTestApp, TestApp, TestUser } from './support/test-app';

const UPR_INFO_HEADER = 'To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session';

describe('coalition aliases of themes and groups of persons', () => {
  let t: TestApp;
  let admin: TestUser;
  const api = (method: 'get' | 'post' | 'delete', path: string, user = admin) => t.http[method](`/api/v1${path}`).set('Authorization', user.auth);
  const list = async (query: Record<string, string>, user = admin) => (await api('get', '/recommendations', user).query({ ...query, pageSize: '200' }).expect(200)).body;
  const importFile = (content: string, fields: Record<string, string> = {}, user = admin) => {
    const request = api('post', '/imports', user);
    for (const [key, value] of Object.entries(fields)) request.field(key, value);
    return request.attach('file', Buffer.from(content, 'utf8'), 'samoa.csv');
  };
  const cli = async (...args: string[]) => {
    const output: string[] = [];
    await buildProgram(async () => t.app, (line) => output.push(line)).parseAsync(['node', 'cli', ...args]);
    return output.join('\n');
  };
  const file = [
    UPR_INFO_HEADER,
    'Samoa,Asia-Pacific,,Abolish capital punishment in law,France,WEOG,,Accepted,5,Abolition of capital punishment,10',
    'Samoa,Asia-Pacific,,Ratify OP-CAT,Chile,GRULAC,,Noted,4,"Torture,Ill-treatment by police",10',
  ].join('\n');

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.createUser('admin', 'Coalition Theme Aliases');
  });
  afterAll(async () => t.close());

  it('should turn the names an import refused into canonical codes once the coalition adds aliases (API and command line)', async () => {
    const dry = (await importFile(file, { dryRun: 'true' }).expect(201)).body;
    expect(dry.unknownNames.map((u: { field: string; value: string }) => [u.field, u.value])).toEqual([['themes', 'Abolition of capital punishment'], ['themes', 'Ill-treatment by police']]);
    expect((await importFile(file).expect(400)).body.message).toMatch(/\/api\/v1\/admin\/theme-aliases/);

    const added = (await api('post', '/admin/theme-aliases').send({ theme: 'd23', alias: 'Abolition of capital punishment' }).expect(201)).body;
    expect(added).toMatchObject({ kind: 'theme', alias: 'Abolition of capital punishment', target: 'D23', label: 'D23 Death penalty' });
    await expect(cli('alias', 'add', '--coalition', 'Coalition Theme Aliases', '--theme', 'Torture', '--alias', 'Ill-treatment by police'))
      .resolves.toMatch(/\(theme\): "Ill-treatment by police" now names D25 Prohibition of torture and cruel, inhuman or degrading treatment/);
    const listed = (await api('get', '/admin/theme-aliases').query({ page: '1', pageSize: '1' }).expect(200)).body;
    expect(listed).toMatchObject({ total: 2, page: 1, pageSize: 1, items: [{ alias: 'Abolition of capital punishment' }] });

    const summary = (await importFile(file).expect(201)).body;
    expect(summary).toMatchObject({ committed: true, created: 2, unknownNames: [] });
    const { items } = await list({ stateUnderReview: 'Samoa' });
    expect(items.map((r: { themeCodes: string[] }) => r.themeCodes)).toEqual([['D23'], ['D25']]);
    // The filters accept the coalition's names too.
    expect((await list({ theme: 'Abolition of capital punishment' })).total).toBe(1);
    expect((await list({ theme: 'Ill-treatment by police' })).items.map((r: { text: string }) => r.text)).toEqual(['Ratify OP-CAT']);
  });

  it('should accept a group alias in writes and filters, list it on the command line, and keep it to the coalition', async () => {
    const cycleId = (await api('post', '/cycles').send({ number: 2, stateUnderReview: 'Fiji' }).expect(201)).body.id;
    await api('post', `/cycles/${cycleId}/recommendations`).send({ text: 'Protect fishers', affectedPersons: ['Small-scale fishers'] }).expect(400);
    await expect(cli('alias', 'add', '--coalition', 'Coalition Theme Aliases', '--group', '- persons living in rural areas', '--alias', 'Small-scale fishers'))
      .resolves.toMatch(/\(group\): "Small-scale fishers" now names Persons living in rural areas/);
    const created = (await api('post', `/cycles/${cycleId}/recommendations`).send({ text: 'Protect fishers', affectedPersons: ['Small-scale fishers'] }).expect(201)).body;
    expect(created.affectedPersons).toEqual(['Persons living in rural areas']);
    expect((await list({ group: 'Small-scale fishers' })).items.map((r: { id: number }) => r.id)).toEqual([created.id]);
    await expect(cli('alias', 'list', '--coalition', 'Coalition Theme Aliases')).resolves.toMatch(/\tSmall-scale fishers\tgroup\tPersons living in rural areas/);

    const stranger = await t.createUser('admin', 'Coalition Elsewhere');
    const theirs = (await importFile(file, { dryRun: 'true' }, stranger).expect(201)).body;
    expect(theirs.unknownNames.map((u: { value: string }) => u.value)).toEqual(['Abolition of capital punishment', 'Ill-treatment by police']);
    expect((await api('get', '/admin/theme-aliases', stranger).expect(200)).body.total).toBe(0);
    const group = (await api('get', '/admin/theme-aliases').expect(200)).body.items.find((a: { kind: string }) => a.kind === 'group');
    await api('delete', `/admin/theme-aliases/${group.id}`, stranger).expect(404);
    await expect(cli('alias', 'remove', '--coalition', 'Coalition Theme Aliases', '--kind', 'group', '--id', String(group.id))).resolves.toBe(`Alias ${group.id} removed.`);
    await api('post', `/cycles/${cycleId}/recommendations`).send({ text: 'Protect fishers again', affectedPersons: ['Small-scale fishers'] }).expect(400);
  });

  it('should refuse a shipped name, a duplicate, an unknown theme or group, and both or neither, naming the problem', async () => {
    const shipped = await api('post', '/admin/theme-aliases').send({ theme: 'D25', alias: 'Death penalty' }).expect(409);
    expect(shipped.body.message).toBe('alias: "Death penalty" already names theme D23 Death penalty');
    const group = await api('post', '/admin/theme-aliases').send({ group: 'Children', alias: 'women' }).expect(409);
    expect(group.body.message).toMatch(/^alias: "women" already names theme F1 Women$/);
    const duplicate = await api('post', '/admin/theme-aliases').send({ theme: 'D25', alias: 'abolition of CAPITAL punishment' }).expect(409);
    expect(duplicate.body.message).toBe('alias: "abolition of CAPITAL punishment" already names theme D23 Death penalty');
    const unknownTheme = await api('post', '/admin/theme-aliases').send({ theme: 'Z99', alias: 'Space' }).expect(400);
    expect(unknownTheme.body.details[0]).toMatchObject({ field: 'theme', problem: expect.stringMatching(/^"Z99" is not a UHRI theme/) });
    const unknownGroup = await api('post', '/admin/theme-aliases').send({ group: 'Martians', alias: 'Little green people' }).expect(400);
    expect(unknownGroup.body.message).toMatch(/^group: "Martians" is not a UHRI group of persons/);
    await api('post', '/admin/theme-aliases').send({ theme: 'D23', group: 'Women', alias: 'Both' }).expect(400);
    await api('post', '/admin/theme-aliases').send({ alias: 'Neither' }).expect(400);
    await expect(cli('alias', 'add', '--coalition', 'Coalition Theme Aliases', '--theme', 'D23', '--group', 'Women', '--alias', 'Both')).rejects.toThrow(/give one of --state, --theme and --group/);
    expect((await api('get', '/admin/theme-aliases').expect(200)).body.total).toBe(2);
  });

  it('should record additions and removals in the audit trail, from the API and the command line', async () => {
    const added = (await api('post', '/admin/theme-aliases').send({ group: 'Women', alias: 'Femmes' }).expect(201)).body;
    await api('delete', `/admin/theme-aliases/${added.id}`).expect(204);
    const trail = (await api('get', '/audit').query({ entity: 'vocabulary_alias', entityId: String(added.id) }).expect(200)).body.items;
    expect(trail.map((e: { action: string; actorId: number | null }) => [e.action, e.actorId])).toEqual([['removed', admin.id], ['added', admin.id]]);
    const all = (await api('get', '/audit').query({ entity: 'vocabulary_alias', pageSize: '100' }).expect(200)).body.items;
    // Two added from the command line, one removed from it: no person recorded.
    expect(all.filter((e: { actorId: number | null }) => e.actorId === null).map((e: { action: string }) => e.action).sort()).toEqual(['added', 'added', 'removed']);
  });
});
