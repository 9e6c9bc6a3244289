import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { REPLAY_NUMBER_JOB, type ReplayNumberPayload } from '../numbers/numbers.service.js';
import type { ClaimedJob, JobHandler } from '../queue/job-handler.js';
import { QueueService } from '../queue/queue.service.js';
import { WebhookService } from './webhook.service.js';

const PAGE = 500;

/**
 * A number was connected (in the app, or WA_PHONE_NUMBER_ID got its first workspace): the
 * webhooks Meta delivered for it before were kept raw as `unknown_number` (or, in a
 * delivery that also carried another number, noted in `error`), and now reach the inbox.
 * The replay is idempotent, so a run cut short by a crash is simply run again.
 */
@Injectable()
export class ReplayNumberHandler implements JobHandler<ReplayNumberPayload>, OnModuleInit {
  readonly type = REPLAY_NUMBER_JOB;
  private readonly logger = new Logger(ReplayNumberHandler.name);

  constructor(
    private readonly queue: QueueService,
    private readonly webhooks: WebhookService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.queue.register(this);
  }

  async run(job: ClaimedJob<ReplayNumberPayload>): Promise<void> {
    const { phoneNumberId } = job.payload;
    let after = '0';
    let events = 0;
    let messages = 0;
    let statuses = 0;
    for (;;) {
      const page = await this.dataSource.query<{ id: string }[]>(
        `SELECT e.id FROM webhook_events e
          WHERE e.id > $2
            AND (e.outcome = 'unknown_number'
                 OR (e.outcome = 'processed' AND e.error LIKE 'unknown phone_number_id:%'))
            AND jsonb_path_exists(e.payload,
                  '$.entry[*].changes[*].value.metadata.phone_number_id ? (@ == $id)',
                  jsonb_build_object('id', $1::text))
          ORDER BY e.id
          LIMIT ${PAGE}`,
        [phoneNumberId, after],
      );
      if (page.length === 0) break;
      const summary = await this.webhooks.replay({ ids: page.map((r) => r.id) });
      events += summary.events;
      messages += summary.messagesStored;
      statuses += summary.statusesStored;
      after = page[page.length - 1].id;
    }
    if (events > 0) {
      this.logger.log(
        `phone_number_id ${phoneNumberId} connected: replayed ${events} webhook events kept ` +
          `before, ${messages} messages and ${statuses} statuses stored`,
      );
    }
  }
}
