import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { ADMIN_KEY_HEADER, KEY_HEADER, TOKEN_HEADER } from './contract';
import type { Services } from './deps';
import { ApiError } from './errors';
import { accessLog } from './http/access-log';
import { requireAdmin, requireCredential } from './http/authenticate';
import { clientInfo } from './http/client-info';
import { strictTransportSecurity } from './http/hsts';
import { cors, corsPolicy } from './http/cors';
import { mountHotPath } from './http/hot-path';
import { mayHaveBody } from './http/node-request';
import { ResponseHeaders } from './http/response-headers';
import { notFoundHandler, onError } from './http/errors';
import { noStore, refuseCredentialsInQuery, requireTls } from './http/guards';
import { methodNotAllowed } from './http/method-not-allowed';
import { requestIdWithoutKeys } from './http/request-id';
import { newRouter } from './http/router';
import { addinFiles } from './routes/addin-files';
import { adminAuditRoutes } from './routes/admin-audit';
import { adminCredentialRoutes } from './routes/admin-credentials';
import { adminOrganizationRoutes } from './routes/admin-organizations';
import { adminTableRoutes } from './routes/admin-tables';
import { adminUserRoutes } from './routes/admin-users';
import { consoleFiles } from './routes/console-files';
import { apiDocsPage } from './routes/api-docs-page';
import { mountApiReference } from './routes/api-reference';
import { healthRoutes } from './routes/health';
import { meAnswer, meRoutes } from './routes/me';
import { tableAnswers, tableRoutes } from './routes/tables';

export interface AppOptions {
  /** Request metrics (`SHEETGATE_METRICS=on`); they are served on a listener of their own, not here. */
  metrics?: MiddlewareHandler;
}

/** Builds the connector: middleware first, then the route groups, then the API description. */
export function createApp(services: Services, options: AppOptions = {}) {
  const { config, log } = services;
  const app = newRouter();

  const corsRules = corsPolicy({
    origins: config.corsOrigins,
    allowHeaders: ['Content-Type', TOKEN_HEADER, KEY_HEADER, ADMIN_KEY_HEADER],
    allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    // A pane on another origin reads the wait of a 429 from it.
    exposeHeaders: ['Retry-After'],
    maxAgeSeconds: 600,
  });
  // The pane is framed by Office on the web (another origin), so no X-Frame-Options.
  const secure = secureHeaders({ xFrameOptions: false, crossOriginResourcePolicy: false, strictTransportSecurity: false });
  const handleError = onError(services);

  if (options.metrics) app.use('*', options.metrics);
  // Before the middleware: the hot path answers the GET data routes itself (connector/http/hot-path.ts).
  const { list, page, row } = tableAnswers(services);
  mountHotPath(app, services, [list, page, row, meAnswer(services)], {
    headers: new ResponseHeaders(secure, corsRules),
    onError: handleError,
    trustedProxies: config.trustedProxies,
    requireTls: config.requireTls,
    compressAboveBytes: config.compressAboveBytes,
  });
  app.use('*', requestIdWithoutKeys());
  app.use('*', clientInfo(config.trustedProxies));
  app.use('*', accessLog(log));
  app.use('*', secure);
  app.use('*', strictTransportSecurity);
  app.use('*', cors(corsRules));
  for (const guarded of ['/v1/*', '/admin/*']) {
    app.use(guarded, refuseCredentialsInQuery, requireTls(config.requireTls), noStore);
    const limit = bodyLimit({
      maxSize: config.bodyLimitBytes,
      onError: () => {
        throw new ApiError('payload_too_large', `The request body is over the limit of ${config.bodyLimitBytes} bytes.`);
      },
    });
    // hono's bodyLimit asks for `c.req.raw.body`, which makes @hono/node-server build a full
    // Request: measurable on every GET. Only a request that may have a body is measured.
    app.use(guarded, (c, next) => (mayHaveBody(c) ? limit(c, next) : next()));
  }
  app.use('/v1/*', requireCredential(services));
  app.use('/admin/*', requireAdmin(services));

  app.route('/', healthRoutes(services));
  app.route('/', meRoutes(services));
  app.route('/', tableRoutes(services));
  app.route('/', adminUserRoutes(services));
  app.route('/', adminCredentialRoutes(services));
  app.route('/', adminOrganizationRoutes(services));
  app.route('/', adminAuditRoutes(services));
  app.route('/', adminTableRoutes(services));

  mountApiReference(app, config.publicUrl);

  app.route('/', addinFiles());
  app.route('/', consoleFiles());
  app.route('/', apiDocsPage());

  app.notFound(notFoundHandler);
  app.onError(handleError);
  app.all('*', methodNotAllowed(app));
  return app;
}

export type ConnectorApp = ReturnType<typeof createApp>;
