import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readDataDirId } from '../credentials/data-dir-id';
import { KeyMismatchError, resealCredential } from '../credentials/reseal';
import { defaultSecretsDir, LEGACY_SECRET_FILE, loadServerSecret, secretFromEnv, ServerSecretError } from '../credentials/server-secret';
import { KeyVault } from '../credentials/vault';
import { jsonLogger } from '../logger';
import { embeddedCatalog, openServices } from '../services';
import { copyStore, TargetNotEmptyError } from '../store/copy-store';
import type { Credential } from '../store/types';
import { openLowdbStore } from '../store/open-store';
import { CliError } from './cli-error';

interface CopyStoreOptions {
  from: string;
  to: string;
  secretFile?: string;
}

/** `sheetgate copy-store --from DIR --to URL`: the embedded store into an empty PostgreSQL database. */
export function addCopyStoreCommand(program: Command, env: NodeJS.ProcessEnv): void {
  program
    .command('copy-store')
    .description('copy a data directory (users, organizations, teams, credentials, rows, audit) into an empty PostgreSQL database; SHEETGATE_SECRET required')
    .requiredOption('--from <dir>', 'the data directory of the embedded store')
    .requiredOption('--to <url>', 'a postgres:// URL of an empty database')
    .option('--secret-file <file>', "the data directory's server secret file, when not at its default place")
    .action((options: CopyStoreOptions) => copyStoreCommand(options, env));
}

/**
 * Copies an embedded store (a data directory) into an empty PostgreSQL database. The database's
 * connectors run on SHEETGATE_SECRET; keys made under another secret (the data directory's secret
 * file) are sealed again under it, so every token and key works as before.
 */
async function copyStoreCommand(values: CopyStoreOptions, env: NodeJS.ProcessEnv): Promise<void> {
  const dir = resolve(values.from);
  const url = values.to;
  if (!existsSync(join(dir, 'security.json'))) throw new CliError(`${dir} is not a data directory of the embedded store (it has no security.json).`);

  const secrets = findSecrets(dir, values.secretFile, env);
  const tables = embeddedCatalog(dir).list().map((table) => ({ id: table.id, key: table.key }));
  const log = jsonLogger();
  const source = await openLowdbStore(dir, tables, log);
  try {
    const from = new KeyVault(secrets.source);
    const to = secrets.source.equals(secrets.target) ? undefined : new KeyVault(secrets.target);
    // Every key is opened before the target is: a wrong secret stops here, with nothing written.
    const sealed = new Map(source.security.listAllCredentials().map((credential) => [credential.id, reseal(credential, from, to, dir, secrets.sourceName)]));
    const target = await openTarget(url, env);
    try {
      const counts = await copyStore(source, target.store, { tables, credential: (credential) => sealed.get(credential.id) ?? credential });
      process.stdout.write(
        `Copied ${counts.users} users, ${counts.organizations} organizations, ${counts.teams} teams, ${counts.credentials} credentials, ` +
          `${counts.rows} rows and ${counts.audit} audit entries from ${dir} into the database.\n`,
      );
      if (to) process.stdout.write('The keys were sealed again under SHEETGATE_SECRET: run every connector on the database with it.\n');
      if (existsSync(join(dir, 'definitions'))) {
        process.stderr.write(`${dir}/definitions holds table definitions of your own: start every connector on the database with --definitions set to a copy of that folder.\n`);
      }
    } catch (error) {
      if (error instanceof TargetNotEmptyError) throw new CliError(error.message);
      throw new Error(`The copy failed, and may have left part of the data in the database: drop and re-create it before trying again. ${(error as Error).message}`);
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}

interface Secrets {
  /** The secret the data directory's keys were sealed under. */
  source: Buffer;
  /** Where it came from, for the operator: a file, or SHEETGATE_SECRET. */
  sourceName: string;
  /** SHEETGATE_SECRET: the one the database's connectors run on. */
  target: Buffer;
}

/**
 * The data directory's secret is found as the embedded store finds it, except that
 * SHEETGATE_SECRET names the target's: `--secret-file`, else the directory's own secret file
 * (it has one when it has a data-dir-id), else SHEETGATE_SECRET, which it then ran on.
 */
function findSecrets(dir: string, secretFile: string | undefined, env: NodeJS.ProcessEnv): Secrets {
  const secretsDir = defaultSecretsDir(env);
  const id = readDataDirId(dir, false);
  const legacy = join(dir, LEGACY_SECRET_FILE);
  const file = secretFile !== undefined ? resolve(secretFile) : id !== null ? join(secretsDir, `${id}.secret`) : existsSync(legacy) ? legacy : null;
  if (!env.SHEETGATE_SECRET) throw new CliError(missingSecret(dir, file, secretsDir));
  try {
    const target = secretFromEnv(env.SHEETGATE_SECRET);
    if (file === null) return { source: target, sourceName: 'SHEETGATE_SECRET', target };
    const { secret } = loadServerSecret(dir, { file: secretFile === undefined ? undefined : file, secretsDir }, false);
    return { source: secret, sourceName: file, target };
  } catch (error) {
    throw error instanceof ServerSecretError ? new CliError(error.message) : error;
  }
}

function missingSecret(dir: string, file: string | null, secretsDir: string): string {
  const required = 'SHEETGATE_SECRET is required: the secret every connector on the database will run with (at least 32 characters).';
  if (file !== null) {
    return `${required} The keys of ${dir} are sealed under its secret file ${file} and will be sealed again under SHEETGATE_SECRET: choose one (e.g. openssl rand -base64 32), keep it in your secret store and give every connector the same.`;
  }
  return (
    `${required} ${dir} has no secret file (it would be ${secretsDir}/<id>.secret, <id> being in ${dir}/data-dir-id), so it ran on SHEETGATE_SECRET: ` +
    'set the same one from where you keep it, or pass the secret file you moved with --secret-file.'
  );
}

function reseal(credential: Credential, from: KeyVault, to: KeyVault | undefined, dir: string, secretName: string): Credential {
  try {
    return resealCredential(credential, from, to);
  } catch (error) {
    if (!(error instanceof KeyMismatchError)) throw error;
    throw new CliError(
      `${secretName} does not open the keys of ${dir} (credential ${credential.id}): it is not the secret ${dir} ran with. ` +
        'Set SHEETGATE_SECRET to that secret, or pass its secret file with --secret-file. Nothing was written.',
    );
  }
}

async function openTarget(url: string, env: NodeJS.ProcessEnv) {
  try {
    return await openServices({ dataDir: '', databaseUrl: url, secret: env.SHEETGATE_SECRET, log: jsonLogger() });
  } catch (error) {
    throw error instanceof ServerSecretError ? new CliError(error.message) : error;
  }
}
