import { MigrationInterface, QueryRunner } from 'typeorm';

// How many recommendations each coalition has, kept by triggers (issue 14): the total of the
// unfiltered listing. Counting the coalition's index entries grew with the coalition: at
// 1,000,000 recommendations over four coalitions, COUNT(*) of one coalition's 250,000 was the
// slowest part of the first page on PostgreSQL. A table no entity names (TypeORM's schema diff
// leaves such tables alone). Recommendations never move between coalitions, but a move would be
// counted too.
//
// PostgreSQL: inserts and deletes counted once per statement over its rows (an import inserts
// hundreds per statement). Two transactions adding recommendations to the same coalition wait for
// each other's commit on its row: writes of one coalition are rare (a coordinator, an import).
export class AddCoalitionRecommendationCount1795970100000 implements MigrationInterface {
  name = 'AddCoalitionRecommendationCount1795970100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "coalition_recommendation_count" ("coalition_id" integer PRIMARY KEY, "n" integer NOT NULL)`);
    await queryRunner.query(
      `INSERT INTO "coalition_recommendation_count" ("coalition_id", "n") SELECT "coalition_id", COUNT(*) FROM "recommendation" GROUP BY "coalition_id"`,
    );
    if (queryRunner.connection.options.type === 'postgres') await this.postgresTriggers(queryRunner);
    else await this.sqliteTriggers(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const trigger of ['insert', 'delete', 'move']) {
      const name = `coalition_recommendation_count_${trigger}`;
      if (queryRunner.connection.options.type === 'postgres') {
        await queryRunner.query(`DROP TRIGGER "${name}" ON "recommendation"`);
        await queryRunner.query(`DROP FUNCTION "${name}"()`);
      } else {
        await queryRunner.query(`DROP TRIGGER "${name}"`);
      }
    }
    await queryRunner.query(`DROP TABLE "coalition_recommendation_count"`);
  }

  private async postgresTriggers(queryRunner: QueryRunner): Promise<void> {
    // Coalitions in id order, so that two statements touching the same coalitions lock their rows
    // in the same order. SET search_path FROM CURRENT: see 1795970000000.
    const add = (rows: string, sign: '+' | '-') =>
      `INSERT INTO coalition_recommendation_count AS c (coalition_id, n)
         SELECT coalition_id, ${sign}COUNT(*) FROM ${rows} GROUP BY coalition_id ORDER BY coalition_id
         ON CONFLICT (coalition_id) DO UPDATE SET n = c.n + EXCLUDED.n;`;
    const fn = (name: string, body: string) => queryRunner.query(
      `CREATE FUNCTION "${name}"() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$ BEGIN ${body} RETURN NULL; END $$`,
    );
    await fn('coalition_recommendation_count_insert', add('inserted', '+'));
    await queryRunner.query(
      `CREATE TRIGGER "coalition_recommendation_count_insert" AFTER INSERT ON "recommendation" REFERENCING NEW TABLE AS inserted
       FOR EACH STATEMENT EXECUTE FUNCTION "coalition_recommendation_count_insert"()`,
    );
    await fn('coalition_recommendation_count_delete', add('deleted', '-'));
    await queryRunner.query(
      `CREATE TRIGGER "coalition_recommendation_count_delete" AFTER DELETE ON "recommendation" REFERENCING OLD TABLE AS deleted
       FOR EACH STATEMENT EXECUTE FUNCTION "coalition_recommendation_count_delete"()`,
    );
    await fn(
      'coalition_recommendation_count_move',
      `UPDATE coalition_recommendation_count SET n = n - 1 WHERE coalition_id = OLD.coalition_id;
       INSERT INTO coalition_recommendation_count AS c (coalition_id, n) VALUES (NEW.coalition_id, 1) ON CONFLICT (coalition_id) DO UPDATE SET n = c.n + 1;`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "coalition_recommendation_count_move" AFTER UPDATE OF "coalition_id" ON "recommendation" FOR EACH ROW
       WHEN (OLD."coalition_id" IS DISTINCT FROM NEW."coalition_id") EXECUTE FUNCTION "coalition_recommendation_count_move"()`,
    );
  }

  private async sqliteTriggers(queryRunner: QueryRunner): Promise<void> {
    const plusOne = (row: string) =>
      `INSERT INTO coalition_recommendation_count (coalition_id, n) VALUES (${row}.coalition_id, 1) ON CONFLICT (coalition_id) DO UPDATE SET n = n + 1;`;
    const minusOne = (row: string) => `UPDATE coalition_recommendation_count SET n = n - 1 WHERE coalition_id = ${row}.coalition_id;`;
    await queryRunner.query(`CREATE TRIGGER "coalition_recommendation_count_insert" AFTER INSERT ON "recommendation" BEGIN ${plusOne('new')} END`);
    await queryRunner.query(`CREATE TRIGGER "coalition_recommendation_count_delete" AFTER DELETE ON "recommendation" BEGIN ${minusOne('old')} END`);
    await queryRunner.query(
      `CREATE TRIGGER "coalition_recommendation_count_move" AFTER UPDATE OF "coalition_id" ON "recommendation" ` +
        `WHEN old.coalition_id IS NOT new.coalition_id BEGIN ${minusOne('old')} ${plusOne('new')} END`,
    );
  }
}
