import { MigrationInterface, QueryRunner } from 'typeorm';
import { SDG_TARGET_TITLES } from './1795968500000-sdg-target-titles.data';

// The titles of the 169 SDG targets (issue 12): AddThemes1795961000000 listed their numbers with no
// title; this gives each its text in A/RES/70/1 (the data file says where it came from). The texts
// run to 564 characters, so `sdg.title` widens from varchar(200) to text first: PostgreSQL alters the
// column; SQLite, which cannot alter a column's type, rebuilds the small table (no foreign key refers
// to it). The goals' short names are left as they are. down() empties the target titles and narrows
// the column back. Never edit after landing.
export class AddSdgTargetTitles1795968500000 implements MigrationInterface {
  name = 'AddSdgTargetTitles1795968500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    if (postgres) await queryRunner.query(`ALTER TABLE "sdg" ALTER COLUMN "title" TYPE text`);
    else await rebuildSqlite(queryRunner, 'text');
    for (const [code, title] of SDG_TARGET_TITLES) {
      await queryRunner.query(`UPDATE "sdg" SET "title" = ${postgres ? '$1' : '?'} WHERE "code" = ${postgres ? '$2' : '?'}`, [title, code]);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    await queryRunner.query(`UPDATE "sdg" SET "title" = NULL WHERE "code" LIKE '%.%'`);
    if (postgres) await queryRunner.query(`ALTER TABLE "sdg" ALTER COLUMN "title" TYPE character varying(200)`);
    else await rebuildSqlite(queryRunner, 'varchar(200)');
  }
}

async function rebuildSqlite(queryRunner: QueryRunner, titleType: string): Promise<void> {
  await queryRunner.query(`CREATE TABLE "sdg_rebuilt" ("code" varchar(5) NOT NULL, "goal" integer NOT NULL, "title" ${titleType}, CONSTRAINT "PK_sdg" PRIMARY KEY ("code"))`);
  await queryRunner.query(`INSERT INTO "sdg_rebuilt" ("code", "goal", "title") SELECT "code", "goal", "title" FROM "sdg"`);
  await queryRunner.query(`DROP TABLE "sdg"`);
  await queryRunner.query(`ALTER TABLE "sdg_rebuilt" RENAME TO "sdg"`);
}
