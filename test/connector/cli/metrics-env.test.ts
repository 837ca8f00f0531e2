import { describe, expect, it } from 'vitest';
import { metricsFromEnv } from '../../../connector/cli/env-config';

const TOKEN = 'metrics-token-0123456789abcdef0123456789';

describe('SHEETGATE_METRICS and its listener', () => {
  it('is off unless switched on', () => {
    expect(metricsFromEnv({})).toBeNull();
    expect(metricsFromEnv({ SHEETGATE_METRICS: 'off', SHEETGATE_METRICS_PORT: '9000', SHEETGATE_METRICS_HOST: '0.0.0.0' })).toBeNull();
    expect(metricsFromEnv({ SHEETGATE_METRICS: '' })).toBeNull();
  });

  it('listens on loopback port 9464 by default, without a token', () => {
    expect(metricsFromEnv({ SHEETGATE_METRICS: 'on' })).toEqual({ host: '127.0.0.1', port: 9464, token: null });
    expect(metricsFromEnv({ SHEETGATE_METRICS: 'ON', SHEETGATE_METRICS_PORT: '0', SHEETGATE_METRICS_HOST: '::1' })).toEqual({ host: '::1', port: 0, token: null });
  });

  it('needs the token to listen where other machines reach it', () => {
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'metrics.internal']) {
      expect(() => metricsFromEnv({ SHEETGATE_METRICS: 'on', SHEETGATE_METRICS_HOST: host }), host).toThrow(/needs SHEETGATE_METRICS_TOKEN/);
      expect(metricsFromEnv({ SHEETGATE_METRICS: 'on', SHEETGATE_METRICS_HOST: host, SHEETGATE_METRICS_TOKEN: TOKEN })).toEqual({ host, port: 9464, token: TOKEN });
    }
    expect(metricsFromEnv({ SHEETGATE_METRICS: 'on', SHEETGATE_METRICS_TOKEN: TOKEN })?.token).toBe(TOKEN);
  });

  it('refuses a short token, a bad port and an unknown switch value', () => {
    expect(() => metricsFromEnv({ SHEETGATE_METRICS: 'on', SHEETGATE_METRICS_TOKEN: 'short' })).toThrow(/at least 32 characters/);
    for (const port of ['-1', '65536', '90x', '1e3']) {
      expect(() => metricsFromEnv({ SHEETGATE_METRICS: 'on', SHEETGATE_METRICS_PORT: port }), port).toThrow(/SHEETGATE_METRICS_PORT must be/);
    }
    for (const value of ['true', '1', 'yes']) expect(() => metricsFromEnv({ SHEETGATE_METRICS: value }), value).toThrow(/must be on or off/);
  });
});
