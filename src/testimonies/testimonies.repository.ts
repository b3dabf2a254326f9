import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { TestimonyState } from '../vocabulary/testimony.vocabulary';
import { Testimony, TestimonyFile, TestimonyIntake } from './testimony.entity';

@Injectable()
export class TestimoniesRepository {
  constructor(private readonly dataSource: DataSource) {}

  findIntakeOfCoalition(coalitionId: number, manager: EntityManager = this.dataSource.manager): Promise<TestimonyIntake | null> {
    return manager.findOne(TestimonyIntake, { where: { coalitionId } });
  }

  findIntakeBySlug(slug: string, manager: EntityManager = this.dataSource.manager): Promise<TestimonyIntake | null> {
    return manager.findOne(TestimonyIntake, { where: { slug } });
  }

  saveIntake(intake: Partial<TestimonyIntake>, manager: EntityManager): Promise<TestimonyIntake> {
    return manager.save(manager.create(TestimonyIntake, intake));
  }

  insertTestimony(testimony: Partial<Testimony>, manager: EntityManager): Promise<Testimony> {
    return manager.save(manager.create(Testimony, testimony));
  }

  insertFiles(files: Partial<TestimonyFile>[], manager: EntityManager): Promise<TestimonyFile[]> {
    return manager.save(files.map((file) => manager.create(TestimonyFile, file)));
  }

  /** Locks the row on PostgreSQL, so that adding to it and withdrawing it do not interleave. */
  findByReceiptHashForUpdate(coalitionId: number, receiptHash: string, manager: EntityManager): Promise<Testimony | null> {
    const locking = manager.connection.options.type === 'postgres' ? { lock: { mode: 'pessimistic_write' as const } } : {};
    return manager.findOne(Testimony, { where: { coalitionId, receiptHash }, ...locking });
  }

  findInCoalition(coalitionId: number, id: number, manager: EntityManager = this.dataSource.manager): Promise<Testimony | null> {
    return manager.findOne(Testimony, { where: { coalitionId, id } });
  }

  filesOf(testimonyId: number, manager: EntityManager = this.dataSource.manager): Promise<TestimonyFile[]> {
    return manager.find(TestimonyFile, { where: { testimonyId }, order: { id: 'ASC' } });
  }

  /** Every stored file's name (48 hex characters each: some 5 MB for 100,000 files). */
  async allFileNames(): Promise<Set<string>> {
    const rows = await this.dataSource.manager.find(TestimonyFile, { select: { storageName: true } });
    return new Set(rows.map((row) => row.storageName));
  }

  findFile(testimonyId: number, fileId: number): Promise<TestimonyFile | null> {
    return this.dataSource.manager.findOne(TestimonyFile, { where: { testimonyId, id: fileId } });
  }

  /**
   * A page of the queue, newest first. `tags` keeps only testimonies whose coordinators' tags hold
   * one of the theme codes and one of the group names given: the tags are stored as JSON lists
   * (simple-json), so a tag is found as its JSON string ("D23" with its quotes) inside the column.
   */
  async pageOfCoalition(
    coalitionId: number, state: TestimonyState | undefined, window: { skip: number; take: number }, tags: { themes?: string[]; affectedPersons?: string[] } = {},
  ): Promise<{ rows: Testimony[]; total: number }> {
    const query = this.dataSource.manager.createQueryBuilder(Testimony, 't').where('t.coalitionId = :coalitionId', { coalitionId });
    if (state) query.andWhere('t.state = :state', { state });
    for (const [column, values] of [['themes', tags.themes], ['affectedPersons', tags.affectedPersons]] as const) {
      if (values === undefined) continue;
      const params = Object.fromEntries(values.map((value, i) => [`${column}${i}`, `%${likeEscaped(JSON.stringify(value))}%`]));
      const any = values.map((_, i) => `t.${column} LIKE :${column}${i} ESCAPE '\\'`).join(' OR ');
      query.andWhere(values.length > 0 ? `(${any})` : '1 = 0', params);
    }
    const [rows, total] = await query.orderBy('t.id', 'DESC').skip(window.skip).take(window.take).getManyAndCount();
    return { rows, total };
  }

  async updateSealed(id: number, sealed: string, fileCount: number, updatedAt: Date, manager: EntityManager): Promise<void> {
    await manager.update(Testimony, { id }, { sealed, fileCount, updatedAt });
  }

  async updateState(id: number, state: TestimonyState, updatedAt: Date, manager: EntityManager): Promise<void> {
    await manager.update(Testimony, { id }, { state, updatedAt });
  }

  /** Locks the row on PostgreSQL, so that triage and a withdrawal do not interleave. */
  findInCoalitionForUpdate(coalitionId: number, id: number, manager: EntityManager): Promise<Testimony | null> {
    const locking = manager.connection.options.type === 'postgres' ? { lock: { mode: 'pessimistic_write' as const } } : {};
    return manager.findOne(Testimony, { where: { coalitionId, id }, ...locking });
  }

  async updateTriage(id: number, values: Partial<Pick<Testimony, 'state' | 'themes' | 'affectedPersons'>>, updatedAt: Date, manager: EntityManager): Promise<void> {
    await manager.update(Testimony, { id }, { ...values, updatedAt });
  }

  async updateExcerpt(id: number, excerpt: string | null, at: Date, manager: EntityManager): Promise<void> {
    await manager.update(Testimony, { id }, { excerpt, excerptUpdatedAt: excerpt === null ? null : at, updatedAt: at });
  }

  /**
   * Withdrawal: the content, its key, the file rows, the coordinator's tags and excerpt go; the row
   * stays, saying only that it was withdrawn and when. (The files themselves are deleted from disk by the caller.)
   */
  async eraseContent(id: number, at: Date, manager: EntityManager): Promise<void> {
    await manager.delete(TestimonyFile, { testimonyId: id });
    await manager.update(Testimony, { id }, {
      state: 'withdrawn', sealed: null, wrappedKey: null, keyId: null, consent: null, language: null, receiptHash: null, fileCount: 0,
      themes: null, affectedPersons: null, excerpt: null, excerptUpdatedAt: null, updatedAt: at, withdrawnAt: at,
    });
  }

  /**
   * After a withdrawal on SQLite: the pages that held the content are zeroed (secure_delete, set on
   * every connection: src/database/data-source-options.ts), and the write-ahead log, which still
   * holds their earlier versions, is copied into the file and emptied. PostgreSQL keeps dead rows
   * until VACUUM reuses their space: there, what protects a withdrawn testimony is that its data key
   * was wrapped by TESTIMONY_KEY (docs/testimony.md).
   */
  async flushDeleted(): Promise<void> {
    if (this.dataSource.options.type !== 'better-sqlite3') return;
    await this.dataSource.query('PRAGMA wal_checkpoint(TRUNCATE)');
  }

  /** Every wrapped data key that `keyId` wrapped, for rotation (a batch at a time). */
  wrappedByKey(keyId: string, afterId: number, limit: number, manager: EntityManager): Promise<Pick<Testimony, 'id' | 'coalitionId' | 'wrappedKey'>[]> {
    return manager
      .createQueryBuilder(Testimony, 'testimony')
      .select(['testimony.id', 'testimony.coalitionId', 'testimony.wrappedKey'])
      .where('testimony.keyId = :keyId AND testimony.id > :afterId AND testimony.wrappedKey IS NOT NULL', { keyId, afterId })
      .orderBy('testimony.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  async rewrap(id: number, wrappedKey: string, keyId: string, manager: EntityManager): Promise<void> {
    await manager.update(Testimony, { id }, { wrappedKey, keyId });
  }

  /** How many live testimonies each key wraps (rotation's summary). */
  async countByKey(manager: EntityManager = this.dataSource.manager): Promise<Map<string, number>> {
    const rows: { keyId: string; count: string | number }[] = await manager
      .createQueryBuilder(Testimony, 'testimony')
      .select('testimony.keyId', 'keyId')
      .addSelect('COUNT(*)', 'count')
      .where('testimony.wrappedKey IS NOT NULL')
      .groupBy('testimony.keyId')
      .getRawMany();
    return new Map(rows.map((row) => [row.keyId, Number(row.count)]));
  }
}

/** A value matched literally by LIKE … ESCAPE '\' (its %, _ and backslash are not wildcards). */
function likeEscaped(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
