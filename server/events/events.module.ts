import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WorkspaceEvent } from './event.entity.js';
import { EventsController } from './events.controller.js';
import { EventsListenerService } from './events-listener.service.js';
import { EventsRetentionService } from './events-retention.service.js';
import { EventsStreamService } from './events-stream.service.js';
import { EventsService } from './events.service.js';

/** The live-event log (publish, in the caller's transaction) and its SSE stream. */
@Module({
  imports: [TypeOrmModule.forFeature([WorkspaceEvent])],
  controllers: [EventsController],
  providers: [EventsService, EventsListenerService, EventsStreamService, EventsRetentionService],
  exports: [EventsService],
})
export class EventsModule {}
