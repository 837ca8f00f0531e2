import type { User } from '../../console/src/client';
import type { AdminApi } from './admin-api';
import { CliError } from './cli-error';

/** A user named on the command line by username, e-mail or id, among those the admin may manage. */
export async function findUser(admin: AdminApi, name: string): Promise<User> {
  const wanted = name.toLowerCase();
  // The search matches substrings of usernames and e-mails: pick the exact one.
  const match = (await allUsers(admin, name)).find((user) => user.username.toLowerCase() === wanted || user.email.toLowerCase() === wanted);
  if (match) return match;
  try {
    return await admin.getUser(name);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'not_found') throw new CliError(`No user "${name}".`);
    throw error;
  }
}

/** Every user the admin may manage (or, with `q`, that match it), following the pages to the end. */
export async function allUsers(admin: AdminApi, q?: string): Promise<User[]> {
  const users: User[] = [];
  let cursor: string | null = null;
  do {
    const page = await admin.listUsers({ q, limit: 1000, cursor });
    users.push(...page.users);
    cursor = page.nextCursor;
  } while (cursor);
  return users;
}
