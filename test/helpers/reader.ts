import type { SecurityReads } from '../../connector/store/types';
import type { Reader } from '../../connector/tables/read-table';
import type { TestUser } from './harness';

/** The reader a test user's credential authenticates as: its user and organizations, read as `authenticate` reads them. */
export async function readerOf(security: SecurityReads, created: TestUser): Promise<Reader> {
  const holder = await security.findPrincipal(created.token);
  if (!holder?.user) throw new Error(`no user holds the token of ${created.user.username}`);
  return { user: holder.user, organizations: holder.organizations };
}
