import { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 10: testimony is always confidential. Until now it was confidential only when someone ticked
// the box, so a member could read a testimony and its title could reach a member's email. New rows
// are made confidential by the service; this fixes the rows already there. The same statement on
// both databases (SQLite knows TRUE and FALSE as 1 and 0). Never edit after landing.
export class MakeTestimonyConfidential1795959100000 implements MigrationInterface {
  name = 'MakeTestimonyConfidential1795959100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE "evidence" SET "confidential" = TRUE WHERE "kind" = 'testimony' AND "confidential" = FALSE`);
  }

  async down(): Promise<void> {
    // Nothing to undo: which testimony was public before is not known, and none should be.
  }
}
