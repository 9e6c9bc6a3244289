import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { DataSource } from 'typeorm';
import { WEBHOOK_PATH } from '../webhook/webhook-path.js';

/**
 * Prometheus metrics of this process (GET /api/metrics). Each app instance has its own
 * registry, so counters count what this instance did and Prometheus sums the instances;
 * the send queue depth is shared state and read from the database at scrape time.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly webhooksReceived = new Counter({
    name: 'nolose_webhooks_received_total',
    help: 'POST /api/webhook requests received by this instance',
    registers: [this.registry],
  });
  readonly webhooksRejected = new Counter({
    name: 'nolose_webhooks_rejected_total',
    help: 'Webhook requests answered 4xx (bad signature, not JSON, too large) by this instance',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });
  readonly webhooksUnavailable = new Counter({
    name: 'nolose_webhooks_unavailable_total',
    help: 'Webhook requests answered 5xx (database unavailable or busy): Meta retries them',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });
  readonly webhooksStored = new Counter({
    name: 'nolose_webhooks_stored_total',
    help: 'Webhook events committed to the database, by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly webhookMessagesStored = new Counter({
    name: 'nolose_webhook_messages_stored_total',
    help: 'Inbound messages stored from webhooks',
    registers: [this.registry],
  });
  readonly webhookDuplicates = new Counter({
    name: 'nolose_webhook_duplicate_messages_total',
    help: 'Inbound messages received again (Meta retries, a second instance) and not stored twice',
    registers: [this.registry],
  });
  readonly webhookUnknownNumbers = new Counter({
    name: 'nolose_webhook_unknown_number_changes_total',
    help: 'Webhook changes for a phone_number_id no workspace owns (kept raw)',
    registers: [this.registry],
  });
  readonly webhookCommitGroups = new Histogram({
    name: 'nolose_webhook_commit_group_size',
    help: 'Webhook deliveries committed together in one transaction (group commit under load)',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200],
    registers: [this.registry],
  });
  readonly webhookCommitSeconds = new Histogram({
    name: 'nolose_webhook_commit_seconds',
    help: "Time of a webhook group's transaction, from its first statement to the commit (retries included)",
    buckets: [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2],
    registers: [this.registry],
  });
  readonly webhookQueueSeconds = new Histogram({
    name: 'nolose_webhook_queue_seconds',
    help: 'Time a verified webhook delivery waited for a commit slot before its group started',
    buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1],
    registers: [this.registry],
  });
  readonly sendAttemptsFailed = new Counter({
    name: 'nolose_send_attempts_failed_total',
    help: 'Graph API send attempts that failed on this instance (retryable or not)',
    labelNames: ['retryable'] as const,
    registers: [this.registry],
  });
  readonly sendsFailed = new Counter({
    name: 'nolose_sends_failed_total',
    help: 'Outbound messages that failed for good (no more retries)',
    registers: [this.registry],
  });
  readonly requestDuration = new Histogram({
    name: 'nolose_http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  constructor(@InjectDataSource() private readonly db: DataSource) {
    const queue = new Gauge({
      name: 'nolose_send_queue_jobs',
      help: 'Send jobs in the database by status (read at scrape time; shared by all instances)',
      labelNames: ['status'] as const,
      registers: [this.registry],
      collect: async () => {
        queue.reset();
        for (const status of ['queued', 'running', 'failed']) queue.set({ status }, 0);
        const rows = await this.db.query<{ status: string; n: string }[]>(
          `SELECT status, count(*) AS n FROM jobs
            WHERE type = 'send_message' AND status IN ('queued', 'running', 'failed')
            GROUP BY status`,
        );
        for (const r of rows) queue.set({ status: r.status }, Number(r.n));
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'nolose_' });
  }

  /**
   * Times a request until its response is sent, by route pattern (not the raw URL, so ids
   * do not explode the label set), and counts webhook requests by how they were answered.
   * Mounted before the body parsers, so a body refused as too large or not JSON is counted
   * too. A webhook answered ahead of Nest's router (WebhookReceiver) has no matched route;
   * it is labelled with its path.
   */
  readonly trackRequests = (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    const isWebhook = req.method === 'POST' && req.originalUrl.split('?')[0] === WEBHOOK_PATH;
    if (isWebhook) this.webhooksReceived.inc();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const matched = req.route as { path?: unknown } | undefined;
      const route = matched
        ? `${req.baseUrl}${String(matched.path)}`
        : isWebhook
          ? WEBHOOK_PATH
          : 'unmatched';
      const status = String(res.statusCode);
      this.requestDuration.observe({ method: req.method, route, status }, seconds);
      if (isWebhook && res.statusCode >= 500) this.webhooksUnavailable.inc({ status });
      else if (isWebhook && res.statusCode >= 400) this.webhooksRejected.inc({ status });
    });
    next();
  };

  /** After a webhook's transaction committed. */
  recordWebhookStored(outcome: {
    outcome: string;
    messagesReceived: number;
    messagesStored: number;
    unknownNumberChanges: number;
  }): void {
    this.webhooksStored.inc({ outcome: outcome.outcome });
    this.webhookMessagesStored.inc(outcome.messagesStored);
    const duplicates = outcome.messagesReceived - outcome.messagesStored;
    if (duplicates > 0) this.webhookDuplicates.inc(duplicates);
    if (outcome.unknownNumberChanges > 0) {
      this.webhookUnknownNumbers.inc(outcome.unknownNumberChanges);
    }
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
