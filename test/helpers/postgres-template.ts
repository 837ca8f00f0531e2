import { randomBytes } from 'node:crypto';
import { migrate } from '../../connector/store/postgres/migrate';
import { createPool } from '../../connector/store/postgres/pool';
import { onServer } from './postgres-server';

/**
 * Once per run: a database migrated to the current schema, which every test database is copied
 * from. Copying a template is a file copy; migrating each of hundreds of test databases is not.
 */
export async function createTemplateDatabase(serverUrl: string): Promise<{ name: string; drop(): Promise<void> }> {
  const name = `sg_template_${randomBytes(4).toString('hex')}`;
  await onServer(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const pool = createPool(url.toString());
  try {
    await migrate(pool);
  } finally {
    // A template must have no connection open when it is copied.
    await pool.end();
  }
  return { name, drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
