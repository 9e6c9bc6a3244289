import { Module } from '@nestjs/common';
import { NumbersModule } from '../numbers/numbers.module.js';
import { QueueModule } from '../queue/queue.module.js';
import { GraphApiClient } from './graph-api.client.js';
import { GraphCredentialsProvider } from './graph-credentials.provider.js';
import { MarkReadHandler } from './mark-read.handler.js';
import { ReadReceiptsService } from './read-receipts.service.js';
import { SendThrottleService } from './send-throttle.service.js';
import { WhatsappController } from './whatsapp.controller.js';
import { WhatsappNumbersController } from './whatsapp-numbers.controller.js';
import { WhatsappService } from './whatsapp.service.js';

/**
 * Everything that calls Meta's Graph API: the typed client, the credentials of a
 * workspace's number, the per-number send throttle, SPEC's proxy endpoints and read
 * receipts. It does not know the inbox: callers pass what Meta needs (wamids, bodies).
 */
@Module({
  imports: [QueueModule, NumbersModule],
  controllers: [WhatsappController, WhatsappNumbersController],
  providers: [
    GraphApiClient,
    GraphCredentialsProvider,
    SendThrottleService,
    WhatsappService,
    ReadReceiptsService,
    MarkReadHandler,
  ],
  exports: [GraphApiClient, GraphCredentialsProvider, SendThrottleService, ReadReceiptsService],
})
export class WhatsappModule {}
