import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { createApp } from '../app';
import { initializeDataDir, printDemoCredentials } from '../demo/initialize';
import { isLoopbackHost } from '../security/ip-ranges';
import { listen } from '../server';
import { CliError } from './cli-error';
import { devCertificates } from './dev-certs';
import { openDataDir } from './open-data-dir';
import { metricsFromEnv } from './env-config';
import { parsePort, storeOptions, type StoreOptions } from './options';
import { serveMetrics, type ServedMetrics } from './serve-metrics';

interface ServeOptions extends StoreOptions {
  port?: string;
  host: string;
  tlsCert?: string;
  tlsKey?: string;
  devCerts?: boolean;
  demo: boolean;
}

/** `sheetgate serve`: starts the connector and serves the add-in, until SIGTERM or SIGINT (Ctrl-C). */
export function addServeCommand(program: Command, env: NodeJS.ProcessEnv): void {
  storeOptions(program.command('serve'))
    .description('start the connector and serve the add-in and the admin console (a new data directory gets the demo unless --no-demo)')
    .option('--port <port>', 'TCP port (0 = any free one)', '3000')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--tls-cert <file>', 'TLS certificate (PEM), with --tls-key')
    .option('--tls-key <file>', 'TLS private key (PEM), with --tls-cert')
    .option('--dev-certs', "HTTPS with office-addin-dev-certs' localhost certificate (made when missing)")
    .option('--no-demo', 'seed a new data directory without the demo tables and users')
    .action((options: ServeOptions) => serve(options, env));
}

/** Resolves after a graceful shutdown. */
async function serve(values: ServeOptions, env: NodeJS.ProcessEnv): Promise<void> {
  const port = parsePort(values.port, 3000);
  if (!isLoopbackHost(values.host) && !env.SHEETGATE_SECRET && values.secretFile === undefined) {
    // Reachable from other machines means a real deployment: its secret must be a decision, kept
    // where the operator backs it up, not a file that appeared in this user's configuration directory.
    throw new CliError(
      `Serving on ${values.host} needs an explicit server secret: set SHEETGATE_SECRET (at least 32 characters, ` +
        'e.g. from your secret store) or pass --secret-file FILE (created, mode 0600, on a first start; back it up apart from the data).',
    );
  }
  if (Boolean(values.tlsCert) !== Boolean(values.tlsKey)) {
    throw new CliError('--tls-cert and --tls-key go together.');
  }
  const tls = values.tlsCert && values.tlsKey
    ? { cert: readTlsFile(values.tlsCert), key: readTlsFile(values.tlsKey) }
    : values.devCerts
      ? await devCertificates()
      : undefined;

  const metricsListener = metricsFromEnv(env);
  const services = await openDataDir(values, env, { create: true });
  // Listened for before anything is announced: a stop asked for the moment the address shows (a
  // supervisor, a test) must still be graceful, not the default kill that skips flushing the store.
  const stopSignal = new Promise<string>((resolveStop) => {
    process.once('SIGTERM', () => resolveStop('SIGTERM'));
    process.once('SIGINT', () => resolveStop('SIGINT'));
  });
  let metrics: ServedMetrics | undefined;
  try {
    const demo = await initializeDataDir(services, { demo: values.demo });
    metrics = metricsListener ? await serveMetrics(services, metricsListener) : undefined;
    const app = createApp(metrics?.services ?? services, { metrics: metrics?.requests });
    const server = await listen(app, { port, host: values.host, tls });
    // The localhost certificate and manifest.xml name `localhost`: show the address Excel will use.
    const shown = tls ? server.url.replace('://127.0.0.1:', '://localhost:') : server.url;
    services.log.info('listening', { url: shown, tls: Boolean(tls) });
    if (demo) printDemoCredentials(demo, shown);
    else process.stdout.write(`Sheetgate connector on ${shown} (API reference: ${shown}/docs)\n`);

    services.log.info('shutting_down', { signal: await stopSignal });
    // Stop accepting, let in-flight requests (and their writes) finish, then flush the store.
    await server.close().catch(() => {});
  } finally {
    await metrics?.close();
    await services.close();
  }
}

function readTlsFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    throw new CliError(`Cannot read the TLS file ${path}.`);
  }
}
