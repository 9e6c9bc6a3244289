import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Job } from './job.entity.js';
import { QueueService } from './queue.service.js';
import { QueueWorker } from './queue.worker.js';
import { RateLimiterService } from './rate-limiter.service.js';

/**
 * The durable job queue in PostgreSQL (owner of `jobs` and `rate_limit_buckets`).
 * Producers call QueueService.enqueue() in their transaction; handlers register with
 * QueueService.register(); QueueWorker runs them in every instance. See docs/queue.md.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Job])],
  providers: [QueueService, QueueWorker, RateLimiterService],
  exports: [QueueService, RateLimiterService],
})
export class QueueModule {}
