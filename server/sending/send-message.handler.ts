import { Injectable, Optional, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error.js';
import { InboxOutboundService, type SendFailure } from '../inbox/inbox-outbound.service.js';
import {
  describeError,
  type ClaimedJob,
  type JobCommit,
  type JobHandler,
} from '../queue/job-handler.js';
import { QueueService } from '../queue/queue.service.js';
import { GraphApiClient } from '../whatsapp/graph-api.client.js';
import { GraphCredentialsProvider } from '../whatsapp/graph-credentials.provider.js';
import { SendThrottleService } from '../whatsapp/send-throttle.service.js';
import { GraphApiError } from '../whatsapp/whatsapp.errors.js';
import type { GraphSendRequest } from './outbound-request.js';
import { MetricsService } from '../metrics/metrics.service.js';

export const SEND_MESSAGE_JOB = 'send_message';

export interface SendMessagePayload {
  messageId: number;
  workspaceId: number;
  /** The exact Graph request, decided when the operator sent it. */
  request: GraphSendRequest;
}

interface SendAnswer {
  messages?: { id?: string; message_status?: string }[];
}

/**
 * Sends one queued outbound message: POST /{phone-number-id}/messages within the number's
 * throughput, then stores the wamid Meta returns — in the transaction that completes the job.
 *
 * Acceptance is not delivery: the message stays `pending` (now with its wamid) until Meta's
 * `sent` status webhook, and only statuses move it further (docs/queue.md). Retryable
 * failures (429/130429, 5xx, timeouts) are retried with back-off by the queue; a permanent
 * one — or the last retry — marks the message `failed` with Meta's code and title.
 */
@Injectable()
export class SendMessageHandler implements JobHandler<SendMessagePayload>, OnModuleInit {
  readonly type = SEND_MESSAGE_JOB;

  constructor(
    private readonly queue: QueueService,
    private readonly graph: GraphApiClient,
    private readonly credentials: GraphCredentialsProvider,
    private readonly throttle: SendThrottleService,
    private readonly outbound: InboxOutboundService,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  onModuleInit(): void {
    this.queue.register(this);
  }

  async run(job: ClaimedJob<SendMessagePayload>): Promise<JobCommit | void> {
    const { messageId, workspaceId, request } = job.payload;
    // Accepted, failed or deleted already: sending again could only duplicate it.
    if (!(await this.outbound.awaitsAcceptance(messageId))) return;
    // Replies leave from the number the conversation is on (else the workspace's oldest).
    const creds = await this.credentials.forWorkspace(
      workspaceId,
      await this.outbound.numberOf(messageId),
    );
    await this.throttle.acquire(creds);
    const answer = await this.graph
      .post<SendAnswer>(creds, `${creds.phoneNumberId}/messages`, request)
      .catch((err: unknown) => {
        const retryable = (err as { retryable?: unknown } | null)?.retryable !== false;
        this.metrics?.sendAttemptsFailed.inc({ retryable: String(retryable) });
        throw err;
      });
    const wamid = answer.messages?.[0]?.id;
    if (!wamid) {
      // Not retried: Meta may well have accepted it, and a retry could send it twice.
      throw Object.assign(new Error('Meta accepted the send but returned no message id'), {
        retryable: false,
      });
    }
    return (manager) => this.outbound.markAccepted(manager, workspaceId, messageId, wamid);
  }

  async onFailed(
    manager: EntityManager,
    job: ClaimedJob<SendMessagePayload>,
    error: unknown,
  ): Promise<void> {
    await this.outbound.markFailed(
      manager,
      job.payload.workspaceId,
      job.payload.messageId,
      failureOf(error),
    );
    this.metrics?.sendsFailed.inc();
  }
}

/** What operators see on a failed message: Meta's code and title when Meta refused it. */
function failureOf(error: unknown): SendFailure {
  if (error instanceof GraphApiError) {
    return { code: error.metaCode, title: error.title, details: error.metaDetails };
  }
  if (error instanceof DomainError) return { code: null, title: error.message, details: null };
  return { code: null, title: 'The message could not be sent', details: describeError(error) };
}
