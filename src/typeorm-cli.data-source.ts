// Used only by the TypeORM command line (migration:generate, migration:show), e.g.
//   npx typeorm -d dist/src/typeorm-cli.data-source.js migration:show
// It sits where the application is put together, since it needs every module's entities: config/
// holds the configuration only and database/ knows no feature (the module rules, .dependency-cruiser.cjs).
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app.config';
import { buildDataSourceOptions } from './database/data-source-options';
import { ENTITIES } from './entities';

export default new DataSource({ ...buildDataSourceOptions(loadConfig().database, ENTITIES), migrationsRun: false });
