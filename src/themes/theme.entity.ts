import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Coalition } from '../accounts/coalition.entity';

// Issue 12: the canonical vocabularies, shipped with the product. Seeded by the migration
// AddThemes1795961000000 (its data file says where each list came from) and corrected by later
// migrations only: the application never writes these tables.

/** A UHRI theme: "D23" "Death penalty". Theme tags store the code. */
@Entity('theme')
export class Theme {
  @PrimaryColumn({ type: 'varchar', length: 4 })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;
}

/** Another name of one or more themes (UPR Info's issues, current UHRI names), with the groups it names. */
@Entity('theme_alias')
export class ThemeAlias {
  @PrimaryColumn({ type: 'varchar', length: 200 })
  alias: string;

  /** Theme codes separated by spaces; empty for a name that stands for no UHRI theme (UPR Info's "Other"). */
  @Column({ type: 'varchar', length: 100 })
  themeCodes: string;

  /** Affected groups separated by "|"; empty for none. */
  @Column({ type: 'varchar', length: 400 })
  groupNames: string;
}

/** A UHRI group of persons ("affected persons"): "Women". Affected-person tags store the name. */
@Entity('affected_group')
export class AffectedGroup {
  @PrimaryColumn({ type: 'varchar', length: 200 })
  name: string;
}

@Entity('affected_group_alias')
export class AffectedGroupAlias {
  @PrimaryColumn({ type: 'varchar', length: 200 })
  alias: string;

  @Column({ type: 'varchar', length: 200 })
  groupName: string;
}

/**
 * A Sustainable Development Goal ("5", its UN short name) or one of its targets ("5.1", "5.a", its
 * text in A/RES/70/1: AddSdgTargetTitles1795968500000). SDG tags store the code.
 */
@Entity('sdg')
export class Sdg {
  @PrimaryColumn({ type: 'varchar', length: 5 })
  code: string;

  @Column({ type: 'integer' })
  goal: number;

  @Column({ type: 'text', nullable: true })
  title: string | null;
}


export type CoalitionVocabularyKind = 'theme' | 'group';

/**
 * A name one coalition's files use for a theme or a group of persons, added by its admin: matched
 * for that coalition only, after the shipped names (it never changes what a shipped name means).
 */
@Entity('coalition_vocabulary_alias')
@Unique(['coalitionId', 'kind', 'alias'])
export class CoalitionVocabularyAlias {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  coalitionId: number;

  @ManyToOne(() => Coalition, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'coalition_id' })
  coalition?: Coalition;

  @Column({ type: 'varchar', length: 10 })
  kind: CoalitionVocabularyKind;

  @Column({ type: 'varchar', length: 200 })
  alias: string;

  /** A theme's UHRI code ("D23") or a group's canonical name ("Women"). */
  @Column({ type: 'varchar', length: 200 })
  target: string;

  @CreateDateColumn()
  createdAt: Date;
}
