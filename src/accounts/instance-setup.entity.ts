import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The one-time setup of the instance (the first coalition and its admin, from the /setup page).
 * At most one row, whose id is always 1: two setups racing both insert id 1, and the primary key
 * lets one commit (the other fails on it), on SQLite and PostgreSQL alike. No foreign keys: it
 * records what happened, like the audit trail.
 */
@Entity('instance_setup')
export class InstanceSetup {
  @PrimaryColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'integer' })
  coalitionId: number;

  @Column({ type: 'integer' })
  userId: number;

  @Column({ type: Date })
  completedAt: Date;
}
