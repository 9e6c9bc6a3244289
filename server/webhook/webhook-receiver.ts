import { Injectable, type RawBodyRequest } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { requestId } from '../common/logging/request-id.js';
import { WebhookService } from './webhook.service.js';
import { WEBHOOK_PATH } from './webhook-path.js';

/**
 * Meta's deliveries, answered ahead of Nest's router: `POST /api/webhook` with a parsed JSON
 * body goes straight to WebhookService.receive, the method WebhookController.receive calls.
 * Meta's busiest numbers send a webhook per message, and the router, guards, pipes and
 * per-request logger cost about a fifth of a webhook's server CPU (0.75–0.92 → 0.58–0.78 ms
 * a webhook at 500/s, bench/README.md) for a route that needs none of them: it is public,
 * never rate limited and takes no DTO. What it does need is kept: the same answer, errors through the global
 * exception filter (next(err)), the request-id header and the request log line; the request
 * metrics are taken before the body parsers (MetricsService.trackRequests).
 *
 * Anything else (another content type; a body-parser error) goes on to Nest and
 * WebhookController, which answer it as they always did.
 */
@Injectable()
export class WebhookReceiver {
  constructor(private readonly webhooks: WebhookService) {}

  /** Express middleware; mount it after the body parsers (app.setup.ts). */
  readonly handle = (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'POST' || req.path !== WEBHOOK_PATH) {
      next();
      return;
    }
    const rawBody = jsonRawBody(req);
    if (rawBody === undefined) {
      next();
      return;
    }
    const startedAt = Date.now();
    req.id = requestId(req, res);
    // 'close' comes after 'finish', or alone when the client gave up before the answer.
    res.once('close', () => logRequest(req, res, Date.now() - startedAt));
    this.webhooks
      .receive(rawBody, req.body as unknown, req.get('x-hub-signature-256'))
      .then((ack) => {
        res.statusCode = 200;
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.end(JSON.stringify(ack));
      }, next);
  };
}

/**
 * The exact bytes of a body sent as `application/json` (the JSON parser kept them), else
 * undefined: a form-encoded body is parsed and kept too, but it is not a notification.
 */
export function jsonRawBody(req: Request): Buffer | undefined {
  return req.is('application/json') ? (req as RawBodyRequest<Request>).rawBody : undefined;
}

/** The line pino-http writes for the other routes: same keys, level and messages. */
function logRequest(req: Request, res: Response, responseTime: number): void {
  const logger = PinoLogger.root;
  if (res.statusCode >= 500) {
    const err = new Error(`failed with status code ${res.statusCode}`);
    logger.info({ req, res, err, responseTime }, 'request errored');
  } else {
    // Aborted: Meta stopped waiting. What the delivery carried is still committed (and its
    // redelivery answered with the same ids), but a slow server shows here first.
    const done = !req.readableAborted && res.writableEnded;
    logger.info({ req, res, responseTime }, done ? 'request completed' : 'request aborted');
  }
}
