import type { Command } from 'commander';
import { parseNumber } from 'office-addin-cli';
import { CliError } from './cli-error';

/** Where a command finds its store: a data directory (with its secret) or a PostgreSQL database. */
export interface StoreOptions {
  data: string;
  secretFile?: string;
  databaseUrl?: string;
  definitions?: string;
}

/** A store command's options, plus `--url` for a running connector and `--json` for scripts. */
export interface AdminOptions extends StoreOptions {
  url?: string;
  json?: boolean;
}

/** `--data DIR` and `--secret-file FILE`, or `--database-url URL` (and `--definitions DIR`): every command that opens a store takes them. */
export function storeOptions(command: Command): Command {
  return command
    .optionsGroup(WHERE)
    .option('--data <dir>', 'the data directory', './data')
    .option('--secret-file <file>', "the data directory's server secret (default: one per data directory under $XDG_CONFIG_HOME/sheetgate/secrets, or SHEETGATE_SECRET)")
    .option('--database-url <url>', 'a PostgreSQL database instead of a data directory (or SHEETGATE_DATABASE_URL; needs SHEETGATE_SECRET)')
    .option('--definitions <dir>', 'with a database: your own table definitions, the same folder on every connector (or SHEETGATE_DEFINITIONS; a data directory reads DIR/definitions)')
    .optionsGroup('Options:');
}

/** The help's heading of the options that say where a command runs. */
const WHERE = 'Where it runs:';

/**
 * An admin command: it runs on a store as `storeOptions` say, or with `--url` (or SHEETGATE_URL)
 * against a running connector's admin routes, as the administrator whose pair is in
 * SHEETGATE_TOKEN and SHEETGATE_KEY. `json: false` for a command whose route answers no body.
 */
export function adminCommand(parent: Command, name: string, { json = true } = {}): Command {
  const command = storeOptions(parent.command(name))
    .optionsGroup(WHERE)
    .option('--url <url>', "a running connector's address (or SHEETGATE_URL), as the admin whose pair is in SHEETGATE_TOKEN and SHEETGATE_KEY")
    .optionsGroup('Options:');
  return json ? command.option('--json', "print the admin route's JSON") : command;
}

/** For repeatable options (`--role a --role b`). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** A TCP port: office-addin-cli's number parsing, then a range check it does not do. */
export function parsePort(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  let port: number | undefined;
  try {
    port = parseNumber(value, `--port must be a number, not "${value}".`);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  if (!/^\d+$/.test(value) || port === undefined || port < 0 || port > 65535) {
    throw new CliError(`--port must be a whole number from 0 to 65535, not "${value}".`);
  }
  return port;
}
