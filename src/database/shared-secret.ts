import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AppSecret } from './app-secret.entity';

/**
 * A secret every instance on the database shares (signing keys), made by the first instance that
 * needs it: the insert is idempotent, so instances starting together agree on one value.
 */
export async function sharedSecret(dataSource: DataSource, name: string): Promise<Buffer> {
  await dataSource.manager
    .createQueryBuilder()
    .insert()
    .into(AppSecret)
    .values({ name, value: randomBytes(32).toString('base64url') })
    .orIgnore()
    .execute();
  const secret = await dataSource.manager.findOneByOrFail(AppSecret, { name });
  return Buffer.from(secret.value);
}
