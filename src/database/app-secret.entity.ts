import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * Secrets the instances share (the unsubscribe-link signing key), made once on first use so the
 * embedded default needs no configuration and several instances on one database agree.
 */
@Entity('app_secret')
export class AppSecret {
  @PrimaryColumn({ type: 'varchar', length: 50 })
  name: string;

  @Column({ type: 'varchar', length: 200 })
  value: string;

  @CreateDateColumn()
  createdAt: Date;
}
