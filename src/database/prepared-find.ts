import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
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
  private built?: { sql: string; columns: EntityColumns<T> };

  constructor(
    private readonly dataSource: DataSource,
    private readonly entity: EntityTarget<T>,
    private readonly keys: readonly K[],
  ) {}

  async find(manager: EntityManager, where: Pick<T, K>): Promise<T | null> {
    const { sql, columns } = (this.built ??= this.build());
    const rows: Record<string, unknown>[] = await manager.query(sql, this.keys.map((key) => where[key]));
    return rows.length === 0 ? null : columns.hydrate(rows[0]);
  }

  private build(): { sql: string; columns: EntityColumns<T> } {
    const columns = new EntityColumns(this.dataSource, this.entity);
    const { metadata } = columns;
    const q = (name: string) => `"${name}"`;
    const conditions = this.keys.map((key, i) => {
      const column = metadata.findColumnWithPropertyName(key);
      if (!column) throw new Error(`${metadata.name} has no column ${key}`);
      return `${q(column.databaseName)} = ${placeholder(this.dataSource, i + 1)}`;
    });
    if (metadata.deleteDateColumn) conditions.push(`${q(metadata.deleteDateColumn.databaseName)} IS NULL`);
    const list = columns.hydrated.map((c) => q(c.databaseName)).join(', ');
    return { sql: `SELECT ${list} FROM ${q(metadata.tableName)} WHERE ${conditions.join(' AND ')} LIMIT 1`, columns };
  }
}

/**
 * The columns findOneBy reads into an entity (not those only a relation stands for, nor select:
 * false ones), for hand-written SQL that reads two entities in one statement: each selected under
 * its table alias with a prefix of its own (`r."status" AS "r_status"`), each hydrated back from
 * its prefixed values as TypeORM hydrates it.
 */
export class EntityColumns<T extends ObjectLiteral> {
  readonly metadata: EntityMetadata;
  readonly hydrated: ColumnMetadata[];

  constructor(
    private readonly dataSource: DataSource,
    entity: EntityTarget<T>,
    private readonly prefix = '',
  ) {
    this.metadata = dataSource.getMetadata(entity);
    this.hydrated = this.metadata.columns.filter((column) => !column.isVirtual && column.isSelect);
  }

  /** The select list, e.g. `r."id" AS "r_id", r."status" AS "r_status"`. */
  select(alias: string): string {
    return this.hydrated.map((c) => `${alias}."${c.databaseName}" AS "${this.prefix}${c.databaseName}"`).join(', ');
  }

  hydrate(row: Record<string, unknown>): T {
    const entity = this.metadata.create() as T;
    for (const column of this.hydrated) {
      column.setEntityValue(entity, this.dataSource.driver.prepareHydratedValue(row[this.prefix + column.databaseName], column));
    }
    return entity;
  }
}
