import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventsModule } from '../events/events.module.js';
import { QueueModule } from '../queue/queue.module.js';
import { WhatsappModule } from '../whatsapp/whatsapp.module.js';
import { Contact } from './contact.entity.js';
import { ContactsController } from './contacts.controller.js';
import { ContactsService } from './contacts.service.js';
import { Conversation } from './conversation.entity.js';
import { ConversationsController } from './conversations.controller.js';
import { ConversationsService } from './conversations.service.js';
import { InboxIngestService } from './inbox-ingest.service.js';
import { InboxMediaService } from './inbox-media.service.js';
import { InboxOutboundService } from './inbox-outbound.service.js';
import { InboxQueryService } from './inbox-query.service.js';
import { InboxStatsService } from './inbox-stats.service.js';
import { Message } from './message.entity.js';
import { MessageStatusEvent } from './message-status-event.entity.js';
import { MessagesController } from './messages.controller.js';
import { NotesController } from './notes.controller.js';
import { NotesService } from './notes.service.js';

/** Owner of contacts, conversations, messages and notes, and of the API that reads them. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Contact, Conversation, Message, MessageStatusEvent]),
    EventsModule,
    QueueModule,
    WhatsappModule,
  ],
  controllers: [MessagesController, ContactsController, ConversationsController, NotesController],
  providers: [
    InboxQueryService,
    ContactsService,
    ConversationsService,
    InboxStatsService,
    InboxIngestService,
    InboxOutboundService,
    InboxMediaService,
    NotesService,
  ],
  exports: [
    InboxQueryService,
    InboxStatsService,
    InboxIngestService,
    InboxOutboundService,
    InboxMediaService,
  ],
})
export class InboxModule {}
