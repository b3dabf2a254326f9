// Used only by the TypeORM command line (migration:generate, migration:show), e.g.
//   npx typeorm -d dist/src/database/typeorm-cli.data-source.js migration:show
// It lives with the data source options it wraps: config/ holds the configuration only and imports
// nothing of the application (the module rules in .dependency-cruiser.cjs).
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../config/app.config';
import { buildDataSourceOptions } from './data-source-options';

export default new DataSource({ ...buildDataSourceOptions(loadConfig().database), migrationsRun: false });
