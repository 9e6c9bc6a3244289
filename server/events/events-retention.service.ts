import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/**
 * Live events are for catching up after a short disconnect, not an archive (the messages
 * and conversations themselves are): after this many days a reconnecting client reloads
 * its lists instead of replaying.
 */
export const EVENT_RETENTION_DAYS = 7;
const CLEANUP_EVERY_MS = 60 * 60 * 1000;
const DELETE_BATCH = 10_000;

/** Deletes old events hourly, in small batches (every instance may run it; it is idempotent). */
@Injectable()
export class EventsRetentionService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(EventsRetentionService.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.cleanup(), CLEANUP_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Returns how many events were deleted. */
  async cleanup(retentionDays = EVENT_RETENTION_DAYS): Promise<number> {
    let total = 0;
    try {
      for (;;) {
        const [, affected] = await this.dataSource.query<[unknown, number]>(
          `DELETE FROM events WHERE id IN (
             SELECT id FROM events WHERE created_at < now() - make_interval(days => $1) LIMIT ${DELETE_BATCH})`,
          [retentionDays],
        );
        total += affected;
        if (affected < DELETE_BATCH) break;
      }
    } catch (err) {
      this.logger.warn(`Live-event cleanup failed: ${(err as Error).message}`);
    }
    return total;
  }
}
