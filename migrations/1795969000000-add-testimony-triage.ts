import { MigrationInterface, QueryRunner } from 'typeorm';

// Testimony triage (issue 13): a coordinator tags a testimony with theme codes and groups of
// persons (JSON arrays, like simple-json), writes an anonymised excerpt (kept in clear: it is
// written to be cited; docs/testimony.md), and links it to recommendations as evidence: an evidence
// row of kind testimony, always confidential, whose `testimony_id` names the testimony (no foreign
// key: a column added to a SQLite table cannot get one without rebuilding the table, and a
// testimony row is never deleted, only erased on withdrawal, which tombstones these rows itself).
// Nullable columns added in place on both databases. Never edit after landing.
export class AddTestimonyTriage1795969000000 implements MigrationInterface {
  name = 'AddTestimonyTriage1795969000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = queryRunner.connection.options.type === 'postgres' ? 'TIMESTAMP' : 'datetime';
    await queryRunner.query(`ALTER TABLE "testimony" ADD COLUMN "themes" text`);
    await queryRunner.query(`ALTER TABLE "testimony" ADD COLUMN "affected_persons" text`);
    await queryRunner.query(`ALTER TABLE "testimony" ADD COLUMN "excerpt" text`);
    await queryRunner.query(`ALTER TABLE "testimony" ADD COLUMN "excerpt_updated_at" ${timestamp}`);
    await queryRunner.query(`ALTER TABLE "evidence" ADD COLUMN "testimony_id" integer`);
    await queryRunner.query(`CREATE INDEX "IDX_evidence_testimony_id" ON "evidence" ("testimony_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_evidence_testimony_id"`);
    await queryRunner.query(`ALTER TABLE "evidence" DROP COLUMN "testimony_id"`);
    await queryRunner.query(`ALTER TABLE "testimony" DROP COLUMN "excerpt_updated_at"`);
    await queryRunner.query(`ALTER TABLE "testimony" DROP COLUMN "excerpt"`);
    await queryRunner.query(`ALTER TABLE "testimony" DROP COLUMN "affected_persons"`);
    await queryRunner.query(`ALTER TABLE "testimony" DROP COLUMN "themes"`);
  }
}
