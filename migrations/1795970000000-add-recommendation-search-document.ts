import { MigrationInterface, QueryRunner } from 'typeorm';

// PostgreSQL's full-text search reads a stored tsvector (issue 14). The GIN index over the
// expression to_tsvector('english', text) found the matching rows, but every query recomputed
// to_tsvector for each row it rechecked or filtered (the page of q=torture walked rows in id
// order and parsed each one's text): the slowest request of the benchmark. The document is now
// computed once per write and kept in its own table, recommendation_search, by triggers.
//
// A side table rather than a generated column on recommendation: the entity is shared by both
// databases and TypeORM drops any column a table has that the entity does not describe (the
// schema test runs its diff), while it never looks at tables no entity names.
//
// Each document also holds its coalition as one more lexeme, 'coalition 7' (with a space, which
// no word of a text can become), so the GIN index answers "this coalition's matches" by itself:
// at 1,000,000 recommendations over four coalitions, q=torture matched 67,000 documents of which
// 17,000 were the coalition's, and reading the 67,000 rows to check their coalition was most of
// the count's time.
//
// SQLite: its FTS5 index (1795953100000) stores its documents already; it is made again with the
// coalition as a second column, for the same reason: FTS5 finds `coalition_id : "7" AND text :
// (…)` in its own index, where the search probed recommendation once per match of every coalition.
export class AddRecommendationSearchDocument1795970000000 implements MigrationInterface {
  name = 'AddRecommendationSearchDocument1795970000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'postgres') {
      await this.makeSqliteIndex(queryRunner, ['text', 'coalition_id']);
      return;
    }
    await queryRunner.query(
      `CREATE TABLE "recommendation_search" (
        "recommendation_id" integer PRIMARY KEY REFERENCES "recommendation" ("id") ON DELETE CASCADE,
        "coalition_id" integer NOT NULL,
        "document" tsvector NOT NULL
      )`,
    );
    await queryRunner.query(
      `CREATE FUNCTION "recommendation_search_document"(body text, coalition integer) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
       AS $$ SELECT to_tsvector('english', body) || array_to_tsvector(ARRAY['coalition ' || coalition]) $$`,
    );
    // SET search_path FROM CURRENT: the functions name the table unqualified and run in whatever
    // session writes a recommendation; they must find the table of the schema they were made in.
    // Inserts: once per statement over its new rows (a bulk import inserts hundreds per statement).
    await queryRunner.query(
      `CREATE FUNCTION "recommendation_search_insert"() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
       BEGIN
         INSERT INTO recommendation_search (recommendation_id, coalition_id, document)
           SELECT n.id, n.coalition_id, recommendation_search_document(n.text, n.coalition_id) FROM inserted n;
         RETURN NULL;
       END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "recommendation_search_insert" AFTER INSERT ON "recommendation" REFERENCING NEW TABLE AS inserted
       FOR EACH STATEMENT EXECUTE FUNCTION "recommendation_search_insert"()`,
    );
    // Updates: per row (PostgreSQL allows no transition table beside a column list), and only when
    // the text or the coalition changed, so a status change costs nothing here.
    await queryRunner.query(
      `CREATE FUNCTION "recommendation_search_update"() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
       BEGIN
         UPDATE recommendation_search SET coalition_id = NEW.coalition_id, document = recommendation_search_document(NEW.text, NEW.coalition_id)
           WHERE recommendation_id = NEW.id;
         RETURN NULL;
       END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "recommendation_search_update" AFTER UPDATE OF "text", "coalition_id" ON "recommendation" FOR EACH ROW
       WHEN (OLD."text" IS DISTINCT FROM NEW."text" OR OLD."coalition_id" IS DISTINCT FROM NEW."coalition_id")
       EXECUTE FUNCTION "recommendation_search_update"()`,
    );
    await queryRunner.query(
      `INSERT INTO "recommendation_search" ("recommendation_id", "coalition_id", "document")
       SELECT "id", "coalition_id", "recommendation_search_document"("text", "coalition_id") FROM "recommendation"`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_recommendation_search_document" ON "recommendation_search" USING GIN ("document")`);
    await queryRunner.query(`DROP INDEX "IDX_recommendation_text_search"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'postgres') {
      await this.makeSqliteIndex(queryRunner, ['text']);
      return;
    }
    await queryRunner.query(`CREATE INDEX "IDX_recommendation_text_search" ON "recommendation" USING GIN (to_tsvector('english', "text"))`);
    await queryRunner.query(`DROP TRIGGER "recommendation_search_update" ON "recommendation"`);
    await queryRunner.query(`DROP TRIGGER "recommendation_search_insert" ON "recommendation"`);
    await queryRunner.query(`DROP FUNCTION "recommendation_search_update"()`);
    await queryRunner.query(`DROP FUNCTION "recommendation_search_insert"()`);
    await queryRunner.query(`DROP FUNCTION "recommendation_search_document"(text, integer)`);
    await queryRunner.query(`DROP TABLE "recommendation_search"`);
  }

  /**
   * SQLite's FTS5 index over these columns of recommendation, made anew with its triggers (as
   * 1795953100000 made it over the text alone) and filled from the table. The triggers' names
   * stay: the SQLite bulk writer drops and restores the insert trigger by name.
   */
  private async makeSqliteIndex(queryRunner: QueryRunner, columns: string[]): Promise<void> {
    for (const trigger of ['recommendation_fts_update', 'recommendation_fts_delete', 'recommendation_fts_insert']) {
      await queryRunner.query(`DROP TRIGGER IF EXISTS "${trigger}"`);
    }
    await queryRunner.query(`DROP TABLE IF EXISTS "recommendation_fts"`);
    const names = columns.join(', ');
    const values = (row: 'new' | 'old') => columns.map((c) => `${row}.${c}`).join(', ');
    await queryRunner.query(
      `CREATE VIRTUAL TABLE "recommendation_fts" USING fts5(${names}, content='recommendation', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "recommendation_fts_insert" AFTER INSERT ON "recommendation" BEGIN INSERT INTO recommendation_fts(rowid, ${names}) VALUES (new.id, ${values('new')}); END`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "recommendation_fts_delete" AFTER DELETE ON "recommendation" BEGIN INSERT INTO recommendation_fts(recommendation_fts, rowid, ${names}) VALUES ('delete', old.id, ${values('old')}); END`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "recommendation_fts_update" AFTER UPDATE OF ${columns.map((c) => `"${c}"`).join(', ')} ON "recommendation" BEGIN ` +
        `INSERT INTO recommendation_fts(recommendation_fts, rowid, ${names}) VALUES ('delete', old.id, ${values('old')}); ` +
        `INSERT INTO recommendation_fts(rowid, ${names}) VALUES (new.id, ${values('new')}); END`,
    );
    await queryRunner.query(`INSERT INTO recommendation_fts(recommendation_fts) VALUES ('rebuild')`);
  }
}
