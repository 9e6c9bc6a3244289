import { Module } from '@nestjs/common';
import { InboxModule } from '../inbox/inbox.module.js';
import { StatsController } from './stats.controller.js';

/** The dashboard's figures; the counting itself belongs to the inbox, which owns the tables. */
@Module({
  imports: [InboxModule],
  controllers: [StatsController],
})
export class StatsModule {}
