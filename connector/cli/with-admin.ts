import type { Command } from 'commander';
import type { AdminApi } from './admin-api';
import { CliError } from './cli-error';
import { localAdmin } from './local-admin';
import type { AdminOptions } from './options';
import { withDataDir } from './open-data-dir';
import { remoteAdmin } from './remote-admin';

const STORE_FLAGS = [
  ['data', '--data'],
  ['secretFile', '--secret-file'],
  ['databaseUrl', '--database-url'],
] as const;

/**
 * Runs an admin command against the running connector that `--url` (or SHEETGATE_URL) names, or
 * else on the store its `--data` / `--database-url` name.
 */
export async function withAdmin<T>(command: Command, env: NodeJS.ProcessEnv, run: (admin: AdminApi) => Promise<T>): Promise<T> {
  const options = command.opts<AdminOptions>();
  const url = options.url ?? (env.SHEETGATE_URL || undefined);
  if (url === undefined) return withDataDir(options, env, async (services) => run(localAdmin(services)));
  // Both would leave it to chance which store the command changes.
  const given = STORE_FLAGS.filter(([name]) => command.getOptionValueSource(name) === 'cli').map(([, flag]) => flag);
  if (given.length > 0) {
    const flags = given.join(' and ');
    throw new CliError(
      options.url === undefined
        ? `SHEETGATE_URL is set, so the command goes to that connector: leave out ${flags}, or unset SHEETGATE_URL.`
        : `--url sends the command to that connector: leave out ${flags}.`,
    );
  }
  return run(remoteAdmin(url, env));
}
