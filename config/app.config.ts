import { DatabaseConfig, DatabaseEnvironment, toDatabaseConfig } from './database.config';
import { ImportLimits, ImportsEnvironment, toImportLimits } from './imports.config';
import { HttpConfig, HttpEnvironment, toHttpConfig } from './http.config';
import { MailConfig, MailEnvironment, toMailConfig } from './mail.config';
import { NotificationsConfig, NotificationsEnvironment, toNotificationsConfig } from './notifications.config';
import { ReportsConfig, ReportsEnvironment, toReportsConfig } from './reports.config';
import { StorageConfig, StorageEnvironment, toStorageConfig } from './storage.config';
import { TestimonyConfig, TestimonyEnvironment, toTestimonyConfig } from './testimony.config';
import { ConfigError, validateSection } from './validate-section';

/** Injection token for the validated configuration. */
export const APP_CONFIG = Symbol('APP_CONFIG');

export interface AppConfig {
  http: HttpConfig;
  database: DatabaseConfig;
  storage: StorageConfig;
  mail: MailConfig;
  notifications: NotificationsConfig;
  reports: ReportsConfig;
  imports: ImportLimits;
  testimony: TestimonyConfig;
}

/**
 * Reads and validates every section of the environment once, at boot. This is the only place
 * that reads process.env; a bad value stops the start with every offending variable named.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const section = <T extends object>(cls: new () => T): T | undefined => {
    try {
      return validateSection(cls, env);
    } catch (error) {
      if (error instanceof ConfigError) problems.push(...error.problems);
      else throw error;
      return undefined;
    }
  };
  const http = section(HttpEnvironment);
  const database = section(DatabaseEnvironment);
  const storage = section(StorageEnvironment);
  const mail = section(MailEnvironment);
  const notifications = section(NotificationsEnvironment);
  const reports = section(ReportsEnvironment);
  const imports = section(ImportsEnvironment);
  const testimony = section(TestimonyEnvironment);
  if (problems.length > 0 || !http || !database || !storage || !mail || !notifications || !reports || !imports || !testimony) throw new ConfigError(problems);
  const storageConfig = toStorageConfig(storage);
  return {
    http: toHttpConfig(http),
    database: toDatabaseConfig(database),
    storage: storageConfig,
    mail: toMailConfig(mail, storageConfig.dataDir),
    notifications: toNotificationsConfig(notifications),
    reports: toReportsConfig(reports, storageConfig.dataDir),
    imports: toImportLimits(imports),
    testimony: toTestimonyConfig(testimony),
  };
}

export { ConfigError };
