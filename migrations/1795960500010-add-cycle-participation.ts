import { MigrationInterface, QueryRunner } from 'typeorm';

// Whether the State under Review took part in a review (issue 12): participated, did_not_participate
// or postponed. Every existing cycle participated (the column's default). Added in place on both
// databases: rebuilding review_cycle on SQLite would delete its children's rows. Never edit after landing.
export class AddCycleParticipation1795960500010 implements MigrationInterface {
  name = 'AddCycleParticipation1795960500010';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query(`ALTER TABLE "review_cycle" ADD "participation" character varying(30) NOT NULL DEFAULT 'participated'`);
    } else {
      await queryRunner.query(`ALTER TABLE "review_cycle" ADD COLUMN "participation" varchar(30) NOT NULL DEFAULT ('participated')`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "review_cycle" DROP COLUMN "participation"`);
  }
}
