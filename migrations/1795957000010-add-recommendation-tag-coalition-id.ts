import { MigrationInterface, QueryRunner } from 'typeorm';

// Listing by theme or recommending State at 100,000 recommendations (issue 2, docs/benchmarks.md).
// The tag index (kind, value, recommendation_id) finds the 6,500 recommendations of a theme in
// well under a millisecond, but each then had to be looked up in recommendation to check its
// coalition: 5-9 ms for every count. With the coalition copied onto the tag (as it is from the
// cycle onto the recommendation), (coalition_id, kind, value, recommendation_id) answers the count
// and the first page from the index alone. That index replaces the old one, which only the
// listing used. Existing tags take their recommendation's coalition. Never edit after landing.
export class AddRecommendationTagCoalitionId1795957000010 implements MigrationInterface {
  name = 'AddRecommendationTagCoalitionId1795957000010';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query(`ALTER TABLE "recommendation_tag" ADD "coalition_id" integer`);
      await queryRunner.query(
        `UPDATE "recommendation_tag" t SET "coalition_id" = r."coalition_id" FROM "recommendation" r WHERE r."id" = t."recommendation_id"`,
      );
      await queryRunner.query(`ALTER TABLE "recommendation_tag" ALTER COLUMN "coalition_id" SET NOT NULL`);
      await queryRunner.query(`DROP INDEX "IDX_fe6eae1315e375381ea04e8257"`);
      await queryRunner.query(
        `CREATE INDEX "IDX_recommendation_tag_coalition_value" ON "recommendation_tag" ("coalition_id", "kind", "value", "recommendation_id")`,
      );
      return;
    }
    // SQLite adds a NOT NULL column only with a default, so the table is rebuilt, filled from the
    // old one. Its other indexes (and triggers, should any appear) are read here and made again.
    const kept = await this.indexesAndTriggers(queryRunner, 'IDX_fe6eae1315e375381ea04e8257');
    await queryRunner.query(
      `CREATE TABLE "temporary_recommendation_tag" ("recommendation_id" integer NOT NULL, "kind" varchar(20) NOT NULL, "value" varchar(200) NOT NULL, "position" integer NOT NULL DEFAULT (0), "coalition_id" integer NOT NULL, CONSTRAINT "FK_69fa95dfa0fa3d9b66bffc446f0" FOREIGN KEY ("recommendation_id") REFERENCES "recommendation" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, PRIMARY KEY ("recommendation_id", "kind", "value"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_recommendation_tag" ("recommendation_id", "kind", "value", "position", "coalition_id")
       SELECT t."recommendation_id", t."kind", t."value", t."position", r."coalition_id" FROM "recommendation_tag" t JOIN "recommendation" r ON r."id" = t."recommendation_id"`,
    );
    await queryRunner.query(`DROP TABLE "recommendation_tag"`);
    await queryRunner.query(`ALTER TABLE "temporary_recommendation_tag" RENAME TO "recommendation_tag"`);
    for (const sql of kept) await queryRunner.query(sql);
    await queryRunner.query(
      `CREATE INDEX "IDX_recommendation_tag_coalition_value" ON "recommendation_tag" ("coalition_id", "kind", "value", "recommendation_id")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query(`DROP INDEX "IDX_recommendation_tag_coalition_value"`);
      await queryRunner.query(`CREATE INDEX "IDX_fe6eae1315e375381ea04e8257" ON "recommendation_tag" ("kind", "value", "recommendation_id")`);
      await queryRunner.query(`ALTER TABLE "recommendation_tag" DROP COLUMN "coalition_id"`);
      return;
    }
    const kept = await this.indexesAndTriggers(queryRunner, 'IDX_recommendation_tag_coalition_value');
    await queryRunner.query(
      `CREATE TABLE "temporary_recommendation_tag" ("recommendation_id" integer NOT NULL, "kind" varchar(20) NOT NULL, "value" varchar(200) NOT NULL, "position" integer NOT NULL DEFAULT (0), CONSTRAINT "FK_69fa95dfa0fa3d9b66bffc446f0" FOREIGN KEY ("recommendation_id") REFERENCES "recommendation" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, PRIMARY KEY ("recommendation_id", "kind", "value"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_recommendation_tag" ("recommendation_id", "kind", "value", "position")
       SELECT "recommendation_id", "kind", "value", "position" FROM "recommendation_tag"`,
    );
    await queryRunner.query(`DROP TABLE "recommendation_tag"`);
    await queryRunner.query(`ALTER TABLE "temporary_recommendation_tag" RENAME TO "recommendation_tag"`);
    for (const sql of kept) await queryRunner.query(sql);
    await queryRunner.query(`CREATE INDEX "IDX_fe6eae1315e375381ea04e8257" ON "recommendation_tag" ("kind", "value", "recommendation_id")`);
  }

  /** SQLite: the statements that made recommendation_tag's indexes and triggers, but `dropped`. */
  private async indexesAndTriggers(queryRunner: QueryRunner, dropped: string): Promise<string[]> {
    const rows: { name: string; sql: string }[] = await queryRunner.query(
      `SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND tbl_name = 'recommendation_tag' AND sql IS NOT NULL ORDER BY type, name`,
    );
    return rows.filter((row) => row.name !== dropped).map((row) => row.sql);
  }
}
