import { MigrationInterface, QueryRunner } from 'typeorm';
import { AFFECTED_GROUP_ALIASES, AFFECTED_GROUPS, SDG_GOALS, SDG_TARGETS, THEME_ALIASES, THEMES } from './1795961000000-themes.data';

// Canonical themes, groups of persons and SDGs (issue 12): UHRI's themes with their codes (`theme`),
// the other names of themes with the codes and groups they stand for (`theme_alias`: UPR Info's
// issues, the current UHRI theme names), UHRI's affected persons (`affected_group`,
// `affected_group_alias`), and the 17 SDGs and their 169 targets (`sdg`). The seed is
// 1795961000000-themes.data.ts, whose header says where each list came from. No foreign keys: the
// tables are read-only reference lists, shipped and corrected by migrations only.
//
// Stored tags become canonical: a theme tag (recommendation_tag, kind theme) becomes the UHRI codes
// its value stands for ("D23 Death penalty" and UPR Info's "Death penalty" become "D23"; "Women's
// rights" becomes "F1" plus the group "Women"), an affected-person tag becomes the group's name
// ("- women" becomes "Women"). A recommendation that already had the code keeps one tag. Values that
// match nothing are kept as written (shown without a code) until a re-import or an edit maps them.
// Not undone by down(). Never edit after landing.

/** The matching key as it was when this migration landed (src/themes/theme-names.ts, vocabularyKey). */
function key(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2018\u2019\u201a\u201b\u2032\u00b4\u0060\u02bc\u02b9]/g, "'")
    .replace(/[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]/g, '-')
    .replace(/&/g, ' and ')
    .toLowerCase()
    .replace(/\s*\/\s*/g, '/')
    .replace(/\s*\(\s*/g, ' (')
    .replace(/\s*\)/g, ')')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^-\s*/, '')
    .replace(/[.;,:]+$/, '')
    .trim();
}

/** Rows per INSERT: far below SQLite's and PostgreSQL's parameter limits. */
const BATCH = 50;

export class AddThemes1795961000000 implements MigrationInterface {
  name = 'AddThemes1795961000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    const varchar = postgres ? 'character varying' : 'varchar';
    await queryRunner.query(`CREATE TABLE "theme" ("code" ${varchar}(4) NOT NULL, "name" ${varchar}(200) NOT NULL, CONSTRAINT "PK_theme" PRIMARY KEY ("code"))`);
    await queryRunner.query(`CREATE TABLE "theme_alias" ("alias" ${varchar}(200) NOT NULL, "theme_codes" ${varchar}(100) NOT NULL, "group_names" ${varchar}(400) NOT NULL, CONSTRAINT "PK_theme_alias" PRIMARY KEY ("alias"))`);
    await queryRunner.query(`CREATE TABLE "affected_group" ("name" ${varchar}(200) NOT NULL, CONSTRAINT "PK_affected_group" PRIMARY KEY ("name"))`);
    await queryRunner.query(`CREATE TABLE "affected_group_alias" ("alias" ${varchar}(200) NOT NULL, "group_name" ${varchar}(200) NOT NULL, CONSTRAINT "PK_affected_group_alias" PRIMARY KEY ("alias"))`);
    await queryRunner.query(`CREATE TABLE "sdg" ("code" ${varchar}(5) NOT NULL, "goal" integer NOT NULL, "title" ${varchar}(200), CONSTRAINT "PK_sdg" PRIMARY KEY ("code"))`);

    const param = (i: number) => (postgres ? `$${i}` : '?');
    const insert = async (table: string, columns: string[], rows: readonly (readonly (string | number | null)[])[]) => {
      for (let start = 0; start < rows.length; start += BATCH) {
        const batch = rows.slice(start, start + BATCH);
        const values = batch.map((_, r) => `(${columns.map((__, c) => param(r * columns.length + c + 1)).join(', ')})`).join(', ');
        await queryRunner.query(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${values}`, batch.flat());
      }
    };
    await insert('theme', ['code', 'name'], THEMES);
    await insert('theme_alias', ['alias', 'theme_codes', 'group_names'], THEME_ALIASES);
    await insert('affected_group', ['name'], AFFECTED_GROUPS.map((name) => [name]));
    await insert('affected_group_alias', ['alias', 'group_name'], AFFECTED_GROUP_ALIASES);
    await insert('sdg', ['code', 'goal', 'title'], [
      ...SDG_GOALS.map(([goal, title]) => [String(goal), goal, title]),
      ...SDG_TARGETS.map((target) => [target, Number(target.split('.')[0]), null]),
    ]);

    // What each spelling stands for, as the application resolves it (src/themes/theme-directory.ts).
    const themeCodes = new Set(THEMES.map(([code]) => code));
    const themeKeys = new Map<string, { codes: string[]; groups: string[] }>();
    for (const [code, name] of THEMES) {
      for (const k of [key(name), key(`${code} ${name}`)]) if (!themeKeys.has(k)) themeKeys.set(k, { codes: [code], groups: [] });
    }
    for (const [alias, codes, groups] of THEME_ALIASES) {
      const existing = themeKeys.get(key(alias));
      const groupList = groups.split('|').filter(Boolean);
      themeKeys.set(key(alias), existing ? { codes: existing.codes, groups: [...new Set([...existing.groups, ...groupList])] } : { codes: codes.split(' ').filter(Boolean), groups: groupList });
    }
    const groupKeys = new Map<string, string>(AFFECTED_GROUPS.map((name) => [key(name), name]));
    for (const [alias, name] of AFFECTED_GROUP_ALIASES) if (!groupKeys.has(key(alias))) groupKeys.set(key(alias), name);
    const resolveTheme = (value: string): { codes: string[]; groups: string[] } | null => {
      const named = themeKeys.get(key(value));
      const namedGroup = groupKeys.get(key(value));
      if (named) return { codes: named.codes, groups: namedGroup && !named.groups.includes(namedGroup) ? [...named.groups, namedGroup] : named.groups };
      const coded = /^(?:-\s*)?([A-H]\d{1,2})\s+(.+)$/.exec(value.trim());
      if (coded) {
        const byName = themeKeys.get(key(coded[2]));
        const beneath = themeCodes.has(coded[1]) && byName?.codes.some((code) => coded[1].startsWith(code));
        if (byName && byName.codes.length > 0 && !beneath) return { codes: byName.codes, groups: byName.groups };
        if (themeCodes.has(coded[1])) return { codes: [coded[1]], groups: [] };
      }
      const group = groupKeys.get(key(value));
      return group ? { codes: [], groups: [group] } : null;
    };

    // Copies the rows tagged `value` to `to` (unless the recommendation has it already), keeping their position.
    const copyTags = async (fromKind: string, value: string, toKind: string, to: string) => {
      await queryRunner.query(
        `INSERT INTO "recommendation_tag" ("recommendation_id", "coalition_id", "kind", "value", "position") ` +
          `SELECT t."recommendation_id", t."coalition_id", ${param(1)}, ${param(2)}, t."position" FROM "recommendation_tag" t ` +
          `WHERE t."kind" = ${param(3)} AND t."value" = ${param(4)} AND NOT EXISTS (SELECT 1 FROM "recommendation_tag" u WHERE u."recommendation_id" = t."recommendation_id" AND u."kind" = ${param(5)} AND u."value" = ${param(6)})`,
        [toKind, to, fromKind, value, toKind, to],
      );
    };
    const drop = (kind: string, value: string) => queryRunner.query(`DELETE FROM "recommendation_tag" WHERE "kind" = ${param(1)} AND "value" = ${param(2)}`, [kind, value]);

    const themeValues: { value: string }[] = await queryRunner.query(`SELECT DISTINCT "value" FROM "recommendation_tag" WHERE "kind" = 'theme'`);
    for (const { value } of themeValues) {
      const meaning = resolveTheme(value);
      if (!meaning || (meaning.codes.length === 1 && meaning.codes[0] === value && meaning.groups.length === 0)) continue;
      for (const code of meaning.codes) if (code !== value) await copyTags('theme', value, 'theme', code);
      for (const group of meaning.groups) await copyTags('theme', value, 'affected_person', group);
      if (!meaning.codes.includes(value)) await drop('theme', value);
    }
    const groupValues: { value: string }[] = await queryRunner.query(`SELECT DISTINCT "value" FROM "recommendation_tag" WHERE "kind" = 'affected_person'`);
    for (const { value } of groupValues) {
      const group = groupKeys.get(key(value));
      if (!group || group === value) continue;
      await copyTags('affected_person', value, 'affected_person', group);
      await drop('affected_person', value);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['sdg', 'affected_group_alias', 'affected_group', 'theme_alias', 'theme']) await queryRunner.query(`DROP TABLE "${table}"`);
  }
}
