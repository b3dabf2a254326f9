import { Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import type { DeliveryMode } from '../vocabulary/notification.vocabulary';

/**
 * How one person wants to be told things. Notifications' own table: accounts owns the person, this
 * module owns how they are emailed. A person with no row has the defaults (a new account needs no
 * write here). The foreign key names the table, not accounts' entity: notifications sits below
 * accounts and imports nothing of it.
 */
@Entity('notification_preference')
export class NotificationPreference {
  @PrimaryColumn({ type: 'integer' })
  @ForeignKey('app_user', { onDelete: 'CASCADE' })
  userId: number;

  /** How deadline reminders, overdue and evidence-due notices reach this person. */
  @Column({ type: 'varchar', length: 20, default: 'immediate' })
  remindersMode: DeliveryMode;

  /** How notices of status and response changes reach this person. */
  @Column({ type: 'varchar', length: 20, default: 'immediate' })
  statusChangesMode: DeliveryMode;

  /** Local hour (0–23) of the daily digest. */
  @Column({ type: 'integer', default: 8 })
  digestHour: number;

  /** Raised whenever preferences change, so an old unsubscribe link cannot be replayed. */
  @Column({ type: 'integer', default: 0 })
  preferencesVersion: number;
}

/** What a person without a row of their own gets. */
export const DEFAULT_PREFERENCE: Omit<NotificationPreference, 'userId'> = {
  remindersMode: 'immediate',
  statusChangesMode: 'immediate',
  digestHour: 8,
  preferencesVersion: 0,
};
