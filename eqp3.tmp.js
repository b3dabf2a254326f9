const Database = require('better-sqlite3');
const db = new Database(process.argv[2]);
const time = (sql) => { const s = db.prepare(sql); for (let i = 0; i < 3; i++) s.all(); const n = 20; const t = process.hrtime.bigint(); for (let i = 0; i < n; i++) s.all(); return (Number(process.hrtime.bigint() - t) / 1e6 / n).toFixed(2); };
const plan = (sql) => db.prepare('EXPLAIN QUERY PLAN ' + sql).all().map((r) => r.detail).join(' | ');
const qs = [
 `SELECT COUNT(1) FROM recommendation r WHERE +r.coalition_id = 1 AND r.id IN (SELECT t1.recommendation_id FROM recommendation_tag t1 WHERE t1.kind = 'theme' AND t1.value = 'D25 Prohibition of torture and cruel treatment')`,
 `SELECT COUNT(*) FROM recommendation_tag t1 WHERE t1.kind = 'theme' AND t1.value = 'D25 Prohibition of torture and cruel treatment'`,
 `SELECT COUNT(*) FROM recommendation_fts WHERE recommendation_fts MATCH '"torture"'`,
 `SELECT rowid FROM recommendation_fts WHERE recommendation_fts MATCH '"torture"'`,
 `SELECT COUNT(*) FROM recommendation_tag t1 JOIN recommendation r ON r.id = t1.recommendation_id WHERE t1.kind = 'theme' AND t1.value = 'D25 Prohibition of torture and cruel treatment' AND r.coalition_id = 1`,
 `SELECT COUNT(*) FROM recommendation r WHERE r.coalition_id = 1`,
 `SELECT COUNT(*) FROM recommendation r WHERE +r.coalition_id = 1 AND r.id IN (SELECT rowid FROM recommendation_fts WHERE recommendation_fts MATCH '"torture"')`,
];
for (const q of qs) console.log(time(q), 'ms', q.slice(0, 110), '\n    ', plan(q));
