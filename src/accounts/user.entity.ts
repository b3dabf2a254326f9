import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Coalition } from './coalition.entity';
import type { DeliveryMode } from '../notifications/notification.vocabulary';
import type { Role } from './role';

@Entity('app_user')
export class User {
  @PrimaryGeneratedColumn()
  id: number;

  @Index()
  @Column({ type: 'integer' })
  coalitionId: number;

  @ManyToOne(() => Coalition, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'coalition_id' })
  coalition?: Coalition;

  /** Stored lower-cased: an address is one account, whatever its capitalisation. */
  @Column({ type: 'varchar', length: 320, unique: true })
  email: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 20 })
  role: Role;

  /** Empty until an invited person sets a password: such an account cannot sign in. */
  @Column({ type: 'varchar', length: 200 })
  passwordHash: string;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ type: 'varchar', length: 64, default: 'UTC' })
  timeZone: string;

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

  /** Raised when the person resets their calendar feed URL: the old signed URL stops working. */
  @Column({ type: 'integer', default: 0 })
  calendarTokenVersion: number;

  @CreateDateColumn()
  createdAt: Date;
}
