import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A civil-society coalition: the tenant. Nothing crosses from one coalition to another. */
@Entity('coalition')
export class Coalition {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 200, unique: true })
  name: string;

  @CreateDateColumn()
  createdAt: Date;
}
