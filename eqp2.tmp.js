const Database = require('better-sqlite3');
const file = process.argv[2]; const plus = process.argv[3] === 'plus' ? '+' : '';
const db = new Database(file);
if (process.argv[3] === 'analyze') db.exec('ANALYZE');
const C = `${plus}"r"."coalition_id" = 1`;
const theme = `"r"."id" IN (SELECT t1.recommendation_id FROM recommendation_tag t1 WHERE t1.kind = 'theme' AND t1.value = 'D25 Prohibition of torture and cruel treatment')`;
const state = `"r"."id" IN (SELECT t2.recommendation_id FROM recommendation_tag t2 WHERE t2.kind = 'recommending_state' AND t2.value = 'Iran (Islamic Republic of)')`;
const fts = (q) => `"r"."id" IN (SELECT rowid FROM recommendation_fts WHERE recommendation_fts MATCH '${q}')`;
const cases = {
  cycle: [`"r"."coalition_id" = 1`, `"r"."cycle_id" = 27`],
  theme: [C, theme],
  stateStatus: [C, `"r"."status" = 'in_progress'`, state],
  torture: [C, fts('"torture"')],
  death: [C, fts('"death" "penalty"')],
  cycleTheme: [C, `"r"."cycle_id" = 27`, theme],
  statusOnly: [`"r"."coalition_id" = 1`, `"r"."status" = 'in_progress'`],
  themeTorture: [C, theme, fts('"torture"')],
};
const time = (stmt) => { for (let i = 0; i < 3; i++) stmt.all(); const n = 20; const t = process.hrtime.bigint(); for (let i = 0; i < n; i++) stmt.all(); return (Number(process.hrtime.bigint() - t) / 1e6 / n).toFixed(2); };
for (const [name, where] of Object.entries(cases)) {
  const w = where.join(' AND ');
  const page = `SELECT r.* FROM recommendation r WHERE ${w} ORDER BY "r"."id" ASC LIMIT 50 OFFSET 0`;
  const count = `SELECT COUNT(1) AS cnt FROM recommendation r WHERE ${w}`;
  const plan = db.prepare('EXPLAIN QUERY PLAN ' + page).all().map((r) => r.detail).join(' | ');
  console.log(`${name}: page ${time(db.prepare(page))} ms, count ${time(db.prepare(count))} ms (=${db.prepare(count).get().cnt})\n   ${plan}`);
}
