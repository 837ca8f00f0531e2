import { logErrorMessage } from 'office-addin-cli';
import { ApiError } from '../errors';
import { authorizeCommand, revokeCommand } from './access';
import { bootstrapAdminCommand } from './bootstrap-admin';
import { CliError } from './cli-error';
import { copyStoreCommand } from './copy-store';
import { importCommand } from './import';
import { serveCommand } from './serve';
import { usersCommand } from './users';

const COMMANDS: Record<string, (args: string[], env: NodeJS.ProcessEnv) => Promise<void>> = {
  serve: serveCommand,
  'bootstrap-admin': bootstrapAdminCommand,
  users: usersCommand,
  authorize: authorizeCommand,
  revoke: revokeCommand,
  import: importCommand,
  'copy-store': copyStoreCommand,
};

const HELP = `Usage: sheetgate <command> [options]
  serve             start the connector and serve the add-in
  bootstrap-admin   create an authorized system admin and print its token and key
  users             list, create, grant, settings, activate, deactivate, delete
  authorize USER    turn API access on and print a new token and key
  revoke USER       turn API access off (every credential revoked)
  import TABLE FILE upsert rows from a CSV or JSON file
  copy-store        copy a data directory into an empty PostgreSQL database (--from DIR --to URL)
Every command takes --data DIR (default ./data) and --secret-file FILE (default: one per data
directory under $XDG_CONFIG_HOME/sheetgate/secrets, or SHEETGATE_SECRET), or instead
--database-url URL (or SHEETGATE_DATABASE_URL): a PostgreSQL database several connectors share,
with SHEETGATE_SECRET required.`;

/** Runs one command; returns the exit code. Errors become one line on stderr. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === 'help') {
    process.stdout.write(`${HELP}\n`);
    if (name) return 0;
    logErrorMessage('Name a command; the commands are listed above.');
    return 2;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new CliError(`Unknown command "${name}"; run "sheetgate --help" to see the commands.`);
    await command(args, env);
    return 0;
  } catch (error) {
    logErrorMessage(oneLine(error instanceof Error ? error.message : String(error)));
    return error instanceof CliError || (error instanceof ApiError && error.status < 500) ? 2 : 1;
  }
}

function oneLine(message: string): string {
  return message.split('\n')[0];
}
