import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { ClaimedJob, JobHandler } from '../queue/job-handler.js';
import { QueueService } from '../queue/queue.service.js';
import { GraphApiClient } from './graph-api.client.js';
import { GraphCredentialsProvider } from './graph-credentials.provider.js';
import { MARK_READ_JOB, type MarkReadPayload } from './read-receipts.service.js';
import { SendThrottleService } from './send-throttle.service.js';

/**
 * Sends one read receipt: `{messaging_product, status: "read", message_id}`. Nothing to
 * record on success; a permanent failure (e.g. the message is older than Meta allows) is
 * only logged by the queue — a missing blue tick is not worth an operator's attention.
 */
@Injectable()
export class MarkReadHandler implements JobHandler<MarkReadPayload>, OnModuleInit {
  readonly type = MARK_READ_JOB;

  constructor(
    private readonly queue: QueueService,
    private readonly graph: GraphApiClient,
    private readonly credentials: GraphCredentialsProvider,
    private readonly throttle: SendThrottleService,
  ) {}

  onModuleInit(): void {
    this.queue.register(this);
  }

  async run(job: ClaimedJob<MarkReadPayload>): Promise<void> {
    const creds = await this.credentials.forWorkspace(job.payload.workspaceId);
    await this.throttle.acquire(creds);
    await this.graph.post(creds, `${creds.phoneNumberId}/messages`, {
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: job.payload.waMessageId,
    });
  }
}
