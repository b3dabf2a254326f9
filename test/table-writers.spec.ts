// Issue 11: every table is written by one module, its owner (the folder of its entity). This scans
// src/ for writes: SQL (INSERT INTO t, UPDATE t SET, DELETE FROM t) and TypeORM calls naming an
// entity (save/insert/update/delete/... (Entity, ...), save(manager.create(Entity ...)),
// .into(Entity), .update(Entity), .delete().from(Entity)), and compares the writer's folder with the
// owner's. A scan, not a proof: a write through a variable holding an entity class, or SQL built from
// pieces, is not seen; it keeps the plain cases honest. No write from another module is left.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const SRC = join(__dirname, '..', 'src');


function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

const folderOf = (path: string) => relative(SRC, path).split(sep)[0];
const snake = (name: string) => name.replace(/(?<!^)(?=[A-Z])/g, '_').toLowerCase();

/** Each entity class and its table, with the folder that owns them. */
function entities(files: string[]): { tableOf: Map<string, string>; ownerOf: Map<string, string> } {
  const tableOf = new Map<string, string>();
  const ownerOf = new Map<string, string>();
  for (const file of files.filter((f) => f.endsWith('.entity.ts'))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/@Entity\(([^)]*)\)/g)) {
      const name = /export class (\w+)/.exec(text.slice(match.index! + match[0].length))![1];
      const table = /'([^']+)'/.exec(match[1])?.[1] ?? snake(name);
      tableOf.set(name, table);
      ownerOf.set(table, folderOf(file));
    }
  }
  return { tableOf, ownerOf };
}

function foreignWrites(): string[] {
  const files = sourceFiles(SRC);
  const { tableOf, ownerOf } = entities(files);
  const found = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const tables = [
      ...[/\bINSERT\s+INTO\s+"?(\w+)"?/g, /\bUPDATE\s+"?(\w+)"?\s+SET\b/g, /\bDELETE\s+FROM\s+"?(\w+)"?/g].flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[1])),
      ...[
        /\.(?:insert|update|delete|save|remove|upsert|increment|decrement|softDelete)\(\s*(\w+)\s*[,)]/g,
        /\.save\(\s*\w+\.create\(\s*(\w+)/g,
        /\.into\(\s*(\w+)\s*\)/g,
        /\.from\(\s*(\w+)\s*\)\s*\.(?:where|execute)/g,
      ].flatMap((pattern) => [...text.matchAll(pattern)].map((m) => tableOf.get(m[1]))),
    ];
    for (const table of tables) {
      const owner = table ? ownerOf.get(table) : undefined;
      if (owner && owner !== folderOf(file)) found.add(`${relative(SRC, file).split(sep).join('/')} writes ${table} (owner ${owner})`);
    }
  }
  return [...found].sort();
}

describe('one writer per table (issue 11)', () => {
  it('should find the entities and their tables', () => {
    const { ownerOf } = entities(sourceFiles(SRC));
    expect(ownerOf.get('recommendation')).toBe('recommendations');
    expect(ownerOf.get('app_user')).toBe('accounts');
    expect(ownerOf.size).toBeGreaterThanOrEqual(20);
  });

  it('should write each table only from its own module', () => {
    expect(foreignWrites()).toEqual([]);
  });
});
