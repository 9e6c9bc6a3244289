import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { REPLAY_NUMBER_JOB, type ReplayNumberPayload } from '../numbers/numbers.service.js';
import type { ClaimedJob, JobHandler } from '../queue/job-handler.js';
import { QueueService } from '../queue/queue.service.js';
import { WebhookService } from './webhook.service.js';

/**
 * A number was connected (in the app, or WA_PHONE_NUMBER_ID got its first workspace): the
 * webhooks Meta delivered for it before were kept raw, and now reach the inbox. The replay
 * is idempotent, so a run cut short by a crash is simply run again.
 */
@Injectable()
export class ReplayNumberHandler implements JobHandler<ReplayNumberPayload>, OnModuleInit {
  readonly type = REPLAY_NUMBER_JOB;
  private readonly logger = new Logger(ReplayNumberHandler.name);

  constructor(
    private readonly queue: QueueService,
    private readonly webhooks: WebhookService,
  ) {}

  onModuleInit(): void {
    this.queue.register(this);
  }

  async run(job: ClaimedJob<ReplayNumberPayload>): Promise<void> {
    const { phoneNumberId } = job.payload;
    const summary = await this.webhooks.replay({ unknownNumber: phoneNumberId });
    if (summary.events > 0) {
      this.logger.log(
        `phone_number_id ${phoneNumberId} connected: replayed ${summary.events} webhook events ` +
          `kept before, ${summary.messagesStored} messages and ${summary.statusesStored} statuses stored`,
      );
    }
  }
}
