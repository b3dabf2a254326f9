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
import { createFastifyApp } from './fastify-app';
import { SeedCoalition, seedCoalitions, SeedCycle } from './seed';
import { REVIEWED_STATES } from './vocabulary';

export interface ServerOptions {
  /** What loadConfig reads: the database and the data directory. */
  env: Record<string, string>;
  size: number;
  /** Also serve the status change on a bare node:http server (bench/bare-status-route.ts). */
  bareStatusRoute?: boolean;
  /** Also serve the same application module on NestJS's Fastify adapter (bench/fastify-app.ts). */
  fastify?: boolean;
  /** Coalitions the recommendations are spread over, evenly; the first is the one measured. */
  coalitions: number;
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
  /**
   * The seeded recommendations have ids firstId to firstId + size - 1; the measured coalition's
   * are every `coalitions`-th of them from firstId (see seedCoalitions).
   */
  firstId: number;
  coalitions: number;
  /** How many of the seeded recommendations are the measured coalition's. */
  coalitionSize: number;
  tagRows: number;
  seedSeconds: number;
  /** The bare status route's port, when asked for. */
  barePort?: number;
  /** The Fastify application's port, when asked for. */
  fastifyPort?: number;
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
  const api = `http://127.0.0.1:${port}/${API_PREFIX}`;
  const cycles = await createCycles(api, token);
  // The other coalitions of a hosted service: each with its own admin and the same cycles.
  const others: SeedCoalition[] = [];
  for (let n = 2; n <= options.coalitions; n++) {
    const other = await app.get(UsersService).createWithCoalition(
      { email: `admin${n}@bench.example.org`, name: `Benchmark admin ${n}`, role: 'admin', password: 'a long enough password' },
      `Benchmark coalition ${n}`,
    );
    const otherToken = await app.get(TokensService).create(other.user.id, 'benchmark');
    others.push({ coalitionId: other.user.coalitionId, cycles: await createCycles(api, otherToken.token) });
  }

  const follower = await app.get(UsersService).create(
    { id: user.id, coalitionId: user.coalitionId, role: 'admin', email: user.email, name: user.name },
    { email: 'member@bench.example.org', name: 'Benchmark member', role: 'member', password: 'a long enough password' },
  );

  const started = performance.now();
  const dataSource = app.get(DataSource);
  const { firstId, tagRows } = await seedCoalitions(dataSource, [{ coalitionId: user.coalitionId, cycles }, ...others], options.size);
  // Following is not shown in listings, so it leaves the listing figures alone; it gives every
  // status change someone to tell, i.e. an outbox row written in its transaction, as in real use.
  const p = dataSource.options.type === 'postgres' ? ['$1', '$2'] : ['?', '?'];
  await dataSource.query(
    `INSERT INTO recommendation_follower (recommendation_id, user_id) SELECT id, ${p[0]} FROM recommendation WHERE coalition_id = ${p[1]}`,
    [follower.id, user.coalitionId],
  );
  const seedSeconds = (performance.now() - started) / 1000;
  const bare = options.bareStatusRoute ? await startBareStatusRoute(app) : undefined;
  // A second instance of the application (its own connection to the same database), started after
  // the seeding so that it finds the schema migrated and the data in place.
  const fastify = options.fastify ? await createFastifyApp(config) : undefined;
  if (fastify) await fastify.listen(0, '127.0.0.1');

  const ready: ServerReady = {
    type: 'ready', port, token, coalitionId: user.coalitionId, userId: user.id, followerId: follower.id, cycleIds: cycles.map((c) => c.id),
    firstId, coalitions: options.coalitions, coalitionSize: Math.ceil(options.size / options.coalitions), tagRows, seedSeconds, barePort: bare?.port,
    fastifyPort: fastify ? (fastify.getHttpServer().address() as AddressInfo).port : undefined,
  };
  process.send!(ready);
  const stop = () => void close(app, fastify);
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

async function close(app: INestApplication, fastify?: INestApplication): Promise<void> {
  await fastify?.close();
  await app.close();
  process.exit(0);
}

main(JSON.parse(process.argv[2]) as ServerOptions).catch((error) => {
  console.error(error);
  process.exit(1);
});
