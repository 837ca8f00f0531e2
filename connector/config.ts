/** Everything an operator can set. The CLI fills it from flags and `SHEETGATE_*` env vars. */
export interface ConnectorConfig {
  /** Base URL the connector tells clients it is reachable at (`/v1/me` → `endpoint`). */
  publicUrl: string | null;
  /** Proxies whose `X-Forwarded-For` / `X-Forwarded-Proto` are believed (addresses or CIDR ranges). */
  trustedProxies: string[];
  /** Origins allowed through CORS besides the connector's own (a pane hosted elsewhere). */
  corsOrigins: string[];
  /** Refuse plain HTTP from non-loopback clients that did not come through a TLS-terminating proxy. */
  requireTls: boolean;
  /** Requests per credential per window. */
  rateLimit: { requests: number; windowSeconds: number };
  bodyLimitBytes: number;
  /** The optional global admin key (`SHEETGATE_ADMIN_KEY`); null = off. */
  adminKey: string | null;
  maxCredentialsPerUser: number;
  /** /v1 JSON answers larger than this many bytes are gzipped for callers that take it; null = never. */
  compressAboveBytes: number | null;
}

export const DEFAULT_CONFIG: ConnectorConfig = {
  publicUrl: null,
  trustedProxies: [],
  corsOrigins: [],
  requireTls: true,
  rateLimit: { requests: 600, windowSeconds: 60 },
  bodyLimitBytes: 5 * 1024 * 1024,
  adminKey: null,
  maxCredentialsPerUser: 20,
  compressAboveBytes: null,
};

export function withDefaults(partial: Partial<ConnectorConfig> = {}): ConnectorConfig {
  return { ...DEFAULT_CONFIG, ...partial };
}
