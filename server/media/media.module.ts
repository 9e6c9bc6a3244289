import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InboxModule } from '../inbox/inbox.module.js';
import { QueueModule } from '../queue/queue.module.js';
import { WhatsappModule } from '../whatsapp/whatsapp.module.js';
import { FetchMediaHandler } from './fetch-media.handler.js';
import { MediaFile } from './media-file.entity.js';
import { MediaController } from './media.controller.js';
import { MediaService } from './media.service.js';

/** Inbound media: fetched from Meta in the background, kept in media_files, served back. */
@Module({
  imports: [TypeOrmModule.forFeature([MediaFile]), InboxModule, QueueModule, WhatsappModule],
  controllers: [MediaController],
  providers: [MediaService, FetchMediaHandler],
  exports: [MediaService],
})
export class MediaModule {}
