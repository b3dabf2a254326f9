import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Coalition } from './coalition.entity';
import type { Role } from '../auth/role';
import type { AppLanguage } from '../i18n/i18n';

/**
 * A person in one coalition. One address is one account across the instance: it signs in to one
 * coalition only (signInEmail is unique). Another coalition may still hold a row for the same
 * address, which never signs in (see AccountLinksService.invite): a coalition must not learn from
 * an invitation that the address has an account elsewhere.
 */
@Entity('app_user')
@Index(['coalitionId', 'email'], { unique: true })
export class User {
  @PrimaryGeneratedColumn()
  id: number;

  @Index()
  @Column({ type: 'integer' })
  coalitionId: number;

  @ManyToOne(() => Coalition, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'coalition_id' })
  coalition?: Coalition;

  /** Stored lower-cased. Unique within the coalition; where the emails to this person go. */
  @Column({ type: 'varchar', length: 320 })
  email: string;

  /**
   * The address this account signs in with: its email once it has a password of its own. NULL for
   * an invitation not accepted yet, and for a row made for an address that already signs in to
   * another coalition's account. Unique: an address signs in to one account only.
   */
  @Column({ type: 'varchar', length: 320, nullable: true, unique: true })
  signInEmail: string | null;

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

  /** The language of the person's pages and of the emails sent to them (issue 13). */
  @Column({ type: 'varchar', length: 8, default: 'en' })
  language: AppLanguage;

  /** Raised when the person resets their calendar feed URL: the old signed URL stops working. */
  @Column({ type: 'integer', default: 0 })
  calendarTokenVersion: number;

  @CreateDateColumn()
  createdAt: Date;
}
