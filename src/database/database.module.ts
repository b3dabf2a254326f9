import { DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../../config/database.config';
import { buildDataSourceOptions } from './data-source-options';
import { runMigrationsUnderLock } from './migration-lock';
import { bindIntegerParameters } from './sqlite-integer-parameters';

/**
 * The TypeORM data source, connected and migrated before anything can inject it: migrations run
 * under a cross-process lock (migration-lock.ts), so the schema is current before the first
 * request or scheduled job of this instance, whatever other instances start at the same moment.
 */
export function databaseModule(config: DatabaseConfig, entities: NonNullable<DataSourceOptions['entities']>): DynamicModule {
  return TypeOrmModule.forRootAsync({
    useFactory: () => buildDataSourceOptions(config, entities),
    dataSourceFactory: async (options) => {
      const dataSource = new DataSource(options as DataSourceOptions);
      bindIntegerParameters(dataSource);
      await dataSource.initialize();
      try {
        await runMigrationsUnderLock(dataSource);
      } catch (error) {
        // @nestjs/typeorm retries with a new data source: do not leave this one's connections open.
        await dataSource.destroy();
        throw error;
      }
      return dataSource;
    },
  });
}
