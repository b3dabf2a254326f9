import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { CliError } from '../src/cli/cli-error';
import { buildProgram } from '../src/cli/commands';
import { changeStatus } from './support/notification-fixtures';
import { createTestApp, TestApp, TestUser } from './support/test-app';
import { TestDatabase } from './support/test-database';

/** What a restore must bring back, read through the API. */
interface Snapshot {
  recommendation: unknown;
  evidence: unknown;
  cycles: unknown;
  me: unknown;
}

/** The data a coalition would miss most: a recommendation with its history, evidence (a file among it), people. */
async function createData(t: TestApp): Promise<{ admin: TestUser; coordinator: TestUser; member: TestUser; recommendationId: number; fileBytes: Buffer; fileEvidenceId: number }> {
  const admin = await t.createUser('admin');
  const coordinator = await t.createUser('coordinator');
  const member = await t.createUser('member');
  const cycle = await t.http.post('/api/v1/cycles').set('Authorization', admin.auth).send({ number: 4, stateUnderReview: 'United States of America' }).expect(201);
  const rec = await t.http.post(`/api/v1/cycles/${cycle.body.id}/recommendations`).set('Authorization', coordinator.auth)
    .send({ paragraph: '26.49', text: 'Ratify the Optional Protocol to the ICESCR', response: 'supported', themes: ['A12 Acceptance of international norms'] }).expect(201);
  const recommendationId = rec.body.id as number;
  await changeStatus(t, coordinator, recommendationId, 'in_progress', 'Bill introduced');
  const fileBytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(2048), Buffer.from('\n%%EOF\n')]);
  const file = await t.http.post(`/api/v1/recommendations/${recommendationId}/evidence`).set('Authorization', coordinator.auth)
    .field('kind', 'document').field('title', 'Shadow report').attach('file', fileBytes, 'shadow-report.pdf').expect(201);
  await t.http.post(`/api/v1/recommendations/${recommendationId}/evidence`).set('Authorization', coordinator.auth)
    .send({ kind: 'testimony', title: 'Testimony of a detainee', url: 'https://example.org/t/1', confidential: true }).expect(201);
  await changeStatus(t, coordinator, recommendationId, 'partially_implemented', 'Passed one chamber', [file.body.id]);
  await t.http.post(`/api/v1/recommendations/${recommendationId}/follow`).set('Authorization', member.auth).expect(201);
  return { admin, coordinator, member, recommendationId, fileBytes, fileEvidenceId: file.body.id };
}

async function snapshot(t: TestApp, by: TestUser, recommendationId: number): Promise<Snapshot> {
  const get = async (path: string) => (await t.http.get(path).set('Authorization', by.auth).expect(200)).body;
  return {
    recommendation: await get(`/api/v1/recommendations/${recommendationId}`),
    evidence: await get(`/api/v1/recommendations/${recommendationId}/evidence`),
    cycles: await get('/api/v1/cycles'),
    me: await get('/api/v1/me'),
  };
}

describe('backup and restore', () => {
  let source: TestApp;
  let data: Awaited<ReturnType<typeof createData>>;
  let before: Snapshot;
  let output: string[];

  // The same command tree as src/cli.ts, in-process, on the source's configuration.
  const cli = async (...args: string[]): Promise<string> => {
    output = [];
    const program = buildProgram(() => Promise.reject(new Error('backup must not boot the application')), (line) => output.push(line), () => source.config.database);
    program.configureOutput({ writeOut: (s) => output.push(s), writeErr: (s) => output.push(s) });
    await program.parseAsync(['node', 'cli', ...args]);
    return output.join('\n');
  };

  beforeAll(async () => {
    source = await createTestApp();
    data = await createData(source);
    before = await snapshot(source, data.coordinator, data.recommendationId);
  }, 60_000);

  afterAll(async () => {
    await source?.close();
  });

  if (process.env.DATABASE_URL?.startsWith('postgres')) {
    // PostgreSQL is backed up with its own tools: the command says how, and the documented commands restore.
    it('should refuse and print the exact pg_dump and pg_restore commands when the database is PostgreSQL', async () => {
      const out = join(source.database.dataDir, 'backup.dump');
      const error = await cli('backup', '--out', out).catch((e) => e);
      expect(error).toBeInstanceOf(CliError);
      const schema = source.config.database.type === 'postgres' ? source.config.database.schema : undefined;
      expect(error.message).toContain(`pg_dump --format=custom --no-owner --schema=${schema} --file=${out} "$DATABASE_URL"`);
      expect(error.message).toContain(`pg_restore --no-owner --exit-on-error --dbname="$DATABASE_URL" ${out}`);
      expect(error.message).not.toMatch(/postgres:\/\//);
      expect(existsSync(out)).toBe(false);
    });

    it('should bring back every recommendation, history row, evidence item and token when the documented pg_dump output is restored into another database', async () => {
      const url = process.env.DATABASE_URL!;
      const schema = (source.config.database as { schema: string }).schema;
      const out = join(source.database.dataDir, 'backup.dump');
      execFileSync('pg_dump', ['--format=custom', '--no-owner', `--schema=${schema}`, `--file=${out}`, url], { stdio: 'pipe' });
      const restoredName = `restore_${randomBytes(5).toString('hex')}`;
      const admin = new Client({ connectionString: url });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${restoredName}`);
      const restoredUrl = new URL(url);
      restoredUrl.pathname = `/${restoredName}`;
      let restored: TestApp | undefined;
      try {
        execFileSync('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${restoredUrl}`, out], { stdio: 'pipe' });
        const database: TestDatabase = { ...source.database, env: { ...source.database.env, DATABASE_URL: restoredUrl.toString() }, drop: async () => undefined };
        restored = await createTestApp({}, { database });
        await expectRestored(restored);
      } finally {
        await restored?.close();
        await admin.query(`DROP DATABASE ${restoredName} WITH (FORCE)`);
        await admin.end();
      }
    });
  } else {
    it('should copy the database online, print its size and counts, and refuse to overwrite without --force', async () => {
      const out = join(source.database.dataDir, 'backup.sqlite');
      const printed = await cli('backup', '--out', out);
      expect(printed).toMatch(new RegExp(`Backed up .*test\\.sqlite to ${escape(out)} \\(\\d+\\.\\d (KB|MB)\\)`));
      expect(printed).toMatch(/It holds 1 coalitions, 3 users, 1 review cycles, 1 recommendations, 2 status changes, 2 evidence items, 0 deadlines, \d+ notifications\./);
      expect(printed).toMatch(/Evidence files are not in it: copy the folder DATA_DIR\/evidence/);

      // An existing file is kept, byte for byte, unless --force.
      writeFileSync(out, 'an older backup');
      const refused = await cli('backup', '--out', out).catch((e) => e);
      expect(refused).toBeInstanceOf(CliError);
      expect(refused.message).toBe(`--out: ${out} already exists; add --force to replace it`);
      expect(readFileSync(out, 'utf8')).toBe('an older backup');
      await expect(cli('backup', '--out', out, '--force')).resolves.toMatch(/Backed up/);
      expect(statSync(out).size).toBeGreaterThan(4096);
    });

    it('should refuse to write over the database itself or into a folder that does not exist', async () => {
      const database = source.config.database as { path: string };
      await expect(cli('backup', '--out', database.path, '--force')).rejects.toThrow('--out: that is the database itself; name another file');
      await expect(cli('backup', '--out', join(source.database.dataDir, 'missing', 'b.sqlite'))).rejects.toThrow(/--out: the folder .*missing does not exist/);
    });

    it('should bring back every recommendation, history row, evidence item and token when the service starts on the backup', async () => {
      const out = join(source.database.dataDir, 'restore-me.sqlite');
      await cli('backup', '--out', out);
      // Written after the backup: must not be in it.
      await changeStatus(source, data.coordinator, data.recommendationId, 'regressed', 'Repealed after the backup');
      const database: TestDatabase = { ...source.database, env: { ...source.database.env, DATABASE_URL: `sqlite:${out}` }, drop: async () => undefined };
      const restored = await createTestApp({}, { database });
      try {
        await expectRestored(restored);
      } finally {
        await restored.close();
      }
    });
  }

  /** The restored service answers exactly what the source answered before the backup. */
  async function expectRestored(restored: TestApp): Promise<void> {
    // Every user still authenticates with the token they had.
    for (const user of [data.admin, data.coordinator, data.member]) {
      const me = await restored.http.get('/api/v1/me').set('Authorization', user.auth).expect(200);
      expect(me.body.email).toBe(user.email);
    }
    // The recommendation with its whole history, the evidence rows (the confidential one too) and the cycles.
    await expect(snapshot(restored, data.coordinator, data.recommendationId)).resolves.toEqual(before);
    const history = (before.recommendation as { history: { note: string }[] }).history.map((h) => h.note);
    expect(history).toEqual(expect.arrayContaining(['Bill introduced', 'Passed one chamber']));
    expect((before.evidence as { items: unknown[] }).items.length).toBe(2);
    // The uploaded file is served from DATA_DIR by its hash.
    const file = await restored.http.get(`/api/v1/evidence/${data.fileEvidenceId}/file`).set('Authorization', data.member.auth)
      .buffer(true).parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      }).expect(200);
    expect(Buffer.compare(file.body as Buffer, data.fileBytes)).toBe(0);
  }
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
