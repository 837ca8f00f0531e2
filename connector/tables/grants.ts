import { isFormat, type Format } from '../contract';
import type { User } from '../store/types';

/**
 * The highest format a user may read a table in. A table the user has no grant for is `none`.
 * System admins hold an implicit `expanded` grant on every table: they see all data anyway
 * (every row, every admin route), so a stored grant could only ever understate that.
 */
export function grantFor(user: User, tableId: string): Format {
  if (user.roles.includes('system-admin')) return 'expanded';
  const grant = Object.hasOwn(user.grants ?? {}, tableId) ? user.grants[tableId] : 'none';
  return isFormat(grant) ? grant : 'none';
}
