import { MigrationInterface, QueryRunner } from 'typeorm';

// A recommendation's kind (issue 12): a recommendation made to the State, or a voluntary pledge of
// the State itself. Every existing row is a recommendation (the column's default); pledges imported
// before as "supported" recommendations become pledges when their file is imported again. Added in
// place on both databases (ALTER TABLE ... ADD COLUMN with a default): no table is rebuilt. Never edit after landing.
export class AddRecommendationKind1795960500000 implements MigrationInterface {
  name = 'AddRecommendationKind1795960500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query(`ALTER TABLE "recommendation" ADD "kind" character varying(20) NOT NULL DEFAULT 'recommendation'`);
    } else {
      await queryRunner.query(`ALTER TABLE "recommendation" ADD COLUMN "kind" varchar(20) NOT NULL DEFAULT ('recommendation')`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "recommendation" DROP COLUMN "kind"`);
  }
}
