import type { AddressInfo } from 'node:net';
import { createServer as createHttpsServer } from 'node:https';
import { createAdaptorServer, type ServerType } from '@hono/node-server';
import type { ConnectorApp } from './app';

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

export function listen(app: ConnectorApp, options: ListenOptions): Promise<Listening> {
  const server = options.tls
    ? createAdaptorServer({
        fetch: app.fetch,
        createServer: createHttpsServer,
        serverOptions: { cert: options.tls.cert, key: options.tls.key, maxHeaderSize: options.maxHeaderSize ?? 16 * 1024 },
      })
    : createAdaptorServer({ fetch: app.fetch, serverOptions: { maxHeaderSize: options.maxHeaderSize ?? 16 * 1024 } });
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
            if ('closeIdleConnections' in server) server.closeIdleConnections();
          }),
      });
    });
  });
}
