import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventsModule } from '../events/events.module.js';
import { InboxModule } from '../inbox/inbox.module.js';
import { NumbersModule } from '../numbers/numbers.module.js';
import { WorkspacesModule } from '../workspaces/workspaces.module.js';
import { QueueModule } from '../queue/queue.module.js';
import { ReplayNumberHandler } from './replay-number.handler.js';
import { WebhookEvent } from './webhook-event.entity.js';
import { UnknownNumbersController } from './unknown-numbers.controller.js';
import { UnknownNumbersService } from './unknown-numbers.service.js';
import { WebhookController } from './webhook.controller.js';
import { WebhookReceiver } from './webhook-receiver.js';
import { WebhookService } from './webhook.service.js';

/** Meta's webhook: handshake, signature, raw event log, routing to the inbox. */
@Module({
  imports: [
    TypeOrmModule.forFeature([WebhookEvent]),
    NumbersModule,
    InboxModule,
    WorkspacesModule,
    EventsModule,
    QueueModule,
  ],
  controllers: [WebhookController, UnknownNumbersController],
  providers: [WebhookService, WebhookReceiver, UnknownNumbersService, ReplayNumberHandler],
  exports: [WebhookService, WebhookReceiver],
})
export class WebhookModule {}
