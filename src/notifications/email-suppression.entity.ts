import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** An address that answered with a permanent failure (SMTP 5xx): nothing more is sent to it. */
@Entity('email_suppression')
export class EmailSuppression {
  @PrimaryColumn({ type: 'varchar', length: 320 })
  email: string;

  @Column({ type: 'varchar', length: 500 })
  reason: string;

  @CreateDateColumn()
  createdAt: Date;
}
