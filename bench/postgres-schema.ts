import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** A fresh schema for one run, so the benchmark never touches existing data; dropped afterwards. */
export async function createSchema(url: string): Promise<{ schema: string; drop(): Promise<void> }> {
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  await withClient(url, (client) => client.query(`CREATE SCHEMA ${schema}`));
  return { schema, drop: () => withClient(url, (client) => client.query(`DROP SCHEMA ${schema} CASCADE`)) };
}

async function withClient(url: string, work: (client: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
