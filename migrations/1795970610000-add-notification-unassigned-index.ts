import { MigrationInterface, QueryRunner } from 'typeorm';

// The dispatcher's grouping asks for due notifications in no email yet, oldest first, a thousand at
// a time (issue 14, reminders at 100,000). The (state, due_at) index answered state = 'pending' and
// the time, so each round read past every pending notice already put in an email (still pending
// until sent) to find the next thousand: round k read k thousand rows, 5.2 s of SQLite for the 100
// rounds of 100,000 reminders. (state, digest_id, due_at, recipient_id) starts at the first notice
// in no email, and gives them by time and then by recipient, so a round holds each member's notices
// together (50 members' 20 reminders, not one reminder each of 1,000 members). It serves what the
// old index did (the pending notices of finished emails, for releaseOrphans), so it replaces it.
// The statements are the same in both dialects. Never edit after landing.
export class AddNotificationUnassignedIndex1795970610000 implements MigrationInterface {
  name = 'AddNotificationUnassignedIndex1795970610000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_notification_unassigned_due" ON "notification" ("state", "digest_id", "due_at", "recipient_id")`);
    await queryRunner.query(`DROP INDEX "IDX_b5a8db7b1094cc46950fbed53d"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_b5a8db7b1094cc46950fbed53d" ON "notification" ("state", "due_at")`);
    await queryRunner.query(`DROP INDEX "IDX_notification_unassigned_due"`);
  }
}
