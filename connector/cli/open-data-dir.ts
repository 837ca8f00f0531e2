import { resolve } from 'node:path';
import { defaultSecretsDir, ServerSecretError } from '../credentials/server-secret';
import { jsonLogger } from '../logger';
import { openServices, type OpenedServices } from '../services';
import { CliError } from './cli-error';
import { configFromEnv, logLevelFromEnv } from './env-config';

/** `--data` and `--secret-file`, which every command that opens a data directory takes. */
export interface DataDirOptions {
  data: string;
  'secret-file'?: string;
  'database-url'?: string;
}

/** Opens the data directory (locking it) with the operator's environment settings. */
export async function openDataDir(options: DataDirOptions, env: NodeJS.ProcessEnv): Promise<OpenedServices> {
  let services: OpenedServices;
  try {
    services = await openServices({
      dataDir: resolve(options.data),
      databaseUrl: options['database-url'] ?? (env.SHEETGATE_DATABASE_URL || undefined),
      config: configFromEnv(env),
      secret: env.SHEETGATE_SECRET,
      secretFile: options['secret-file'] === undefined ? undefined : resolve(options['secret-file']),
      secretsDir: defaultSecretsDir(env),
      log: jsonLogger(undefined, { level: logLevelFromEnv(env) }),
    });
  } catch (error) {
    throw error instanceof ServerSecretError ? new CliError(error.message) : error;
  }
  for (const notice of services.notices) process.stderr.write(`${notice}\n`);
  return services;
}

/** Runs one command against the data directory and always releases it. */
export async function withDataDir<T>(options: DataDirOptions, env: NodeJS.ProcessEnv, run: (services: OpenedServices) => Promise<T>): Promise<T> {
  const services = await openDataDir(options, env);
  try {
    return await run(services);
  } finally {
    await services.close();
  }
}
