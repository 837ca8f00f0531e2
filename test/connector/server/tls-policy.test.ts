import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startConnector, tempDataDir, TEST_ENV, type RunningConnector } from '../../helpers/connector-process';

// Found by testssl.sh (issue 9): Node's default list let 10 static-RSA and CBC-SHA1 suites through,
// HSTS went out over plain HTTP, and the development private key was world-readable.

let home: string;
let dataDir: string;
let server: RunningConnector;
let port: number;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'sheetgate-home-'));
  dataDir = await tempDataDir();
  // A HOME of its own: --dev-certs generates into ~/.office-addin-dev-certs.
  server = await startConnector(dataDir, ['--dev-certs', '--no-demo'], { ...TEST_ENV, HOME: home });
  port = Number(new URL(server.url).port);
}, 60_000);
afterAll(async () => {
  await server?.stop();
  await rm(home, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
});

/** The suite agreed on, or the handshake's error. */
function handshake(options: { ciphers: string; maxVersion?: 'TLSv1.2' | 'TLSv1.3'; minVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' }): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false, ...options }, () => {
      resolve(`${socket.getProtocol()} ${socket.getCipher().standardName}`);
      socket.end();
    });
    socket.once('error', (error) => resolve(`refused: ${error.message}`));
  });
}

it('refuses suites without forward secrecy or without AEAD', async () => {
  for (const ciphers of ['AES128-GCM-SHA256', 'AES256-GCM-SHA384', 'AES128-SHA', 'ECDHE-RSA-AES128-SHA', 'ECDHE-RSA-AES256-SHA384']) {
    expect(await handshake({ ciphers, maxVersion: 'TLSv1.2' }), ciphers).toMatch(/^refused: .*(handshake failure|no ciphers|alert)/i);
  }
});

it('accepts TLS 1.2 ECDHE with AES-GCM or ChaCha20, and TLS 1.3', async () => {
  expect(await handshake({ ciphers: 'ECDHE-RSA-AES128-GCM-SHA256', maxVersion: 'TLSv1.2' })).toBe('TLSv1.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
  expect(await handshake({ ciphers: 'ECDHE-RSA-CHACHA20-POLY1305', maxVersion: 'TLSv1.2' })).toBe('TLSv1.2 TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256');
  expect(await handshake({ ciphers: 'TLS_AES_128_GCM_SHA256' })).toMatch(/^TLSv1\.3 TLS_AES_128_GCM_SHA256$/);
});

it('sends HSTS over HTTPS (and, per the app test, never over plain HTTP)', async () => {
  const hsts = await new Promise<string | undefined>((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/healthz', servername: 'localhost', rejectUnauthorized: false }, (response) => {
      response.resume();
      resolve(response.headers['strict-transport-security'] as string | undefined);
    }).once('error', reject);
  });
  expect(hsts).toMatch(/^max-age=\d+; includeSubDomains$/);
});

it('writes the development private key readable by its owner only', () => {
  expect(statSync(join(home, '.office-addin-dev-certs', 'localhost.key')).mode & 0o777).toBe(0o600);
});
