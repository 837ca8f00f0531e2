import type { Services } from '../deps';
import type { User } from '../store/types';
import { CliError } from './cli-error';

/** A user named on the command line by username, e-mail or id. */
export async function findUser(services: Services, name: string | undefined, usage: string): Promise<User> {
  if (!name) throw new CliError(`Name a user. Usage: ${usage}`);
  const security = services.store.security;
  const user = (await security.findUserByUsername(name)) ?? (await security.findUserByEmail(name)) ?? (await security.getUser(name));
  if (!user) throw new CliError(`No user "${name}".`);
  return user;
}
