import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { EntityMetadata } from 'typeorm/metadata/EntityMetadata';
import { placeholder } from './sql-values';

/**
 * findOneBy for one shape of WHERE (equality on the given columns), with the SQL written once from
 * the entity's metadata. TypeORM builds the statement anew on every call, which costs more than
 * SQLite takes to run it, on lookups that nearly every request makes (a recommendation, its cycle).
 * The row is hydrated as TypeORM hydrates it (prepareHydratedValue, column by column); soft-deleted
 * rows are left out as findOneBy leaves them out.
 */
export class PreparedFindOne<T extends ObjectLiteral, K extends keyof T & string> {
  private built?: { sql: string; metadata: EntityMetadata };

  constructor(
    private readonly dataSource: DataSource,
    private readonly entity: EntityTarget<T>,
    private readonly keys: readonly K[],
  ) {}

  async find(manager: EntityManager, where: Pick<T, K>): Promise<T | null> {
    const { sql, metadata } = (this.built ??= this.build());
    const rows: Record<string, unknown>[] = await manager.query(sql, this.keys.map((key) => where[key]));
    if (rows.length === 0) return null;
    const entity = metadata.create() as T;
    for (const column of this.hydrated(metadata)) {
      column.setEntityValue(entity, this.dataSource.driver.prepareHydratedValue(rows[0][column.databaseName], column));
    }
    return entity;
  }

  /** The columns findOneBy reads into the entity: not those only a relation stands for, nor select: false ones. */
  private hydrated(metadata: EntityMetadata) {
    return metadata.columns.filter((column) => !column.isVirtual && column.isSelect);
  }

  private build(): { sql: string; metadata: EntityMetadata } {
    const metadata = this.dataSource.getMetadata(this.entity);
    const q = (name: string) => `"${name}"`;
    const conditions = this.keys.map((key, i) => {
      const column = metadata.findColumnWithPropertyName(key);
      if (!column) throw new Error(`${metadata.name} has no column ${key}`);
      return `${q(column.databaseName)} = ${placeholder(this.dataSource, i + 1)}`;
    });
    if (metadata.deleteDateColumn) conditions.push(`${q(metadata.deleteDateColumn.databaseName)} IS NULL`);
    const columns = this.hydrated(metadata).map((c) => q(c.databaseName)).join(', ');
    return { sql: `SELECT ${columns} FROM ${q(metadata.tableName)} WHERE ${conditions.join(' AND ')} LIMIT 1`, metadata };
  }
}
