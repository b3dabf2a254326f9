import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Coalition } from '../accounts/coalition.entity';

export type StateMembership = 'member' | 'observer';

/**
 * A UN member or observer State (issue 12), shipped with the product: seeded by the migration
 * AddStates1795960100000 and kept up to date by later migrations, never written by the application.
 * Recommending States and States under review are stored by their English name here.
 */
@Entity('state')
export class State {
  /** ISO 3166-1 alpha-3, e.g. "CIV". */
  @PrimaryColumn({ type: 'varchar', length: 3 })
  code: string;

  /** ISO 3166-1 alpha-2, e.g. "CI". */
  @Column({ type: 'varchar', length: 2, unique: true })
  alpha2: string;

  /** The UN's short name (UNTERM), without its article: the canonical name, e.g. "Côte d'Ivoire". */
  @Column({ type: 'varchar', length: 200, unique: true })
  nameEn: string;

  @Column({ type: 'varchar', length: 200 })
  nameFr: string;

  @Column({ type: 'varchar', length: 200 })
  nameEs: string;

  @Column({ type: 'varchar', length: 10 })
  membership: StateMembership;
}

/** Another spelling of a State seen in UN and UPR Info documents, shipped with the product. */
@Entity('state_alias')
export class StateAlias {
  @PrimaryColumn({ type: 'varchar', length: 200 })
  alias: string;

  @Column({ type: 'varchar', length: 3 })
  stateCode: string;

  @ManyToOne(() => State, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'state_code' })
  state?: State;
}

/** A spelling one coalition's files use, added by its admin: matched as the State for that coalition only. */
@Entity('coalition_state_alias')
@Unique(['coalitionId', 'alias'])
export class CoalitionStateAlias {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  coalitionId: number;

  @ManyToOne(() => Coalition, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'coalition_id' })
  coalition?: Coalition;

  @Column({ type: 'varchar', length: 200 })
  alias: string;

  @Index()
  @Column({ type: 'varchar', length: 3 })
  stateCode: string;

  @ManyToOne(() => State, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'state_code' })
  state?: State;

  @CreateDateColumn()
  createdAt: Date;
}
