import { MigrationInterface, QueryRunner } from 'typeorm';

// Listing at 100,000 recommendations (issue 2, docs/benchmarks.md). Without statistics SQLite took
// "coalition_id = ?" for a selective filter, walked all of a coalition's rows through the
// (coalition_id, cycle_id, id) index and sorted them: about 20 ms for the first page without
// filters, by theme or by text. With (coalition_id, id) the first page is read in id order and
// stops after 50 rows, and each id from a theme, State or text filter is checked for the
// coalition in this small index instead of the table. The statement is the same in both dialects.
export class AddRecommendationCoalitionIdIndex1795954900000 implements MigrationInterface {
  name = 'AddRecommendationCoalitionIdIndex1795954900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_da43da4e4a6c5eccbec0fcaf65" ON "recommendation" ("coalition_id", "id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_da43da4e4a6c5eccbec0fcaf65"`);
  }
}
