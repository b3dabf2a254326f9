// Jest's globalSetup: before any suite starts, check what the suites need from the machine and say
// in one line what is missing and how to install it (without this, a machine with no Chromium gave
// nine failing browser suites with a raw launch error each). The README's Quick start lists the same.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { Client } from 'pg';

const NODE_MINIMUM = [20, 19];

export default async function checkPrerequisites(): Promise<void> {
  const missing: string[] = [];
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < NODE_MINIMUM[0] || (major === NODE_MINIMUM[0] && minor < NODE_MINIMUM[1])) {
    missing.push(`Node.js ${NODE_MINIMUM.join('.')} or later (this is ${process.versions.node})`);
  }
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  try {
    accessSync(chromium, constants.X_OK);
  } catch {
    missing.push(`Chromium at ${chromium}, for the browser suites and PDF reports: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  const url = process.env.DATABASE_URL;
  if (url?.startsWith('postgres')) {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
    try {
      await client.connect();
    } catch (error) {
      missing.push(`PostgreSQL at ${url.replace(/\/\/[^@/]*@/, '//')} (${(error as Error).message}): start it, e.g. pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`);
    } finally {
      await client.end().catch(() => undefined);
    }
    // The suites' PostgreSQL schemas are copied from pg_dump's script of a migrated one (migrated-template.ts).
    if (spawnSync('pg_dump', ['--version']).status !== 0) missing.push('pg_dump, to copy the migrated test schema: apt-get install -y postgresql-client');
  }
  if (missing.length > 0) {
    process.stderr.write(`\nThe tests cannot run on this machine; missing: ${missing.join('; ')}.\n\n`);
    process.exit(1);
  }
}
