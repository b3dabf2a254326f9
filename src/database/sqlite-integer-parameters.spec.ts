import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { bindIntegerParameters } from './sqlite-integer-parameters';

describe('bindIntegerParameters (SQLite)', () => {
  let dir: string;
  let dataSource: DataSource;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'upr-int-params-'));
    dataSource = new DataSource({ type: 'better-sqlite3', database: join(dir, 'db.sqlite') });
    bindIntegerParameters(dataSource);
    await dataSource.initialize();
    await dataSource.query(`CREATE TABLE item (id INTEGER PRIMARY KEY, label TEXT)`);
    await dataSource.query(`INSERT INTO item (id, label) VALUES (1, 'one'), (2, 'two')`);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const select = (id: number) => dataSource.createQueryBuilder().select('label').from('item', 'i').where('id = :id', { id });

  it('should bind an integer as a parameter, so every id shares one statement', () => {
    const [sqlOne, parametersOne] = select(1).getQueryAndParameters();
    const [sqlTwo] = select(2).getQueryAndParameters();
    expect(sqlOne).toBe(sqlTwo);
    expect(sqlOne).not.toMatch(/= 1\b/);
    expect(parametersOne).toEqual([1n]);
  });

  it('should find the same rows as the literal did, and bind integers as INTEGER, fractions as before', async () => {
    expect(await select(2).getRawMany()).toEqual([{ label: 'two' }]);
    expect(await select(3).getRawMany()).toEqual([]);
    const typed = await dataSource.createQueryBuilder().select('typeof(:whole)', 'whole').addSelect('typeof(:part)', 'part')
      .from('item', 'i').where('id = :id', { id: 1, whole: 7, part: 0.5 }).getRawOne();
    expect(typed).toEqual({ whole: 'integer', part: 'real' });
    // A number stored into a text column reads as it did with the literal ("5", not "5.0").
    await dataSource.createQueryBuilder().insert().into('item').values({ id: 5, label: () => ':label' }).setParameter('label', 5).execute();
    expect(await select(5).getRawOne()).toEqual({ label: '5' });
  });
});
