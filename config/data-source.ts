// Used only by the TypeORM command line (migration:generate, migration:show).
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../src/database/data-source-options';
import { loadConfig } from './app.config';

export default new DataSource({ ...buildDataSourceOptions(loadConfig().database), migrationsRun: false });
