import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** A slot to use after `waitMs`, or none within reach: try again in `retryInMs`. */
export type Reservation = { waitMs: number } | { retryInMs: number };

/**
 * Rate limits shared by every instance, in PostgreSQL (`rate_limit_buckets`), by the
 * generic cell rate algorithm: each key keeps the time its next slot opens; a caller
 * reserves that slot and moves it 1/perSecond later, in one atomic upsert. Slots are evenly
 * spaced, so no second ever holds more than `perSecond` uses, whichever instances make
 * them (up to the clock jitter between statements), and waiting callers do not race each
 * other: each knows its own slot.
 * https://en.wikipedia.org/wiki/Generic_cell_rate_algorithm
 */
@Injectable()
export class RateLimiterService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Reserves the next slot of `key` if it opens within `maxWaitMs`. */
  async reserve(key: string, perSecond: number, maxWaitMs: number): Promise<Reservation> {
    const step = `make_interval(secs => 1.0 / $2::float8)`;
    const [reserved] = await this.dataSource.query<{ wait_ms: number }[]>(
      `INSERT INTO rate_limit_buckets AS b (key, next_at)
       VALUES ($1, clock_timestamp() + ${step})
       ON CONFLICT (key) DO UPDATE
          SET next_at = GREATEST(b.next_at, clock_timestamp()) + ${step}
        WHERE b.next_at <= clock_timestamp() + make_interval(secs => $3::float8 / 1000)
       RETURNING GREATEST(0, EXTRACT(EPOCH FROM b.next_at - ${step} - clock_timestamp()) * 1000)::float8 AS wait_ms`,
      [key, perSecond, maxWaitMs],
    );
    if (reserved) return { waitMs: Math.ceil(reserved.wait_ms) };
    const [row] = await this.dataSource.query<{ ahead_ms: number }[]>(
      `SELECT (EXTRACT(EPOCH FROM next_at - clock_timestamp()) * 1000)::float8 AS ahead_ms
         FROM rate_limit_buckets WHERE key = $1`,
      [key],
    );
    return { retryInMs: Math.max(1, Math.ceil((row?.ahead_ms ?? 0) - maxWaitMs)) };
  }
}
