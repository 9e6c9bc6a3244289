import type { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter.js';
import { createValidationPipe } from './common/errors/validation.js';
import { trustProxySetting, type Env } from './config/env.js';
import { MetricsService } from './metrics/metrics.service.js';
import { WebhookReceiver } from './webhook/webhook-receiver.js';

/**
 * Everything that makes an app instance No Lose, shared by main.ts and the API tests:
 * prefix, body limits, validation, errors, CORS and the OpenAPI docs.
 */
export function configureApp(app: NestExpressApplication): INestApplication {
  const config = app.get<ConfigService<Env, true>>(ConfigService);
  app.useLogger(app.get(Logger));
  // First of all, so every request is timed and counted, one refused by a body parser too.
  app.use(app.get(MetricsService).trackRequests);
  app.setGlobalPrefix('api');
  // Validated at start (config/env.ts); decides req.ip for rate limits and logs.
  app.set('trust proxy', trustProxySetting(config.get('TRUST_PROXY', { infer: true })));
  app.disable('x-powered-by');
  useSecurityHeaders(app);
  // rawBody keeps the exact bytes for webhook signature checks (set in NestFactory.create).
  app.useBodyParser('json', { limit: config.get('BODY_LIMIT', { infer: true }) });
  app.useBodyParser('urlencoded', { extended: false, limit: '100kb' });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  const origins = config
    .get('CORS_ORIGINS', { infer: true })
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  if (origins.length > 0) app.enableCors({ origin: origins, credentials: false });
  // Meta's deliveries skip Nest's router (see there); registered before Nest adds its routes.
  app.use(app.get(WebhookReceiver).handle);
  if (config.get('SWAGGER_ENABLED', { infer: true })) setupSwagger(app);
  return app;
}

function setupSwagger(app: INestApplication): void {
  const doc = new DocumentBuilder()
    .setTitle('No Lose API')
    .setDescription(
      'WhatsApp Business inbox for teams. Sign in with `POST /api/auth/login`, then press ' +
        '**Authorize** and paste the `access_token`. Every route needs the bearer token unless ' +
        'marked otherwise; data is scoped to your workspace (send `X-Workspace-Id` to pick ' +
        'one when you belong to several). Errors share one body: `{status_code, error, message, ' +
        'code?, errors?}`.',
    )
    .setVersion('1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = describeCommonParts(SwaggerModule.createDocument(app, doc));
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}

const WORKSPACE_HEADER = {
  name: 'X-Workspace-Id',
  in: 'header' as const,
  required: false,
  description:
    'Which of your workspaces the request acts in (ids from GET /api/workspaces). Without ' +
    'it, your oldest membership. A workspace you do not belong to answers 401.',
  schema: { type: 'integer' as const, minimum: 1 },
};

const SUCCESS_DESCRIPTIONS: Record<string, string> = {
  '200': 'OK',
  '201': 'Created',
  '202': 'Accepted',
  '204': 'Done; no body',
};

/**
 * What every operation of a kind shares: the workspace header on the operations that take
 * the bearer token (public ones — sign-in, the webhook, an invite's preview — act in no
 * workspace), and a description on success answers that have none of their own.
 */
function describeCommonParts(document: OpenAPIObject): OpenAPIObject {
  for (const path of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = path[method];
      if (!operation) continue;
      if (operation.security?.length) {
        operation.parameters = [...(operation.parameters ?? []), WORKSPACE_HEADER];
      }
      for (const [status, response] of Object.entries(operation.responses)) {
        if (
          response &&
          'description' in response &&
          !response.description &&
          SUCCESS_DESCRIPTIONS[status]
        ) {
          response.description = SUCCESS_DESCRIPTIONS[status];
        }
      }
    }
  }
  return document;
}

/**
 * helmet's headers everywhere, with a Content Security Policy the Angular build works
 * under: scripts only from our origin (no inline scripts), inline styles allowed because
 * Angular injects component styles at run time. Swagger UI needs inline script for its
 * configuration, so /docs gets a looser policy of its own.
 */
function useSecurityHeaders(app: NestExpressApplication): void {
  const directives = {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'blob:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    frameAncestors: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
  };
  const appPolicy = helmet({ contentSecurityPolicy: { directives } });
  const docsPolicy = helmet({
    contentSecurityPolicy: {
      directives: { ...directives, scriptSrc: ["'self'", "'unsafe-inline'"] },
    },
  });
  app.use((req: Request, res: Response, next: NextFunction) =>
    req.path === '/docs' || req.path.startsWith('/docs/')
      ? docsPolicy(req, res, next)
      : appPolicy(req, res, next),
  );
}
