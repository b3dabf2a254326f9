import { hash } from 'node:crypto';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The text key as the application computed it when this migration was written (then in
 * src/imports/text-key.ts): white space collapsed, SHA-256, the first 40 hex digits. Written out here
 * so that the migration stays what it was whatever the application's code becomes; the application
 * must keep computing the same key (test/schema.e2e-spec.ts migrates existing rows and compares the keys).
 */
function textKey(text: string): string {
  return hash('sha256', text.replace(/\s+/g, ' ').trim(), 'hex').slice(0, 40);
}

// The natural key of imports: (cycle, paragraph), or (cycle, text with white space collapsed) when
// a source has no paragraph. Columns are added in place on both databases; existing rows get their
// key computed here, in batches, since neither database can hash the normalised text the same way.
export class AddRecommendationTextKey1795955000000 implements MigrationInterface {
  name = 'AddRecommendationTextKey1795955000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    await queryRunner.query(postgres
      ? `ALTER TABLE "recommendation" ADD "text_key" character varying(40)`
      : `ALTER TABLE "recommendation" ADD COLUMN "text_key" varchar(40)`);
    await queryRunner.query(`CREATE INDEX "IDX_recommendation_cycle_paragraph" ON "recommendation" ("cycle_id", "paragraph")`);
    await queryRunner.query(`CREATE INDEX "IDX_recommendation_cycle_text_key" ON "recommendation" ("cycle_id", "text_key")`);
    const param = (n: number) => (postgres ? `$${n}` : '?');
    for (let lastId = 0; ;) {
      const rows: { id: number; text: string }[] = await queryRunner.query(
        `SELECT id, text FROM recommendation WHERE id > ${param(1)} ORDER BY id LIMIT 1000`, [lastId]);
      if (rows.length === 0) break;
      for (const row of rows) await queryRunner.query(`UPDATE recommendation SET text_key = ${param(1)} WHERE id = ${param(2)}`, [textKey(row.text), row.id]);
      lastId = Number(rows.at(-1)!.id);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_recommendation_cycle_text_key"`);
    await queryRunner.query(`DROP INDEX "IDX_recommendation_cycle_paragraph"`);
    await queryRunner.query(`ALTER TABLE "recommendation" DROP COLUMN "text_key"`);
  }
}
