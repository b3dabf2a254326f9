import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../accounts/user.entity';
import { Recommendation } from '../recommendations/recommendation.entity';
import type { EvidenceKind } from '../vocabulary/evidence.vocabulary';

/** A link or an uploaded file supporting an assessment. Confidential items are for coordinators and admins only. */
@Entity('evidence')
@Index(['recommendationId', 'id'])
@Index('IDX_evidence_testimony_id', ['testimonyId'])
export class Evidence {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  recommendationId: number;

  @ManyToOne(() => Recommendation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'recommendation_id' })
  recommendation?: Recommendation;

  @Column({ type: 'varchar', length: 20 })
  kind: EvidenceKind;

  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  url: string | null;

  /** The client's file name, kept for display only; the file on disk is named by its hash. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  fileName: string | null;

  @Column({ type: 'varchar', length: 120, nullable: true })
  mimeType: string | null;

  @Column({ type: 'integer', nullable: true })
  sizeBytes: number | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  sha256: string | null;

  @Column({ type: 'boolean', default: false })
  confidential: boolean;

  @Column({ type: 'integer' })
  submittedById: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'submitted_by_id' })
  submittedBy?: User;

  @CreateDateColumn()
  createdAt: Date;

  /**
   * Set when the item was removed: the row stays as a tombstone (the status history cites it by
   * id), its title, url and file erased; no list, count, citation or download sees it.
   */
  @Column({ type: Date, nullable: true })
  removedAt: Date | null;

  /**
   * Set when the item is a testimony of the People's UPR intake linked by a coordinator (issue 13):
   * the item is its reference (title "Testimony N", always confidential), never its text. Declared
   * without a relation: testimonies sit beside evidence, and neither module imports the other.
   */
  @Column({ type: 'integer', nullable: true })
  testimonyId: number | null;
}
