import { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 12, carry-over: a deadline set on a recommendation carried into an open cycle is filed under
// that open cycle (its figures count it, its close ends it), no longer under the recommendation's
// own closed cycle, where it could not be edited, completed or deleted and no close would ever
// reach it. The open deadlines filed that way before are moved to the open cycle the recommendation
// is carried into. The same SQL on SQLite and PostgreSQL. Never edit after landing.
export class FileCarriedDeadlinesUnderOpenCycle1795963000000 implements MigrationInterface {
  name = 'FileCarriedDeadlinesUnderOpenCycle1795963000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const openCarry = `FROM carried_recommendation k JOIN review_cycle c ON c.id = k.cycle_id
      WHERE k.recommendation_id = deadline.recommendation_id AND k.superseded_by_id IS NULL AND c.state = 'open'`;
    await queryRunner.query(
      `UPDATE deadline SET cycle_id = (SELECT k.cycle_id ${openCarry} ORDER BY k.id DESC LIMIT 1)
       WHERE state = 'open' AND deleted_at IS NULL AND recommendation_id IS NOT NULL
         AND cycle_id IN (SELECT id FROM review_cycle WHERE state = 'closed')
         AND EXISTS (SELECT 1 ${openCarry})`,
    );
  }

  async down(): Promise<void> {
    // Data only: the deadlines stay where they are (their former cycle was closed; nothing could reach them there).
  }
}
