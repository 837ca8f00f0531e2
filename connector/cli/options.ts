import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseNumber } from 'office-addin-cli';
import { CliError } from './cli-error';

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs, strict, with its errors turned into one clear line. */
export function parseCommand<O extends Options>(args: string[], options: O, usage: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    // Keep node's first sentence ("Unknown option '--x'."), not its advice about positionals.
    const message = (error as Error).message.split('\n')[0].replace(/\. To specify a positional argument .*$/, '.');
    throw new CliError(`${message} Usage: ${usage}`);
  }
}

export function requireOption(value: string | undefined, name: string, usage: string): string {
  if (value === undefined || value.trim() === '') throw new CliError(`--${name} is required. Usage: ${usage}`);
  return value;
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

/**
 * `--data DIR` and `--secret-file FILE`: where the data is, and (when not the default) its server
 * secret; or `--database-url URL` (env `SHEETGATE_DATABASE_URL`): a PostgreSQL database instead.
 */
export const DATA_OPTION = {
  data: { type: 'string', default: './data' },
  'secret-file': { type: 'string' },
  'database-url': { type: 'string' },
} as const;
