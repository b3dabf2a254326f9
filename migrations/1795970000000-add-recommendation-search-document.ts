import { MigrationInterface, QueryRunner } from 'typeorm';

// PostgreSQL's full-text search reads a stored tsvector (issue 14). The GIN index over the
// expression to_tsvector('english', text) found the matching rows, but every query recomputed
// to_tsvector for each row it rechecked or filtered (the page of q=torture walked rows in id
// order and parsed each one's text): the slowest request of the benchmark. The document is now
// computed once per write and kept in its own table, recommendation_search, by triggers.
//
// A side table rather than a generated column on recommendation: the entity is shared by both
// databases and TypeORM drops any column a table has that the entity does not describe (the
// schema test runs its diff), while it never looks at tables no entity names. It also carries
// the coalition, so a count of matches never touches recommendation.
//
// SQLite: nothing; its FTS5 index (1795953100000) stores its documents already.
export class AddRecommendationSearchDocument1795970000000 implements MigrationInterface {
  name = 'AddRecommendationSearchDocument1795970000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'postgres') return;
    await queryRunner.query(
      `CREATE TABLE "recommendation_search" (
        "recommendation_id" integer PRIMARY KEY REFERENCES "recommendation" ("id") ON DELETE CASCADE,
        "coalition_id" integer NOT NULL,
        "document" tsvector NOT NULL
      )`,
    );
    // SET search_path FROM CURRENT: the functions name the table unqualified and run in whatever
    // session writes a recommendation; they must find the table of the schema they were made in.
    // Inserts: once per statement over its new rows (a bulk import inserts hundreds per statement).
    await queryRunner.query(
      `CREATE FUNCTION "recommendation_search_insert"() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
       BEGIN
         INSERT INTO recommendation_search (recommendation_id, coalition_id, document)
           SELECT n.id, n.coalition_id, to_tsvector('english', n.text) FROM inserted n;
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
         UPDATE recommendation_search SET coalition_id = NEW.coalition_id, document = to_tsvector('english', NEW.text)
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
       SELECT "id", "coalition_id", to_tsvector('english', "text") FROM "recommendation"`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_recommendation_search_document" ON "recommendation_search" USING GIN ("document")`);
    await queryRunner.query(`CREATE INDEX "IDX_recommendation_search_coalition" ON "recommendation_search" ("coalition_id", "recommendation_id")`);
    await queryRunner.query(`DROP INDEX "IDX_recommendation_text_search"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'postgres') return;
    await queryRunner.query(`CREATE INDEX "IDX_recommendation_text_search" ON "recommendation" USING GIN (to_tsvector('english', "text"))`);
    await queryRunner.query(`DROP TRIGGER "recommendation_search_update" ON "recommendation"`);
    await queryRunner.query(`DROP TRIGGER "recommendation_search_insert" ON "recommendation"`);
    await queryRunner.query(`DROP FUNCTION "recommendation_search_update"()`);
    await queryRunner.query(`DROP FUNCTION "recommendation_search_insert"()`);
    await queryRunner.query(`DROP TABLE "recommendation_search"`);
  }
}
