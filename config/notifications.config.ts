import { Transform } from 'class-transformer';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { toInteger } from './validate-section';

export class NotificationsEnvironment {
  @IsIn(['on', 'off'], { message: 'NOTIFY_DISPATCH must be on or off (off: this instance plans emails but never sends them)' })
  NOTIFY_DISPATCH = 'on';

  @Transform(toInteger)
  @IsInt({ message: 'NOTIFY_POLL_SECONDS must be a whole number of seconds (1 to 3600)' })
  @Min(1, { message: 'NOTIFY_POLL_SECONDS must be a whole number of seconds (1 to 3600)' })
  @Max(3600, { message: 'NOTIFY_POLL_SECONDS must be a whole number of seconds (1 to 3600)' })
  NOTIFY_POLL_SECONDS = 15;

  @Transform(toInteger)
  @IsInt({ message: 'NOTIFY_LEASE_SECONDS must be a whole number of seconds (1 to 3600)' })
  @Min(1, { message: 'NOTIFY_LEASE_SECONDS must be a whole number of seconds (1 to 3600)' })
  @Max(3600, { message: 'NOTIFY_LEASE_SECONDS must be a whole number of seconds (1 to 3600)' })
  NOTIFY_LEASE_SECONDS = 120;

  @Transform(toInteger)
  @IsInt({ message: 'NOTIFY_RETRY_BUDGET_HOURS must be a whole number of hours (1 to 168)' })
  @Min(1, { message: 'NOTIFY_RETRY_BUDGET_HOURS must be a whole number of hours (1 to 168)' })
  @Max(168, { message: 'NOTIFY_RETRY_BUDGET_HOURS must be a whole number of hours (1 to 168)' })
  NOTIFY_RETRY_BUDGET_HOURS = 24;

  @Transform(toInteger)
  @IsInt({ message: 'NOTIFY_BATCH_SIZE must be a whole number (1 to 5000)' })
  @Min(1, { message: 'NOTIFY_BATCH_SIZE must be a whole number (1 to 5000)' })
  @Max(5000, { message: 'NOTIFY_BATCH_SIZE must be a whole number (1 to 5000)' })
  NOTIFY_BATCH_SIZE = 200;
}

export interface NotificationsConfig {
  dispatch: boolean;
  pollMs: number;
  leaseMs: number;
  retryBudgetMs: number;
  batchSize: number;
}

export function toNotificationsConfig(env: NotificationsEnvironment): NotificationsConfig {
  return {
    dispatch: env.NOTIFY_DISPATCH === 'on',
    pollMs: env.NOTIFY_POLL_SECONDS * 1000,
    leaseMs: env.NOTIFY_LEASE_SECONDS * 1000,
    retryBudgetMs: env.NOTIFY_RETRY_BUDGET_HOURS * 3600_000,
    batchSize: env.NOTIFY_BATCH_SIZE,
  };
}
