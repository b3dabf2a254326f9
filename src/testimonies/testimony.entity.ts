import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Coalition } from '../accounts/coalition.entity';
import type { TestimonyConsent, TestimonyState } from '../vocabulary/testimony.vocabulary';

/** A coalition's public intake: its address (/api/v1/public/testimonies/<slug>) and whether it is open. */
@Entity('testimony_intake')
export class TestimonyIntake {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer', unique: true })
  coalitionId: number;

  @ManyToOne(() => Coalition, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'coalition_id' })
  coalition?: Coalition;

  @Column({ type: 'varchar', length: 60, unique: true })
  slug: string;

  @Column({ type: 'boolean' })
  enabled: boolean;

  @Column({ type: Date })
  updatedAt: Date;
}

/**
 * One person's testimony. Everything they wrote (text, place, date, agency, contact, what they
 * added later) is one sealed JSON document, encrypted with the testimony's own data key, which is
 * stored only wrapped by TESTIMONY_KEY (docs/testimony.md). In clear: the coalition, the queue
 * state, the consent given, the language and the times. Withdrawn: sealed, wrappedKey, consent and
 * language and the receipt's hash are emptied and the files deleted: the row keeps only its
 * coalition, when it arrived and when it was withdrawn.
 */
@Entity('testimony')
@Index(['coalitionId', 'state', 'id'])
export class Testimony {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  coalitionId: number;

  @ManyToOne(() => Coalition, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'coalition_id' })
  coalition?: Coalition;

  @Column({ type: 'varchar', length: 20 })
  state: TestimonyState;

  @Column({ type: 'varchar', length: 20, nullable: true })
  consent: TestimonyConsent | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  language: string | null;

  /**
   * SHA-256 of the receipt (receipt.ts); the receipt itself is shown once and never stored. Emptied
   * on withdrawal: a receipt found later cannot even confirm that it was ever a testimony's.
   */
  @Column({ type: 'varchar', length: 64, unique: true, nullable: true })
  receiptHash: string | null;

  /** The data key, AES-256-GCM-wrapped by TESTIMONY_KEY (base64). */
  @Column({ type: 'text', nullable: true })
  wrappedKey: string | null;

  /** Which TESTIMONY_KEY wrapped it (testimony-cipher.ts keyIdOf), for rotation. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  keyId: string | null;

  /** The sealed content (base64). */
  @Column({ type: 'text', nullable: true })
  sealed: string | null;

  @Column({ type: 'integer', default: 0 })
  fileCount: number;

  @Column({ type: Date })
  receivedAt: Date;

  @Column({ type: Date })
  updatedAt: Date;

  @Column({ type: Date, nullable: true })
  withdrawnAt: Date | null;

  /** The coordinator's tags (triage): theme codes and group names, canonical (src/themes). */
  @Column({ type: 'simple-json', nullable: true })
  themes: string[] | null;

  @Column({ type: 'simple-json', nullable: true })
  affectedPersons: string[] | null;

  /**
   * The coordinator's anonymised excerpt, in clear: it is written to be cited (reports, and the
   * public ledger with consent). Allowed only with consent anonymised or public; erased on withdrawal.
   */
  @Column({ type: 'text', nullable: true })
  excerpt: string | null;

  @Column({ type: Date, nullable: true })
  excerptUpdatedAt: Date | null;
}

/** An attachment, stored encrypted with its testimony's data key under DATA_DIR/testimonies/<storageName>. */
@Entity('testimony_file')
@Index(['testimonyId', 'id'])
export class TestimonyFile {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  testimonyId: number;

  @ManyToOne(() => Testimony, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'testimony_id' })
  testimony?: Testimony;

  /** Random, never the person's file name (which is not kept at all). */
  @Column({ type: 'varchar', length: 64, unique: true })
  storageName: string;

  /** As read from the content (file-type), not as the sender named it. */
  @Column({ type: 'varchar', length: 100 })
  mimeType: string;

  @Column({ type: 'integer' })
  sizeBytes: number;

  /**
   * Null: the file is sealed with its testimony's data key. Otherwise the key it was sealed with,
   * itself sealed by the data key (base64): a file added later streams in before the receipt names
   * its testimony, under a key of its request (testimony-upload-storage.ts).
   */
  @Column({ type: 'text', nullable: true })
  sealedKey: string | null;

  @Column({ type: Date })
  addedAt: Date;
}
