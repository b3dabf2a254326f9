import { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { type AppConfig, loadConfig } from '../../config/app.config';
import { TokensService } from '../../src/accounts/tokens.service';
import { UsersService } from '../../src/accounts/users.service';
import type { Role } from '../../src/auth/role';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { createMigratedTestDatabase, createTestDatabase, TestDatabase } from './test-database';
import { TestClock } from './test-clock';

export interface TestUser {
  id: number;
  coalitionId: number;
  email: string;
  role: Role;
  token: string;
  /** Authorization header value. */
  auth: string;
}

export interface TestApp {
  app: INestApplication;
  http: ReturnType<typeof request>;
  dataSource: DataSource;
  config: AppConfig;
  clock: TestClock;
  database: TestDatabase;
  createUser(role: Role, coalition?: string, email?: string): Promise<TestUser>;
  close(): Promise<void>;
}

let counter = 0;

export interface TestAppOptions {
  /**
   * Boot on this existing database instead of a fresh one (e.g. two instances sharing one
   * database); its owner drops it, close() leaves it in place.
   */
  database?: TestDatabase;
  /**
   * Boot on a new, empty database, so that the application's start runs every migration from
   * empty (by default a new database is a copy of the run's migrated template).
   */
  emptyDatabase?: boolean;
  /** Where the application logs (default: errors only, to the console); a test that reads the log passes its own. */
  logger?: LoggerService;
}

/** The whole application, on a fresh real database (or a given one), listening on an ephemeral port. */
export async function createTestApp(extraEnv: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (options.emptyDatabase ? await createTestDatabase() : await createMigratedTestDatabase());
  const ownsDatabase = !options.database;
  // The background dispatcher is off unless a test asks for it: tests dispatch by hand, on their clock.
  const config = loadConfig({ NOTIFY_DISPATCH: 'off', ...database.env, ...extraEnv });
  const clock = new TestClock();
  const app = await NestFactory.create(AppModule.register(config, { clock }), { logger: options.logger ?? ['error'], bodyParser: false });
  configureApp(app, config);
  await app.init();
  const users = app.get(UsersService);
  const tokens = app.get(TokensService);
  return {
    app,
    http: request(app.getHttpServer()),
    dataSource: app.get(DataSource),
    config,
    clock,
    database,
    async createUser(role, coalition = 'Coalition A', email) {
      counter += 1;
      const address = email ?? `${role}${counter}@${coalition.toLowerCase().replace(/\W+/g, '-')}.example.org`;
      const { user } = await users.createWithCoalition({ email: address, name: `${role} ${counter}`, role, password: 'a long enough password' }, coalition);
      const { token } = await tokens.create(user.id, 'test');
      return { id: user.id, coalitionId: user.coalitionId, email: user.email, role, token, auth: `Bearer ${token}` };
    },
    async close() {
      await app.close();
      if (ownsDatabase) await database.drop();
    },
  };
}
