import { swaggerUI } from '@hono/swagger-ui';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { ADMIN_KEY_HEADER, KEY_HEADER, TOKEN_HEADER } from './contract';
import type { Services } from './deps';
import { ApiError } from './errors';
import { accessLog } from './http/access-log';
import { requireAdmin, requireCredential } from './http/authenticate';
import { clientInfo } from './http/client-info';
import { notFoundHandler, onError } from './http/errors';
import { noStore, refuseCredentialsInQuery, requireTls } from './http/guards';
import { methodNotAllowed } from './http/method-not-allowed';
import { newRouter } from './http/router';
import { addinFiles } from './routes/addin-files';
import { adminAuditRoutes } from './routes/admin-audit';
import { adminCredentialRoutes } from './routes/admin-credentials';
import { adminOrganizationRoutes } from './routes/admin-organizations';
import { adminTableRoutes } from './routes/admin-tables';
import { adminUserRoutes } from './routes/admin-users';
import { healthRoutes } from './routes/health';
import { meRoutes } from './routes/me';
import { tableRoutes } from './routes/tables';

/** Builds the connector: middleware first, then the route groups, then the API description. */
export function createApp(services: Services) {
  const { config, log } = services;
  const app = newRouter();

  app.use('*', requestId());
  app.use('*', clientInfo(config.trustedProxies));
  app.use('*', accessLog(log));
  // The pane is framed by Office on the web (another origin), so no X-Frame-Options.
  app.use('*', secureHeaders({ xFrameOptions: false, crossOriginResourcePolicy: false }));
  app.use(
    '*',
    cors({
      origin: (origin) => (config.corsOrigins.includes(origin) ? origin : null),
      allowHeaders: ['Content-Type', TOKEN_HEADER, KEY_HEADER, ADMIN_KEY_HEADER],
      allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      maxAge: 600,
    }),
  );
  for (const guarded of ['/v1/*', '/admin/*']) {
    app.use(guarded, refuseCredentialsInQuery, requireTls(config.requireTls), noStore);
    app.use(
      guarded,
      bodyLimit({
        maxSize: config.bodyLimitBytes,
        onError: () => {
          throw new ApiError('payload_too_large', `The request body is over the limit of ${config.bodyLimitBytes} bytes.`);
        },
      }),
    );
  }
  app.use('/v1/*', requireCredential(services));
  app.use('/admin/*', requireAdmin(services));

  app.route('/', healthRoutes());
  app.route('/', meRoutes(services));
  app.route('/', tableRoutes(services));
  app.route('/', adminUserRoutes(services));
  app.route('/', adminCredentialRoutes(services));
  app.route('/', adminOrganizationRoutes(services));
  app.route('/', adminAuditRoutes(services));
  app.route('/', adminTableRoutes(services));

  app.openAPIRegistry.registerComponent('securitySchemes', 'ApiToken', { type: 'apiKey', in: 'header', name: TOKEN_HEADER });
  app.openAPIRegistry.registerComponent('securitySchemes', 'ApiKey', { type: 'apiKey', in: 'header', name: KEY_HEADER });
  app.openAPIRegistry.registerComponent('securitySchemes', 'AdminKey', { type: 'apiKey', in: 'header', name: ADMIN_KEY_HEADER });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Sheetgate connector',
      version: '1',
      description: 'Permissioned company data for Excel. Every /v1 and /admin request carries X-Api-Token and X-Api-Key.',
    },
  });
  app.get('/docs', swaggerUI({ url: '/openapi.json', title: 'Sheetgate API reference' }));

  app.route('/', addinFiles());

  app.notFound(notFoundHandler);
  app.onError(onError(services));
  app.all('*', methodNotAllowed(app));
  return app;
}

export type ConnectorApp = ReturnType<typeof createApp>;
