import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG, type AppConfig } from '../../config/app.config';
import { NotificationDispatcher } from './notification-dispatcher.service';

export const DISPATCH_INTERVAL_NAME = 'notifications-dispatch';

/**
 * Only a trigger: every poll it asks the dispatcher to send what is due, and once at start, so
 * whatever came due while the service was down goes out right away. All state is in the database
 * (@nestjs/schedule has no locking or catch-up of its own). Runs never overlap within an instance.
 */
@Injectable()
export class NotificationsScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('NotificationsScheduler');
  private running?: Promise<void>;

  constructor(
    private readonly dispatcher: NotificationDispatcher,
    private readonly registry: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.notifications.dispatch) return;
    this.registry.addInterval(DISPATCH_INTERVAL_NAME, setInterval(() => this.tick(), this.config.notifications.pollMs));
    setImmediate(() => this.tick());
  }

  async onModuleDestroy(): Promise<void> {
    if (this.registry.doesExist('interval', DISPATCH_INTERVAL_NAME)) this.registry.deleteInterval(DISPATCH_INTERVAL_NAME);
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.dispatcher
      .dispatch()
      .then((summary) => {
        if (summary.emailsSent + summary.failed + summary.retried > 0) this.logger.log(`dispatch: ${JSON.stringify(summary)}`);
      })
      .catch((error) => this.logger.error(`dispatch failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        this.running = undefined;
      });
  }
}
