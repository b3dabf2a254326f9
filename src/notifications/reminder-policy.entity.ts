import { Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';

/**
 * A coalition's reminder policy. Notifications' own table (accounts owns the coalition); a coalition
 * with no row has the defaults, so creating a coalition writes nothing here.
 */
@Entity('reminder_policy')
export class ReminderPolicySetting {
  @PrimaryColumn({ type: 'integer' })
  @ForeignKey('coalition', { onDelete: 'CASCADE' })
  coalitionId: number;

  /** Days before each deadline, comma-separated, e.g. "14,7,1". */
  @Column({ type: 'varchar', length: 100, default: '14,7,1' })
  offsetsDays: string;

  /** Local hour (in each recipient's time zone) at which reminders go out. */
  @Column({ type: 'integer', default: 9 })
  hour: number;

  /** Whether a deadline that passes while open yields one overdue notice. */
  @Column({ type: 'boolean', default: true })
  overdueNotice: boolean;
}

export const DEFAULT_REMINDER_POLICY: Omit<ReminderPolicySetting, 'coalitionId'> = { offsetsDays: '14,7,1', hour: 9, overdueNotice: true };
