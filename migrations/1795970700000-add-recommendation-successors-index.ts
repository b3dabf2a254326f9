import { MigrationInterface, QueryRunner } from 'typeorm';

// The cycle report's recurring recommendations start from the cycle's received recommendations that
// have a predecessor. No index held predecessor_id with the cycle, so the report read every
// recommendation of the cycle from the table to find the few that have one (SQLite, 100,000
// recommendations, none carried: 135-152 ms of CPU on every JSON and HTML report). A partial index
// holds only the recommendations with a predecessor, so it costs nothing to the many without one
// (an import of a first cycle writes no entry), and answers the start of the chain from the index
// alone (0.1 ms). Same statements in both dialects. Never edit after landing.
export class AddRecommendationSuccessorsIndex1795970700000 implements MigrationInterface {
  name = 'AddRecommendationSuccessorsIndex1795970700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "IDX_recommendation_successors" ON "recommendation" ("coalition_id", "cycle_id", "origin", "predecessor_id") WHERE "predecessor_id" IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_recommendation_successors"`);
  }
}
