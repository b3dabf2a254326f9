// The application under test, in its own process (forked by run.ts) so that the load generator does
// not share its event loop: on a 2-core machine that is one core each, as in production.
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app.config';
import { TokensService } from '../src/accounts/tokens.service';
import { UsersService } from '../src/accounts/users.service';
import { AppModule } from '../src/app.module';
import { API_PREFIX, configureApp } from '../src/app.setup';
import { startBareStatusRoute } from './bare-status-route';
import { SeedCycle, seedRecommendations } from './seed';
import { REVIEWED_STATES } from './vocabulary';

export interface ServerOptions {
  /** What loadConfig reads: the database and the data directory. */
  env: Record<string, string>;
  size: number;
  /** Also serve the status change on a bare node:http server (bench/bare-status-route.ts). */
  bareStatusRoute?: boolean;
}

export interface CpuReport {
  type: 'cpu';
  usage: NodeJS.CpuUsage;
}

export interface ServerReady {
  type: 'ready';
  port: number;
  token: string;
  coalitionId: number;
  /** The admin the token belongs to: the one who changes statuses. */
  userId: number;
  /** A member who follows every recommendation, so that each status change plans one notification. */
  followerId: number;
  cycleIds: number[];
  /** The seeded recommendations have ids firstId to firstId + size - 1. */
  firstId: number;
  tagRows: number;
  seedSeconds: number;
  /** The bare status route's port, when asked for. */
  barePort?: number;
}

async function main(options: ServerOptions): Promise<void> {
  const config = loadConfig(options.env);
  const app = await NestFactory.create(AppModule.register(config), { logger: false, bodyParser: false });
  configureApp(app, config);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;

  const { user } = await app.get(UsersService).createWithCoalition(
    { email: 'admin@bench.example.org', name: 'Benchmark admin', role: 'admin', password: 'a long enough password' },
    'Benchmark coalition',
  );
  const { token } = await app.get(TokensService).create(user.id, 'benchmark');
  const cycles = await createCycles(`http://127.0.0.1:${port}/${API_PREFIX}`, token);

  const follower = await app.get(UsersService).create(
    { id: user.id, coalitionId: user.coalitionId, role: 'admin', email: user.email, name: user.name },
    { email: 'member@bench.example.org', name: 'Benchmark member', role: 'member', password: 'a long enough password' },
  );

  const started = performance.now();
  const dataSource = app.get(DataSource);
  const { firstId, tagRows } = await seedRecommendations(dataSource, user.coalitionId, cycles, options.size);
  // Following is not shown in listings, so it leaves the listing figures alone; it gives every
  // status change someone to tell, i.e. an outbox row written in its transaction, as in real use.
  const p = dataSource.options.type === 'postgres' ? ['$1', '$2'] : ['?', '?'];
  await dataSource.query(
    `INSERT INTO recommendation_follower (recommendation_id, user_id) SELECT id, ${p[0]} FROM recommendation WHERE coalition_id = ${p[1]}`,
    [follower.id, user.coalitionId],
  );
  const seedSeconds = (performance.now() - started) / 1000;
  const bare = options.bareStatusRoute ? await startBareStatusRoute(app) : undefined;

  const ready: ServerReady = {
    type: 'ready', port, token, coalitionId: user.coalitionId, userId: user.id, followerId: follower.id, cycleIds: cycles.map((c) => c.id),
    firstId, tagRows, seedSeconds, barePort: bare?.port,
  };
  process.send!(ready);
  const stop = () => void close(app);
  // 'cpu' asks for this process's CPU time so far (all threads), so the benchmark can tell the
  // application's CPU per request; any other message stops the server.
  process.on('message', (message) => {
    if (message === 'cpu') process.send!({ type: 'cpu', usage: process.cpuUsage() } satisfies CpuReport);
    else stop();
  });
  process.on('disconnect', stop);
}

/** Through the API, as a coordinator would: every State under review in UPR cycles 1 to 4. */
async function createCycles(api: string, token: string): Promise<SeedCycle[]> {
  const cycles: SeedCycle[] = [];
  for (const stateUnderReview of REVIEWED_STATES) {
    for (const number of [1, 2, 3, 4]) {
      const response = await fetch(`${api}/cycles`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ mechanism: 'upr', number, stateUnderReview }),
      });
      if (response.status !== 201) throw new Error(`POST /cycles answered ${response.status}: ${await response.text()}`);
      const { id } = (await response.json()) as { id: number };
      cycles.push({ id, number });
    }
  }
  return cycles;
}

async function close(app: INestApplication): Promise<void> {
  await app.close();
  process.exit(0);
}

main(JSON.parse(process.argv[2]) as ServerOptions).catch((error) => {
  console.error(error);
  process.exit(1);
});
