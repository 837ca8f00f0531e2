import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultSecretsDir, ServerSecretError } from '../credentials/server-secret';
import { jsonLogger } from '../logger';
import { openServices, type OpenedServices } from '../services';
import { CliError } from './cli-error';
import { configFromEnv, logLevelFromEnv } from './env-config';
import type { StoreOptions } from './options';

/**
 * Opens the store (locking a data directory) with the operator's environment settings. Only
 * `create` (serve, bootstrap-admin) makes a new data directory: anything else refuses a missing one,
 * so a mistyped `--data` is an error rather than an empty store that answers "No user".
 */
export async function openDataDir(options: StoreOptions, env: NodeJS.ProcessEnv, { create = false } = {}): Promise<OpenedServices> {
  const config = configFromEnv(env);
  const databaseUrl = options.databaseUrl ?? (env.SHEETGATE_DATABASE_URL || undefined);
  const dataDir = resolve(options.data);
  const definitions = options.definitions ?? (env.SHEETGATE_DEFINITIONS || undefined);
  if (definitions !== undefined && databaseUrl === undefined) {
    throw new CliError(`--definitions is for a database (with --database-url): with a data directory, put your table definitions in ${join(dataDir, 'definitions')} instead.`);
  }
  const isNew = databaseUrl === undefined && !existsSync(dataDir);
  if (isNew && !create) {
    throw new CliError(`There is no data directory ${dataDir}; check --data (only "sheetgate serve" and "sheetgate bootstrap-admin" create one).`);
  }
  let services: OpenedServices;
  try {
    services = await openServices({
      dataDir,
      databaseUrl,
      definitionsDir: definitions === undefined ? undefined : resolve(definitions),
      config,
      secret: env.SHEETGATE_SECRET,
      secretFile: options.secretFile === undefined ? undefined : resolve(options.secretFile),
      secretsDir: defaultSecretsDir(env),
      log: jsonLogger(undefined, { level: logLevelFromEnv(env) }),
    });
  } catch (error) {
    throw error instanceof ServerSecretError ? new CliError(error.message) : error;
  }
  if (isNew) process.stderr.write(`Created the data directory ${dataDir}.\n`);
  for (const notice of services.notices) process.stderr.write(`${notice}\n`);
  return services;
}

/** Runs one command against the store and always releases it. */
export async function withDataDir<T>(
  options: StoreOptions,
  env: NodeJS.ProcessEnv,
  run: (services: OpenedServices) => Promise<T>,
  opening: { create?: boolean } = {},
): Promise<T> {
  const services = await openDataDir(options, env, opening);
  try {
    return await run(services);
  } finally {
    await services.close();
  }
}
