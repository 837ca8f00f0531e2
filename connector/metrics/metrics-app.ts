import { Hono } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import type { Registry } from 'prom-client';
import { notFoundHandler } from '../http/errors';

const refusal = (code: string, message: string) => ({ message: { error: { code, message } } });

/**
 * What the metrics listener serves: `GET /metrics` in Prometheus's text format, behind a bearer
 * token when one is set. Nothing of the connector's API is reachable here, and `/metrics` is not
 * reachable on the connector's own port.
 */
export function metricsApp(registry: Registry, token: string | null): Hono {
  const app = new Hono();
  if (token !== null) {
    app.use(
      '*',
      bearerAuth({
        token,
        noAuthenticationHeader: refusal('missing_credentials', 'Send Authorization: Bearer <SHEETGATE_METRICS_TOKEN>.'),
        invalidAuthenticationHeader: refusal('invalid_request', 'The Authorization header must read Bearer <token>.'),
        invalidToken: refusal('invalid_credentials', 'The bearer token is not the metrics token.'),
      }),
    );
  }
  app.get('/metrics', async (c) => {
    c.header('Cache-Control', 'no-store');
    c.header('Content-Type', registry.contentType);
    return c.body(await registry.metrics());
  });
  app.notFound(notFoundHandler);
  return app;
}
