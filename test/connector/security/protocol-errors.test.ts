import { rm } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listen } from '../../../connector/server';
import { createTestContext } from '../../helpers/harness';
import { runCli, startConnector, tempDataDir, type RunningConnector } from '../../helpers/connector-process';
import { rawRequest } from '../../helpers/raw-http';
import { errorShapeProblems } from '../../helpers/security';

// Found by the fuzz suite: requests refused before they reach the app (by Node's parser, by the
// Hono adapter, by Node's `Expect` check) were answered with an empty body, not the contract's
// `{error: {code, message}}`; and a client hanging up mid-body was logged as an unhandled error.

let dataDir: string;
let connector: RunningConnector;
let auth: string;
beforeAll(async () => {
  dataDir = await tempDataDir();
  const pair = JSON.parse((await runCli(['bootstrap-admin', '--data', dataDir, '--username', 'root', '--email', 'root@proto.example', '--json'])).stdout);
  auth = `X-Api-Token: ${pair.token}\r\nX-Api-Key: ${pair.key}\r\n`;
  connector = await startConnector(dataDir);
}, 60_000);
afterAll(async () => {
  await connector?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const cases: Array<[string, () => string, number, string]> = [
  ['a Host that is not a host', () => `GET /v1/me HTTP/1.1\r\nHost: a b\r\n${auth}Connection: close\r\n\r\n`, 400, 'invalid_request'],
  ['no Host (HTTP/1.1)', () => `GET /v1/me HTTP/1.1\r\n${auth}Connection: close\r\n\r\n`, 400, 'invalid_request'],
  ['no Host (HTTP/1.0)', () => `GET /v1/me HTTP/1.0\r\n${auth}\r\n`, 400, 'invalid_request'],
  ['a backslash in the target', () => `GET /assets/..\\..\\package.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, 400, 'invalid_request'],
  ['a request line that is not HTTP', () => `get /v1/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, 400, 'invalid_request'],
  ['a bare CR inside a header', () => `GET /v1/me HTTP/1.1\r\nHost: x\r\nX-Request-Id: a\rSet-Cookie: x=1\r\nConnection: close\r\n\r\n`, 400, 'invalid_request'],
  ['two different Content-Lengths', () => `POST /admin/teams HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 40\r\nConnection: close\r\n\r\n{}`, 400, 'invalid_request'],
  ['an Expect the server does not meet', () => `POST /admin/teams HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nExpect: bogus\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`, 417, 'invalid_request'],
  ['headers over 16 KB', () => `GET /v1/me HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`, 431, 'invalid_request'],
];

it.each(cases)('answers %s in the contract error shape', async (_name, payload, status, code) => {
  const answer = await rawRequest(connector.url, payload());
  expect({ status: answer.status, code: answer.body ? JSON.parse(answer.body).error?.code : undefined }).toEqual({ status, code });
  expect(errorShapeProblems(answer.body, [dataDir])).toEqual([]);
  expect(answer.headers['cache-control']).toEqual(['no-store']);
  expect(answer.headers['x-content-type-options']).toEqual(['nosniff']);
  expect(answer.headers.server).toBeUndefined();
});

it('takes a client hanging up mid-body as the client\'s doing: no unhandled error, and it keeps serving', async () => {
  const before = connector.stderr().length;
  await rawRequest(
    connector.url,
    `POST /admin/teams HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\n{}\r\n`,
    5000,
    { halfClose: true },
  );
  const health = await fetch(`${connector.url}/healthz`);
  expect(health.status).toBe(200);
  for (let tries = 0; tries < 40 && !connector.stderr().slice(before).includes('request_aborted'); tries++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const logged = connector.stderr().slice(before);
  expect(logged).toContain('"msg":"request_aborted"');
  expect(logged).not.toContain('unhandled_error');
});

it('drops a CONNECT (no proxying here) and stays healthy', async () => {
  const answer = await rawRequest(connector.url, 'CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n', 3000);
  expect(answer.status === null || answer.status < 500).toBe(true);
  expect((await fetch(`${connector.url}/healthz`)).status).toBe(200);
});

it('answers a HEAD that Node cannot parse with headers only, so the client is not left reading a stray body', async () => {
  const url = new URL(connector.url);
  // A raw non-ASCII byte in the target: Node's own parser refuses it.
  const outcome = await new Promise<{ status?: number; error?: string }>((resolve) => {
    const req = request({ agent: false, host: url.hostname, port: url.port, method: 'HEAD', path: '/v1/me?\u00df=1' }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode }));
    });
    req.on('error', (error) => resolve({ error: error.message }));
    req.end();
  });
  expect(outcome).toEqual({ status: 400 });
  const get = await rawRequest(connector.url, Buffer.from('GET /v1/me?\u00df=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 'latin1'));
  expect({ status: get.status, problems: errorShapeProblems(get.body, [dataDir]) }).toEqual({ status: 400, problems: [] });
});

it('lets go of the socket after answering junk, even when the client keeps its side open', async () => {
  // In-process, to watch the server's own connection count.
  const ctx = await createTestContext();
  const listening = await listen(ctx.app, { port: 0, host: '127.0.0.1' });
  try {
    const url = new URL(listening.url);
    const connections = () => new Promise<number>((resolve) => listening.server.getConnections((_error, count) => resolve(count)));
    // allowHalfOpen: our side stays open after the server's FIN, as a stubborn client's would.
    const socket = connect({ port: Number(url.port), host: url.hostname, allowHalfOpen: true });
    socket.on('error', () => {});
    const answer = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk) => (text += chunk));
      socket.on('end', () => resolve(text));
      socket.write('NOT HTTP AT ALL\r\n\r\n');
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(await connections()).toBe(1);
    let held = 1;
    for (let waited = 0; waited < 5000 && held > 0; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      held = await connections();
    }
    expect(held).toBe(0);
    socket.destroy();
  } finally {
    await listening.close();
    await ctx.close();
  }
});
