import { INestApplicationContext } from '@nestjs/common';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '../config/app.config';
import { MIGRATIONS } from '../migrations';
import { AppModule } from '../src/app.module';
import { CliError } from '../src/cli/cli-error';
import { buildProgram } from '../src/cli/commands';
import { TokensService } from '../src/accounts/tokens.service';
import { CyclesRepository } from '../src/cycles/cycles.repository';
import { createTestDatabase, TestDatabase } from './support/test-database';
import { UHRI_TREATY_BODY_ROW, UHRI_UPR_ROW, uhriWorkbook } from './support/uhri-workbook';

describe('command line', () => {
  let database: TestDatabase;
  let app: INestApplicationContext | undefined;
  let output: string[];

  // The same command tree as src/cli.ts, run in-process against a fresh database.
  const run = async (...args: string[]) => {
    output = [];
    const boot = async () => {
      app ??= await NestFactory.createApplicationContext(AppModule.register(loadConfig({ ...database.env, NOTIFY_DISPATCH: 'off' })), { logger: false });
      return app;
    };
    const program = buildProgram(boot, (line) => output.push(line));
    program.configureOutput({ writeOut: (s) => output.push(s), writeErr: (s) => output.push(s) });
    await program.parseAsync(['node', 'cli', ...args]);
    return output.join('\n');
  };

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await app?.close();
    await database.drop();
  });

  it('should bring the database up to date when asked to migrate', async () => {
    await expect(run('migrate')).resolves.toMatch(new RegExp(`up to date: ${MIGRATIONS.length} migrations applied`));
  });

  it('should create the first admin and the coalition', async () => {
    const out = await run('user', 'create', '--email', 'Admin@Example.org', '--name', 'Ada', '--role', 'admin', '--password', 'a long enough password', '--coalition', 'US Human Rights Network');
    expect(out).toMatch(/Created coalition "US Human Rights Network"/);
    expect(out).toMatch(/Created admin admin@example.org/);
  });

  it('should put a second user into the only coalition without --coalition', async () => {
    const out = await run('user', 'create', '--email', 'coord@example.org', '--name', 'Cora', '--role', 'coordinator', '--password', 'a long enough password');
    expect(out).toMatch(/Created coordinator coord@example.org .* in coalition "US Human Rights Network"/);
  });

  it('should refuse a short password and a duplicate email, naming the option', async () => {
    await expect(run('user', 'create', '--email', 'x@example.org', '--name', 'X', '--role', 'member', '--password', 'short')).rejects.toThrow(/--password: password must be at least 12 characters/);
    await expect(run('user', 'create', '--email', 'coord@example.org', '--name', 'X', '--role', 'member', '--password', 'a long enough password')).rejects.toThrow(/already exists/);
  });

  it('should refuse an unknown role before touching the database', async () => {
    await expect(run('user', 'create', '--email', 'x@example.org', '--name', 'X', '--role', 'boss', '--password', 'a long enough password')).rejects.toThrow(/Allowed choices are admin, coordinator, member/);
  });

  it('should print a token once that authenticates, and revoke it', async () => {
    const out = await run('token', 'create', '--email', 'admin@example.org');
    const token = out.split('\n')[1];
    expect(token).toMatch(/^upr_[\w-]{40,}$/);
    const tokens = app!.get(TokensService);
    await expect(tokens.authenticate(token)).resolves.toMatchObject({ email: 'admin@example.org', role: 'admin' });
    const id = out.match(/Token (\d+)/)![1];
    await run('token', 'revoke', '--email', 'admin@example.org', '--id', id);
    await expect(tokens.authenticate(token)).resolves.toBeNull();
  });

  it('should refuse a token for an unknown email', async () => {
    const error = await run('token', 'create', '--email', 'nobody@example.org').catch((e) => e);
    expect(error).toBeInstanceOf(CliError);
    expect(error.message).toBe('--email: no user has the email nobody@example.org');
  });

  it('should import the good rows of a UHRI export with --partial and list the treaty body row it rejects, and nothing without it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cli-import-'));
    const file = join(dir, 'uhri-export.xlsx');
    await writeFile(file, await uhriWorkbook([UHRI_TREATY_BODY_ROW, UHRI_UPR_ROW]));
    try {
      const refused = await run('import', file);
      expect(process.exitCode).toBe(1);
      expect(refused).toMatch(/^Nothing was imported/);
      expect(refused).toMatch(/line 2 \(cycle\): the row names no UPR session or cycle of Chile/);
      process.exitCode = undefined;

      const summary = JSON.parse(await run('import', file, '--partial', '--json'));
      expect(process.exitCode).toBeUndefined();
      expect(summary).toMatchObject({ committed: true, created: 1, rejected: 1, cyclesCreated: 1, problems: [{ line: 2, field: 'cycle' }] });
      expect(summary.problems[0].problem).toMatch(/treaty body/);
    } finally {
      process.exitCode = undefined;
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('should create a cycle of the State any spelling or code names, and refuse a name that is no State with the closest States', async () => {
    const out = await run('cycle', 'create', '--number', '3', '--state', 'ivory coast', '--session', '33');
    const id = Number(out.match(/^Created cycle (\d+): Côte d'Ivoire, UPR cycle 3 \(CIV\)\.$/)?.[1]);
    expect(id).toBeGreaterThan(0);
    const cycles = (await app!.get(CyclesRepository).listForCoalition((await app!.get(CyclesRepository).findById(id))!.coalitionId)).map((c) => [c.stateUnderReview, c.number, c.session]);
    expect(cycles).toContainEqual(["Côte d'Ivoire", 3, '33']);
    await expect(run('cycle', 'create', '--number', '3', '--state', 'Republic of Atlantis')).rejects.toThrow(/^--state: not a State: "Republic of Atlantis"/);
    await expect(run('cycle', 'create', '--number', '3', '--state', 'Republc of Chile')).rejects.toThrow(/did you mean Chile/);
    await expect(run('cycle', 'create', '--number', 'three', '--state', 'Chile')).rejects.toThrow(/^--number: /);
    expect((await app!.get(CyclesRepository).listForCoalition((await app!.get(CyclesRepository).findById(id))!.coalitionId)).length).toBe(cycles.length);
  });

  it('should describe every command and its options in --help', async () => {
    await expect(run('user', 'create', '--help')).rejects.toMatchObject({ code: 'commander.helpDisplayed' });
    const program = buildProgram(async () => app!, () => undefined);
    const leaves = program.commands.flatMap((c) => (c.commands.length > 0 ? c.commands : [c]));
    expect(leaves.map((c) => c.name()).sort()).toEqual(['add', 'backup', 'close', 'create', 'create', 'create', 'decide', 'disable', 'dispatch', 'enable', 'import', 'list', 'migrate', 'remove', 'report', 'revoke', 'rotate-key', 'show', 'status', 'suggest']);
    for (const command of leaves) {
      expect(command.description()).not.toBe('');
      expect(command.helpInformation()).toMatch(/-h, --help/);
    }
    expect(leaves.find((c) => c.parent?.name() === 'user')!.helpInformation()).toMatch(/--coalition <name>/);
  });
});
