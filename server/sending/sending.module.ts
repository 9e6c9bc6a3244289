import { Module } from '@nestjs/common';
import { InboxModule } from '../inbox/inbox.module.js';
import { QueueModule } from '../queue/queue.module.js';
import { WhatsappModule } from '../whatsapp/whatsapp.module.js';
import { SendMessageHandler } from './send-message.handler.js';
import { SendingController } from './sending.controller.js';
import { SendingService } from './sending.service.js';

/** Operators' outbound messages: POST /api/conversations/:id/messages and its send job. */
@Module({
  imports: [InboxModule, QueueModule, WhatsappModule],
  controllers: [SendingController],
  providers: [SendingService, SendMessageHandler],
})
export class SendingModule {}
