import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { logErrorMessage } from 'office-addin-cli';
import { ConsoleError } from '../../console/src/client';
import { ApiError } from '../errors';
import { packageRoot } from '../package-root';
import { addAccessCommands } from './access';
import { addBootstrapAdminCommand } from './bootstrap-admin';
import { CliError } from './cli-error';
import { addCopyStoreCommand } from './copy-store';
import { addImportCommand } from './import';
import { unreachableSentence } from './remote-admin';
import { addServeCommand } from './serve';
import { addUsersCommands } from './users';

// Each command's module adds it (options, help and action) to the program: one line per module.
const COMMANDS: Array<(program: Command, env: NodeJS.ProcessEnv) => void> = [
  addServeCommand,
  addBootstrapAdminCommand,
  addUsersCommands,
  addAccessCommands,
  addImportCommand,
  addCopyStoreCommand,
];

const NOTES = `
Admin commands (users, authorize, revoke, import) run on the data directory (--data DIR, default
./data; --secret-file FILE) or the database (--database-url URL, or SHEETGATE_DATABASE_URL, with
SHEETGATE_SECRET), or with --url URL (or SHEETGATE_URL) against a running connector, as the
administrator whose pair is in SHEETGATE_TOKEN and SHEETGATE_KEY. --json prints the admin route's
JSON. A connector with a private CA (e.g. --dev-certs) is trusted with NODE_EXTRA_CA_CERTS=FILE.
Run "sheetgate COMMAND --help" for a command's options.`;

/** Runs one command; returns the exit code. Errors become one line on stderr (exit 2: bad input). */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const program = newProgram(env);
  if (argv.length === 0) {
    program.outputHelp();
    logErrorMessage('Name a command; the commands are listed above.');
    return 2;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, having printed to stdout.
      if (error.exitCode === 0) return 0;
      logErrorMessage(withUsage(error.message, commandOf(program, argv)));
      return 2;
    }
    logErrorMessage(oneLine(describe(error)));
    return exitCodeOf(error);
  }
}

function newProgram(env: NodeJS.ProcessEnv): Command {
  // Set before the commands are added, which inherit it: errors are thrown to runCli, not printed.
  const program = new Command('sheetgate')
    .usage('<command> [options]')
    .description('Sheetgate: permissioned company data in Excel tables.')
    .version(packageVersion(), '--version', 'print the version')
    .helpOption('-h, --help', 'print this help')
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .addHelpText('after', NOTES);
  for (const add of COMMANDS) add(program, env);
  return program;
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** Commander's "error: unknown option '--x'" as one sentence, with the failing command's usage. */
function withUsage(message: string, command: Command): string {
  const sentence = oneLine(message).replace(/^error: /, '').replace(/\.?$/, '.');
  const path = commandPath(command);
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)} Usage: ${path} ${command.usage()} (see "${path} --help").`;
}

/** The deepest command the arguments name (for the usage of the one that failed). */
function commandOf(program: Command, argv: string[]): Command {
  let command = program;
  for (const word of argv) {
    if (word.startsWith('-')) continue;
    const sub = command.commands.find((candidate) => candidate.name() === word);
    if (!sub) break;
    command = sub;
  }
  return command;
}

function commandPath(command: Command): string {
  return command.parent ? `${commandPath(command.parent)} ${command.name()}` : command.name();
}

function describe(error: unknown): string {
  if (error instanceof ConsoleError && error.code === 'unreachable') return unreachableSentence(error);
  return error instanceof Error ? error.message : String(error);
}

/** 2 for input the CLI, a service or a connector refused (4xx); 1 for anything else. */
function exitCodeOf(error: unknown): number {
  if (error instanceof CliError) return 2;
  if (error instanceof ApiError || error instanceof ConsoleError) return error.status >= 400 && error.status < 500 ? 2 : 1;
  return 1;
}

function oneLine(message: string): string {
  return message.split('\n')[0];
}
