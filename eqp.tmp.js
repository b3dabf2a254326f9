const Database = require('better-sqlite3');
const db = new Database('/tmp/benchprobe/bench.sqlite', { readonly: true });
const qs = {
 theme: [`SELECT "r"."id" FROM "recommendation" "r" WHERE "r"."coalition_id" = 1 AND "r"."id" IN (SELECT t1.recommendation_id FROM recommendation_tag t1 WHERE t1.kind = 'theme' AND t1.value = ?) ORDER BY "r"."id" ASC LIMIT 50 OFFSET 0`, ['D25 Prohibition of torture and cruel treatment']],
 themeCount: [`SELECT COUNT(1) FROM "recommendation" "r" WHERE "r"."coalition_id" = 1 AND "r"."id" IN (SELECT t1.recommendation_id FROM recommendation_tag t1 WHERE t1.kind = 'theme' AND t1.value = ?)`, ['D25 Prohibition of torture and cruel treatment']],
 state: [`SELECT "r"."id" FROM "recommendation" "r" WHERE "r"."coalition_id" = 1 AND "r"."status" = ? AND "r"."id" IN (SELECT t2.recommendation_id FROM recommendation_tag t2 WHERE t2.kind = 'recommending_state' AND t2.value = ?) ORDER BY "r"."id" ASC LIMIT 50 OFFSET 0`, ['in_progress','Iran (Islamic Republic of)']],
 stateCount: [`SELECT COUNT(1) FROM "recommendation" "r" WHERE "r"."coalition_id" = 1 AND "r"."status" = ? AND "r"."id" IN (SELECT t2.recommendation_id FROM recommendation_tag t2 WHERE t2.kind = 'recommending_state' AND t2.value = ?)`, ['in_progress','Iran (Islamic Republic of)']],
 q: [`SELECT "r"."id" FROM "recommendation" "r" WHERE "r"."coalition_id" = 1 AND "r"."id" IN (SELECT rowid FROM recommendation_fts WHERE recommendation_fts MATCH ?) ORDER BY "r"."id" ASC LIMIT 50 OFFSET 0`, ['"torture"']],
 qCount: [`SELECT COUNT(1) FROM "recommendation" "r" WHERE "r"."coalition_id" = 1 AND "r"."id" IN (SELECT rowid FROM recommendation_fts WHERE recommendation_fts MATCH ?)`, ['"torture"']],
 cycle: [`SELECT "r"."id" FROM "recommendation" "r" WHERE "r"."coalition_id" = 1 AND "r"."cycle_id" = 27 ORDER BY "r"."id" ASC LIMIT 50 OFFSET 0`, []],
};
for (const [name, [sql, p]] of Object.entries(qs)) {
  console.log('--', name);
  for (const row of db.prepare('EXPLAIN QUERY PLAN ' + sql).all(...p)) console.log('  ', row.id, row.parent, row.detail);
  const t = process.hrtime.bigint(); const r = db.prepare(sql).all(...p); console.log('   rows', r.length, Number(process.hrtime.bigint() - t) / 1e6, 'ms');
}
console.log(db.prepare("select count(*) c from recommendation_tag where kind='theme' and value=?").get('D25 Prohibition of torture and cruel treatment'));
console.log(db.prepare("select name from sqlite_master where name like 'sqlite_stat%'").all());
