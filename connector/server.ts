import { createServer as createHttpServer, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createHttpsServer } from 'node:https';
import type { ServerType } from '@hono/node-server';
import type { ConnectorApp } from './app';
import { answerProtocolErrors, requestListener } from './http/protocol-errors';

export interface Listening {
  url: string;
  server: ServerType;
  /** Stops accepting, lets in-flight requests finish, then resolves. */
  close(): Promise<void>;
}

export interface ListenOptions {
  port: number;
  host: string;
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Header and request-size limits: oversized headers get 431 from Node itself, never a crash. */
  maxHeaderSize?: number;
}

/**
 * Forward-secret AEAD suites only: TLS 1.3's, and TLS 1.2 ECDHE with AES-GCM or ChaCha20-Poly1305
 * (Mozilla's "intermediate" profile). Node's default list also accepts static-RSA key exchange
 * (no forward secrecy) and CBC-SHA1 suites.
 */
export const TLS_CIPHERS = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

const TLS_POLICY = { ciphers: TLS_CIPHERS, minVersion: 'TLSv1.2', honorCipherOrder: true } as const;

export function listen(app: Pick<ConnectorApp, 'fetch'>, options: ListenOptions): Promise<Listening> {
  // Hono's Node adapter, built by hand so that requests it or Node refuse before the app sees them
  // (bad Host, bytes that are not HTTP, oversized headers) still get the contract's error body.
  const listener = requestListener(app.fetch);
  // Without a Host, Node would answer 400 with no body; the adapter refuses it in the contract's shape.
  const limits = { maxHeaderSize: options.maxHeaderSize ?? 16 * 1024, requireHostHeader: false };
  const server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key, ...TLS_POLICY, ...limits }, listener)
    : createHttpServer(limits, listener);
  answerProtocolErrors(server);
  const drain = drainOnClose(server as HttpServer);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      const host = options.host.includes(':') ? `[${options.host}]` : options.host;
      resolve({
        url: `${options.tls ? 'https' : 'http'}://${host === '0.0.0.0' ? 'localhost' : host}:${port}`,
        server,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            drain();
          }),
      });
    });
  });
}

/**
 * `server.close()` only stops new connections: a client on a keep-alive connection could keep
 * sending requests, and shutdown would never end. Once closing, every response not yet started
 * says `Connection: close`, and each connection is closed as soon as it falls idle. In-flight
 * requests (and the writes they wait for) still finish.
 */
function drainOnClose(server: HttpServer): () => void {
  const pending = new Set<ServerResponse>();
  let closing = false;
  server.on('request', (_request, response: ServerResponse) => {
    if (closing) response.shouldKeepAlive = false;
    pending.add(response);
    response.once('close', () => {
      pending.delete(response);
      if (closing) server.closeIdleConnections();
    });
  });
  return () => {
    closing = true;
    for (const response of pending) if (!response.headersSent) response.shouldKeepAlive = false;
    server.closeIdleConnections();
  };
}
