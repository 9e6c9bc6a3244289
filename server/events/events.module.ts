import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WorkspaceEvent } from './event.entity.js';
import { EventsService } from './events.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([WorkspaceEvent])],
  providers: [EventsService],
  exports: [EventsService],
})
export class EventsModule {}
