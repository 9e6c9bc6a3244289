import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { MetricsService } from './metrics.service.js';

/**
 * Times every request (route pattern, not the raw URL, so ids do not explode the label
 * set) and counts webhook requests by how they were answered.
 */
@Injectable()
export class MetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsService) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    const isWebhook = req.method === 'POST' && req.originalUrl.split('?')[0] === '/api/webhook';
    if (isWebhook) this.metrics.webhooksReceived.inc();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const matched = req.route as { path?: unknown } | undefined;
      const route = matched ? `${req.baseUrl}${String(matched.path)}` : 'unmatched';
      const status = String(res.statusCode);
      this.metrics.requestDuration.observe({ method: req.method, route, status }, seconds);
      if (isWebhook && res.statusCode >= 500) this.metrics.webhooksUnavailable.inc({ status });
      else if (isWebhook && res.statusCode >= 400) this.metrics.webhooksRejected.inc({ status });
    });
    next();
  }
}
