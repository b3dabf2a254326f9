import { MigrationInterface, QueryRunner } from 'typeorm';

// Removing evidence (issue 12) leaves a tombstone: the row keeps its id, recommendation, kind,
// confidentiality and submitter, because the status history cites evidence by id (insert-only,
// foreign key RESTRICT); its content (title, url, file) is erased and `removed_at` set, and every
// query of evidence skips removed rows. Added in place on both databases (a nullable column): no
// table is rebuilt. Never edit after landing.
export class AddEvidenceRemovedAt1795962000000 implements MigrationInterface {
  name = 'AddEvidenceRemovedAt1795962000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query(`ALTER TABLE "evidence" ADD "removed_at" TIMESTAMP`);
    } else {
      await queryRunner.query(`ALTER TABLE "evidence" ADD COLUMN "removed_at" datetime`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "evidence" DROP COLUMN "removed_at"`);
  }
}
