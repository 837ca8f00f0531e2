import { resolve } from 'node:path';
import { jsonLogger } from '../logger';
import { openServices, type OpenedServices } from '../services';
import { configFromEnv } from './env-config';

/** Opens the data directory (locking it) with the operator's environment settings. */
export function openDataDir(dataDir: string, env: NodeJS.ProcessEnv): Promise<OpenedServices> {
  return openServices({
    dataDir: resolve(dataDir),
    config: configFromEnv(env),
    secret: env.SHEETGATE_SECRET,
    log: jsonLogger(),
  });
}

/** Runs one command against the data directory and always releases it. */
export async function withDataDir<T>(dataDir: string, env: NodeJS.ProcessEnv, run: (services: OpenedServices) => Promise<T>): Promise<T> {
  const services = await openDataDir(dataDir, env);
  try {
    return await run(services);
  } finally {
    await services.close();
  }
}
