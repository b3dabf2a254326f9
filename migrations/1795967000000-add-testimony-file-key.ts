import { MigrationInterface, QueryRunner } from 'typeorm';

// Streamed testimony uploads (issue 13): a file added to an existing testimony is sealed, as it
// arrives, with a key of its request (the testimony's data key is not known until the receipt is
// checked); that key is kept here sealed by the testimony's data key. Null: the file is sealed with
// the data key itself (files sent with the testimony). Never edit after landing.
export class AddTestimonyFileKey1795967000000 implements MigrationInterface {
  name = 'AddTestimonyFileKey1795967000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "testimony_file" ADD COLUMN "sealed_key" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "testimony_file" DROP COLUMN "sealed_key"`);
  }
}
