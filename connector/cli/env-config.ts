import type { ConnectorConfig } from '../config';
import { isLogLevel, LOG_LEVELS, type LogLevel } from '../logger';
import { isLoopbackHost, parseIpRange } from '../security/ip-ranges';
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
  if (env.SHEETGATE_COMPRESS_ABOVE_BYTES) {
    if (!/^\d+$/.test(env.SHEETGATE_COMPRESS_ABOVE_BYTES)) {
      throw new CliError('SHEETGATE_COMPRESS_ABOVE_BYTES must be a number of bytes, like 65536.');
    }
    config.compressAboveBytes = Number(env.SHEETGATE_COMPRESS_ABOVE_BYTES);
  }
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

export interface MetricsListener {
  host: string;
  port: number;
  /** Required as `Authorization: Bearer` when set; null = none (loopback only). */
  token: string | null;
}

export const DEFAULT_METRICS_PORT = 9464;

/**
 * SHEETGATE_METRICS=on serves `/metrics` on a listener of its own, never on the connector's port:
 * SHEETGATE_METRICS_HOST (default 127.0.0.1), SHEETGATE_METRICS_PORT (default 9464) and
 * SHEETGATE_METRICS_TOKEN. A host other machines can reach needs the token, so that turning the
 * listener outwards cannot publish it by accident. Null when metrics are off (the default).
 */
export function metricsFromEnv(env: NodeJS.ProcessEnv): MetricsListener | null {
  const switched = env.SHEETGATE_METRICS?.trim().toLowerCase() ?? '';
  if (switched === '' || switched === 'off') return null;
  if (switched !== 'on') throw new CliError(`SHEETGATE_METRICS must be on or off, not "${env.SHEETGATE_METRICS}".`);
  const host = env.SHEETGATE_METRICS_HOST?.trim() || '127.0.0.1';
  const portText = env.SHEETGATE_METRICS_PORT?.trim() || String(DEFAULT_METRICS_PORT);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new CliError(`SHEETGATE_METRICS_PORT must be a whole number from 0 to 65535, not "${portText}".`);
  const token = env.SHEETGATE_METRICS_TOKEN || null;
  if (token !== null && token.length < 32) throw new CliError('SHEETGATE_METRICS_TOKEN must be at least 32 characters long.');
  if (token === null && !isLoopbackHost(host)) {
    throw new CliError(`Serving metrics on ${host} needs SHEETGATE_METRICS_TOKEN (at least 32 characters), sent by the scraper as Authorization: Bearer <token>.`);
  }
  return { host, port, token };
}
