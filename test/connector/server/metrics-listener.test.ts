import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli, startConnector, tempDataDir, TEST_ENV, type RunningConnector } from '../../helpers/connector-process';

let dataDir: string;
let connector: RunningConnector;
let metricsUrl: string;
let admin: { token: string; key: string };

beforeAll(async () => {
  dataDir = await tempDataDir();
  admin = JSON.parse((await runCli(['bootstrap-admin', '--data', dataDir, '--username', 'root', '--email', 'root@metrics.example', '--json'])).stdout);
  connector = await startConnector(dataDir, ['--no-demo'], { ...TEST_ENV, SHEETGATE_METRICS: 'on', SHEETGATE_METRICS_PORT: '0', LOG_LEVEL: 'info' });
  // Log lines reach stderr at the end of the event-loop turn, after the banner on stdout.
  for (let tries = 0; tries < 100 && !metricsUrl; tries++) {
    const line = connector.stderr().split('\n').find((entry) => entry.includes('"msg":"metrics_listening"'));
    if (line) metricsUrl = JSON.parse(line).url;
    else await new Promise((resolve) => setTimeout(resolve, 50));
  }
});
afterAll(async () => {
  await connector?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

it('serves /metrics on a loopback listener of its own, and the connector answers 404 there', async () => {
  expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
  expect(new URL(metricsUrl).port).not.toBe(new URL(connector.url).port);
  const onConnector = await fetch(`${connector.url}/metrics`);
  expect(onConnector.status).toBe(404);
  expect((await fetch(`${connector.url}/healthz`)).status).toBe(200);
  expect((await fetch(`${connector.url}/v1/me`, { headers: { 'X-Api-Token': admin.token, 'X-Api-Key': admin.key } })).status).toBe(200);
  const scraped = await fetch(metricsUrl);
  expect(scraped.status).toBe(200);
  const text = await scraped.text();
  expect(text).toMatch(/^http_requests_total\{method="GET",route="\/healthz",status="200",ok="true"\} [1-9]/m);
  expect(text).toContain('# TYPE process_cpu_seconds_total counter');
  expect(text).toMatch(/^sheetgate_store_operation_duration_seconds_count\{operation="security\.findPrincipal"\} [1-9]/m);
  expect(text).not.toContain(admin.key);
});

it('writes pino-shaped lines; an unknown LOG_LEVEL is refused (exit 2)', async () => {
  const lines = connector.stderr().split('\n').filter(Boolean).map((line) => JSON.parse(line));
  expect(lines.find((line) => line.msg === 'listening')).toMatchObject({ level: 30, time: expect.any(Number), pid: connector.process.pid });
  const quiet = await runCli(['users', 'list', '--data', dataDir], { ...TEST_ENV, LOG_LEVEL: 'nonsense' });
  expect({ code: quiet.code, stderr: quiet.stderr }).toEqual({ code: 2, stderr: expect.stringContaining('LOG_LEVEL must be one of') });
});

it('refuses to start with metrics on a reachable host and no token (exit 2)', async () => {
  const refused = await runCli(['serve', '--port', '0', '--data', dataDir], { ...TEST_ENV, SHEETGATE_METRICS: 'on', SHEETGATE_METRICS_HOST: '0.0.0.0' });
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain('needs SHEETGATE_METRICS_TOKEN');
});
