import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../config/env.js';
import { RetryJobLater } from '../queue/job-handler.js';
import { RateLimiterService } from '../queue/rate-limiter.service.js';
import type { GraphCredentials } from './graph-api.client.js';

/** Longest a send waits in the worker for its slot; beyond, the job is put back instead. */
const MAX_SLOT_WAIT_MS = 1000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Meta's throughput cap per business number (80 messages a second by default, more after
 * an upgrade): every POST /{phone-number-id}/messages of every instance first reserves a
 * slot on the number's schedule in PostgreSQL (RateLimiterService), spaced
 * 1/WA_SEND_RATE_PER_SECOND apart, and waits for it. When the schedule is more than a
 * second ahead (a large backlog across instances) the job is put back for later, not
 * counted as an attempt.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/overview#throughput
 */
@Injectable()
export class SendThrottleService {
  private readonly perSecond: number;

  constructor(
    config: ConfigService<Env, true>,
    private readonly limiter: RateLimiterService,
  ) {
    this.perSecond = config.get('WA_SEND_RATE_PER_SECOND', { infer: true });
  }

  /** Resolves when this send may go, or throws RetryJobLater for the queue to try again. */
  async acquire(credentials: GraphCredentials): Promise<void> {
    const slot = await this.limiter.reserve(
      `wa_send:${credentials.phoneNumberId}`,
      this.perSecond,
      MAX_SLOT_WAIT_MS,
    );
    if ('retryInMs' in slot) {
      // Jitter spreads the jobs put back together over the time they wait.
      throw new RetryJobLater(
        'Waiting for a send slot (WA_SEND_RATE_PER_SECOND)',
        slot.retryInMs + Math.round(Math.random() * MAX_SLOT_WAIT_MS),
      );
    }
    if (slot.waitMs > 0) await sleep(slot.waitMs);
  }
}
