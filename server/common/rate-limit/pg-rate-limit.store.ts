import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * Fixed-window counters in PostgreSQL (an UNLOGGED table: counters need no crash safety),
 * so every instance behind a load balancer shares one count per client. One upsert per check.
 */
@Injectable()
export class PgRateLimitStore {
  private lastSweep = 0;

  constructor(private readonly db: DataSource) {}

  async hit(key: string, windowMs: number): Promise<{ hits: number; secondsLeft: number }> {
    this.sweepNowAndThen();
    const rows = await this.db.query<{ hits: number; seconds_left: number }[]>(
      `INSERT INTO rate_limits AS r (key, hits, window_ends_at)
       VALUES ($1, 1, now() + make_interval(secs => $2::float8 / 1000))
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN r.window_ends_at <= now() THEN 1 ELSE r.hits + 1 END,
         window_ends_at = CASE WHEN r.window_ends_at <= now() THEN EXCLUDED.window_ends_at ELSE r.window_ends_at END
       RETURNING hits, ceil(extract(epoch FROM r.window_ends_at - now()))::int AS seconds_left`,
      [key, windowMs],
    );
    return { hits: rows[0].hits, secondsLeft: Math.max(1, rows[0].seconds_left) };
  }

  /** Takes one hit back from a window that is still open. */
  async refund(key: string): Promise<void> {
    await this.db.query(
      `UPDATE rate_limits SET hits = hits - 1 WHERE key = $1 AND hits > 0 AND window_ends_at > now()`,
      [key],
    );
  }

  // Expired windows are deleted at most once a minute per instance, off the request path.
  private sweepNowAndThen(): void {
    const now = Date.now();
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    this.db
      .query(`DELETE FROM rate_limits WHERE window_ends_at < now() - interval '1 minute'`)
      .catch(() => undefined); // best effort: the next sweep retries
  }
}
