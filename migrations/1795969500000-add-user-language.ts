import { MigrationInterface, QueryRunner } from 'typeorm';

// A person's language (issue 13): the signed-in pages and the emails sent to them speak it.
// 'en' or 'es' for now (the application's catalogues); every existing account keeps English, so
// nobody sees a page change under them. Added in place on both databases (a column with a
// default): no table is rebuilt. Never edit after landing.
export class AddUserLanguage1795969500000 implements MigrationInterface {
  name = 'AddUserLanguage1795969500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query(`ALTER TABLE "app_user" ADD "language" character varying(8) NOT NULL DEFAULT 'en'`);
    } else {
      await queryRunner.query(`ALTER TABLE "app_user" ADD COLUMN "language" varchar(8) NOT NULL DEFAULT ('en')`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "app_user" DROP COLUMN "language"`);
  }
}
