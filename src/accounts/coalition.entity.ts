import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A civil-society coalition: the tenant. Nothing crosses from one coalition to another. */
@Entity('coalition')
export class Coalition {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 200, unique: true })
  name: string;

  /** Reminder policy: days before each deadline, comma-separated, e.g. "14,7,1". */
  @Column({ type: 'varchar', length: 100, default: '14,7,1' })
  reminderOffsetsDays: string;

  /** Local hour (in each recipient's time zone) at which reminders go out. */
  @Column({ type: 'integer', default: 9 })
  reminderHour: number;

  /** Whether a deadline that passes while open yields one overdue notice. */
  @Column({ type: 'boolean', default: true })
  overdueNotice: boolean;

  @CreateDateColumn()
  createdAt: Date;
}
