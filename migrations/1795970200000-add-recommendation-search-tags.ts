import { MigrationInterface, QueryRunner } from 'typeorm';

// PostgreSQL: a recommendation's tags beside its search document (issue 14). A search with a tag
// filter (status + theme + q) joined two sets, the document matches and the tag rows, and either
// way read one side whole: at 1,000,000 recommendations over four coalitions, the coalition's
// 16,700 'torture' matches (about 13,000 pages of recommendation_search) to keep the 230 that are
// in progress under theme D25. The tags are now a second tsvector of the same row, one lexeme per
// tag ('theme D25', 'sdg 5', 'recommending_state France': with a space, as 'coalition 7', so no
// value can be mistaken for another kind's), and the GIN index over both columns answers the text,
// the coalition and the tags in one scan: recommendation is read only for the few ids it gives.
//
// The tags are kept by statement-level triggers on recommendation_tag, which recompute the tags of
// the recommendations a statement touched (an import inserts hundreds of tags per statement). An
// UPDATE of a tag (none is made today) is handled as well: both the old and the new row's
// recommendation. A recommendation's document row is made by its own insert (1795970000000), before
// any of its tags can exist (they reference it), so the tag triggers only ever update.
//
// SQLite: nothing (FTS5 searches the text; the tag filters stay as they are).
export class AddRecommendationSearchTags1795970200000 implements MigrationInterface {
  name = 'AddRecommendationSearchTags1795970200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'postgres') return;
    // The table is made anew with the tags filled in, rather than given the column and updated:
    // an UPDATE of every row would leave the old versions behind (at 1,000,000 recommendations the
    // table took 622 MB where a fresh copy takes 381 MB), and the planner prices a walk of the table in
    // id order by its size. The triggers of 1795970000000 name the table, not its id, so they write
    // to the new one.
    //
    // No parallel scans of it: a search's page or count reads at most its text's matches (16,700
    // at 1,000,000), and starting a worker cost more than it saved (status + theme + q's page:
    // 46-63 ms with one worker, 12-14 ms without, on two busy cores).
    await queryRunner.query(`DROP INDEX "IDX_recommendation_search_document"`);
    await queryRunner.query(
      `CREATE TABLE "recommendation_search_tagged" WITH (parallel_workers = 0) AS
       SELECT s."recommendation_id", s."coalition_id", s."document", COALESCE(g.tags, ''::tsvector) AS "tags"
       FROM "recommendation_search" s LEFT JOIN (
         SELECT recommendation_id, array_to_tsvector(array_agg(DISTINCT kind || ' ' || value)) AS tags FROM "recommendation_tag" GROUP BY recommendation_id
       ) g ON g.recommendation_id = s."recommendation_id"
       ORDER BY s."recommendation_id"`,
    );
    await queryRunner.query(`DROP TABLE "recommendation_search"`);
    await queryRunner.query(`ALTER TABLE "recommendation_search_tagged" RENAME TO "recommendation_search"`);
    await queryRunner.query(
      `ALTER TABLE "recommendation_search" ALTER "recommendation_id" SET NOT NULL, ALTER "coalition_id" SET NOT NULL, ALTER "document" SET NOT NULL,
       ALTER "tags" SET NOT NULL, ALTER "tags" SET DEFAULT ''::tsvector`,
    );
    await queryRunner.query(`ALTER TABLE "recommendation_search" ADD CONSTRAINT "recommendation_search_pkey" PRIMARY KEY ("recommendation_id")`);
    await queryRunner.query(
      `ALTER TABLE "recommendation_search" ADD CONSTRAINT "recommendation_search_recommendation_id_fkey"
       FOREIGN KEY ("recommendation_id") REFERENCES "recommendation" ("id") ON DELETE CASCADE`,
    );
    // One GIN index over both columns, in place of the document's alone: a scan combines the text's,
    // the coalition's and the tags' entries before reading any row. Statistics now, for the tags'
    // lexemes: the planner has none for a new table until autovacuum comes by.
    await queryRunner.query(`CREATE INDEX "IDX_recommendation_search_document_tags" ON "recommendation_search" USING GIN ("document", "tags")`);
    await queryRunner.query(`ANALYZE "recommendation_search"`);
    // SET search_path FROM CURRENT: see 1795970000000.
    // The rows are locked first, in id order, and the tags read by the next statement, which (read
    // committed, a volatile function) sees what was committed by then: two transactions tagging the
    // same recommendation at once would otherwise each write the tags it saw without the other's.
    await queryRunner.query(
      `CREATE FUNCTION "recommendation_search_retag"(ids integer[]) RETURNS void LANGUAGE sql SET search_path FROM CURRENT AS $$
         SELECT 1 FROM recommendation_search WHERE recommendation_id = ANY (ids) ORDER BY recommendation_id FOR UPDATE;
         UPDATE recommendation_search s SET tags = COALESCE(
           (SELECT array_to_tsvector(array_agg(DISTINCT t.kind || ' ' || t.value)) FROM recommendation_tag t WHERE t.recommendation_id = s.recommendation_id),
           ''::tsvector)
         WHERE s.recommendation_id = ANY (ids)
       $$`,
    );
    const trigger = async (event: 'INSERT' | 'DELETE' | 'UPDATE', referencing: string, ids: string) => {
      const name = `recommendation_search_tags_${event.toLowerCase()}`;
      await queryRunner.query(
        `CREATE FUNCTION "${name}"() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
         BEGIN
           PERFORM recommendation_search_retag(ARRAY(${ids}));
           RETURN NULL;
         END $$`,
      );
      await queryRunner.query(
        `CREATE TRIGGER "${name}" AFTER ${event} ON "recommendation_tag" REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION "${name}"()`,
      );
    };
    await trigger('INSERT', 'NEW TABLE AS inserted', 'SELECT DISTINCT recommendation_id FROM inserted');
    await trigger('DELETE', 'OLD TABLE AS deleted', 'SELECT DISTINCT recommendation_id FROM deleted');
    await trigger('UPDATE', 'OLD TABLE AS old_rows NEW TABLE AS new_rows',
      'SELECT recommendation_id FROM old_rows UNION SELECT recommendation_id FROM new_rows');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'postgres') return;
    await queryRunner.query(`CREATE INDEX "IDX_recommendation_search_document" ON "recommendation_search" USING GIN ("document")`);
    await queryRunner.query(`DROP INDEX "IDX_recommendation_search_document_tags"`);
    for (const event of ['insert', 'delete', 'update']) {
      await queryRunner.query(`DROP TRIGGER "recommendation_search_tags_${event}" ON "recommendation_tag"`);
      await queryRunner.query(`DROP FUNCTION "recommendation_search_tags_${event}"()`);
    }
    await queryRunner.query(`DROP FUNCTION "recommendation_search_retag"(integer[])`);
    await queryRunner.query(`ALTER TABLE "recommendation_search" DROP COLUMN "tags"`);
    await queryRunner.query(`ALTER TABLE "recommendation_search" RESET (parallel_workers)`);
  }
}
