import { MigrationInterface, QueryRunner } from 'typeorm';

// One timeline per recommendation (issue 12): the audit entries of its evidence, deadlines and
// lineage decisions name the recommendation they concern, so its page reads them with one indexed
// query. Entries written before this have none (the table refuses UPDATE, so nothing is
// back-filled): the recommendation's own entries are still found by entity and id. Added in place
// on both databases (a nullable column). Never edit after landing.
export class AddAuditEntryRecommendation1795960600000 implements MigrationInterface {
  name = 'AddAuditEntryRecommendation1795960600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "audit_entry" ADD "recommendation_id" integer`);
    await queryRunner.query(`CREATE INDEX "IDX_audit_entry_recommendation" ON "audit_entry" ("coalition_id", "recommendation_id", "id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_audit_entry_recommendation"`);
    await queryRunner.query(`ALTER TABLE "audit_entry" DROP COLUMN "recommendation_id"`);
  }
}
