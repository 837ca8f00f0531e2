import { readFileSync } from 'node:fs';
import { createApp } from '../app';
import { initializeDataDir, printDemoCredentials } from '../demo/initialize';
import { isLoopbackHost } from '../security/ip-ranges';
import { listen } from '../server';
import { CliError } from './cli-error';
import { devCertificates } from './dev-certs';
import { openDataDir } from './open-data-dir';
import { metricsFromEnv } from './env-config';
import { serveMetrics, type ServedMetrics } from './serve-metrics';
import { DATA_OPTION, parseCommand, parsePort } from './options';

const USAGE =
  'sheetgate serve [--port 3000] [--host 127.0.0.1] [--data DIR [--secret-file FILE] | --database-url URL] [--tls-cert FILE --tls-key FILE | --dev-certs] [--no-demo]';


/** Starts the connector and serves the add-in; resolves after a graceful shutdown (SIGTERM/SIGINT). */
export async function serveCommand(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values } = parseCommand(
    args,
    {
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      ...DATA_OPTION,
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'dev-certs': { type: 'boolean', default: false },
      'no-demo': { type: 'boolean', default: false },
    },
    USAGE,
  );
  const port = parsePort(values.port, 3000);
  if (!isLoopbackHost(values.host) && !env.SHEETGATE_SECRET && values['secret-file'] === undefined) {
    // Reachable from other machines means a real deployment: its secret must be a decision, kept
    // where the operator backs it up, not a file that appeared in this user's configuration directory.
    throw new CliError(
      `Serving on ${values.host} needs an explicit server secret: set SHEETGATE_SECRET (at least 32 characters, ` +
        'e.g. from your secret store) or pass --secret-file FILE (created, mode 0600, on a first start; back it up apart from the data).',
    );
  }
  if (Boolean(values['tls-cert']) !== Boolean(values['tls-key'])) {
    throw new CliError(`--tls-cert and --tls-key go together. Usage: ${USAGE}`);
  }
  const tls = values['tls-cert'] && values['tls-key']
    ? { cert: readTlsFile(values['tls-cert']), key: readTlsFile(values['tls-key']) }
    : values['dev-certs']
      ? await devCertificates()
      : undefined;

  const metricsListener = metricsFromEnv(env);
  const services = await openDataDir(values, env);
  // Listened for before anything is announced: a stop asked for the moment the address shows (a
  // supervisor, a test) must still be graceful, not the default kill that skips flushing the store.
  const stopSignal = new Promise<string>((resolveStop) => {
    process.once('SIGTERM', () => resolveStop('SIGTERM'));
    process.once('SIGINT', () => resolveStop('SIGINT'));
  });
  let metrics: ServedMetrics | undefined;
  try {
    const demo = await initializeDataDir(services, { demo: !values['no-demo'] });
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
