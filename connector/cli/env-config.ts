import type { ConnectorConfig } from '../config';
import { isLogLevel, LOG_LEVELS, type LogLevel } from '../logger';
import { parseIpRange } from '../security/ip-ranges';
import { CliError } from './cli-error';

/**
 * Operator settings from the environment (documented in the README):
 * SHEETGATE_ADMIN_KEY, SHEETGATE_TRUSTED_PROXIES, SHEETGATE_CORS_ORIGINS, SHEETGATE_PUBLIC_URL,
 * SHEETGATE_RATE_LIMIT ("requests/seconds"), SHEETGATE_REQUIRE_TLS ("false" to allow plain HTTP
 * from other machines, e.g. behind a proxy you do not name).
 */
export function configFromEnv(env: NodeJS.ProcessEnv): Partial<ConnectorConfig> {
  const config: Partial<ConnectorConfig> = {};
  if (env.SHEETGATE_ADMIN_KEY) {
    if (env.SHEETGATE_ADMIN_KEY.length < 32) throw new CliError('SHEETGATE_ADMIN_KEY must be at least 32 characters long.');
    config.adminKey = env.SHEETGATE_ADMIN_KEY;
  }
  if (env.SHEETGATE_TRUSTED_PROXIES) {
    config.trustedProxies = list(env.SHEETGATE_TRUSTED_PROXIES);
    const bad = config.trustedProxies.find((entry) => !parseIpRange(entry));
    if (bad) throw new CliError(`SHEETGATE_TRUSTED_PROXIES: "${bad}" is not an IP address or CIDR range.`);
  }
  if (env.SHEETGATE_CORS_ORIGINS) {
    config.corsOrigins = list(env.SHEETGATE_CORS_ORIGINS);
    const bad = config.corsOrigins.find((origin) => !/^https?:\/\/[^/]+$/.test(origin));
    if (bad) throw new CliError(`SHEETGATE_CORS_ORIGINS: "${bad}" is not an origin like https://addin.example.com.`);
  }
  if (env.SHEETGATE_PUBLIC_URL) config.publicUrl = env.SHEETGATE_PUBLIC_URL.replace(/\/+$/, '');
  if (env.SHEETGATE_RATE_LIMIT) {
    const match = /^(\d+)\/(\d+)$/.exec(env.SHEETGATE_RATE_LIMIT);
    if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) {
      throw new CliError('SHEETGATE_RATE_LIMIT must look like 600/60 (requests per seconds).');
    }
    config.rateLimit = { requests: Number(match[1]), windowSeconds: Number(match[2]) };
  }
  if (env.SHEETGATE_REQUIRE_TLS === 'false') config.requireTls = false;
  return config;
}

function list(value: string): string[] {
  return value.split(',').map((entry) => entry.trim()).filter(Boolean);
}

/** `LOG_LEVEL`, pino's names; `info` when unset. */
export function logLevelFromEnv(env: NodeJS.ProcessEnv): LogLevel {
  const name = env.LOG_LEVEL?.trim().toLowerCase();
  if (!name) return 'info';
  if (!isLogLevel(name)) throw new CliError(`LOG_LEVEL must be one of ${Object.keys(LOG_LEVELS).join(', ')}.`);
  return name;
}
