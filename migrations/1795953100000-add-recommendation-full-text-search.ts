import { MigrationInterface, QueryRunner } from 'typeorm';

// Full-text search of recommendation text. TypeORM has no notation for either kind, so this one is
// written by hand. SQLite: an FTS5 index kept in step with the table by triggers ("external
// content", so the text is stored once). PostgreSQL: a GIN index over the English tsvector, which
// the search query repeats word for word so the planner uses it.
export class AddRecommendationFullTextSearch1795953100000 implements MigrationInterface {
  name = 'AddRecommendationFullTextSearch1795953100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query(
        `CREATE INDEX "IDX_recommendation_text_search" ON "recommendation" USING GIN (to_tsvector('english', "text"))`,
      );
      return;
    }
    await queryRunner.query(
      `CREATE VIRTUAL TABLE "recommendation_fts" USING fts5(text, content='recommendation', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "recommendation_fts_insert" AFTER INSERT ON "recommendation" BEGIN INSERT INTO recommendation_fts(rowid, text) VALUES (new.id, new.text); END`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "recommendation_fts_delete" AFTER DELETE ON "recommendation" BEGIN INSERT INTO recommendation_fts(recommendation_fts, rowid, text) VALUES ('delete', old.id, old.text); END`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "recommendation_fts_update" AFTER UPDATE OF "text" ON "recommendation" BEGIN INSERT INTO recommendation_fts(recommendation_fts, rowid, text) VALUES ('delete', old.id, old.text); INSERT INTO recommendation_fts(rowid, text) VALUES (new.id, new.text); END`,
    );
    await queryRunner.query(`INSERT INTO recommendation_fts(recommendation_fts) VALUES ('rebuild')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query(`DROP INDEX "IDX_recommendation_text_search"`);
      return;
    }
    await queryRunner.query(`DROP TRIGGER "recommendation_fts_update"`);
    await queryRunner.query(`DROP TRIGGER "recommendation_fts_delete"`);
    await queryRunner.query(`DROP TRIGGER "recommendation_fts_insert"`);
    await queryRunner.query(`DROP TABLE "recommendation_fts"`);
  }
}
