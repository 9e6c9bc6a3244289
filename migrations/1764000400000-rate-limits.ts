import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Shared rate-limit counters (one row per client key and window) for every instance. */
export class RateLimits1764000400000 implements MigrationInterface {
  name = 'RateLimits1764000400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE UNLOGGED TABLE rate_limits (
        key text PRIMARY KEY,
        hits integer NOT NULL,
        window_ends_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rate_limits`);
  }
}
