import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../support/app.js';
import { createUser } from '../support/factories.js';
import {
  customerWaId,
  inboundNotification,
  META_TYPES,
  metaMessage,
  postWebhook,
  webhookEnv,
} from '../support/meta.js';

/**
 * The names of the prepared statements on each of the app's pool connections (two of them:
 * DB_POOL_SIZE=2, each taken by one of two transactions held open at once).
 */
async function preparedOnEveryConnection(t: TestApp): Promise<string[][]> {
  const runners = [t.db.createQueryRunner(), t.db.createQueryRunner()];
  try {
    await Promise.all(runners.map((r) => r.startTransaction()));
    return await Promise.all(
      runners.map(async (r) =>
        (
          (await r.query(`SELECT name FROM pg_prepared_statements ORDER BY name`)) as {
            name: string;
          }[]
        )
          .map((row) => row.name)
          .filter((name) => name.startsWith('nolose_')),
      ),
    );
  } finally {
    for (const r of runners) {
      await r.rollbackTransaction().catch(() => undefined);
      await r.release();
    }
  }
}

async function storeSomeMessages(t: TestApp): Promise<void> {
  await createUser(t); // the first workspace owns the webhook's number
  for (let i = 0; i < 6; i++) {
    const from = customerWaId();
    await postWebhook(
      t,
      inboundNotification(from, 'Prepared', metaMessage(from, META_TYPES.text(`hi ${i}`))),
    ).expect(200);
  }
  const [{ n }] = await t.db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM messages`);
  expect(n).toBe(6);
}

describe('the webhook statements as prepared statements (DB_PREPARED_STATEMENTS)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(webhookEnv({ DB_POOL_SIZE: '2' }));
  });
  afterAll(async () => {
    await t.close();
  });

  it('are prepared once per connection, with generic plans', async () => {
    await storeSomeMessages(t);
    const prepared = await preparedOnEveryConnection(t);
    // Contacts, conversations and messages, raw and live events: on the connection(s) that
    // ran the groups, each statement once however many groups it ran.
    const all = prepared.flat();
    expect(all.length).toBeGreaterThanOrEqual(3);
    for (const names of prepared) expect(new Set(names).size).toBe(names.length);
    const [{ plan_cache_mode: mode }] =
      await t.db.query<{ plan_cache_mode: string }[]>(`SHOW plan_cache_mode`);
    expect(mode).toBe('force_generic_plan');
  });
});

describe('DB_PREPARED_STATEMENTS=false', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(webhookEnv({ DB_POOL_SIZE: '2', DB_PREPARED_STATEMENTS: 'false' }));
  });
  afterAll(async () => {
    await t.close();
  });

  it('stores the same, with nothing prepared (for a transaction-pooling PgBouncer)', async () => {
    await storeSomeMessages(t);
    expect((await preparedOnEveryConnection(t)).flat()).toEqual([]);
    const [{ plan_cache_mode: mode }] =
      await t.db.query<{ plan_cache_mode: string }[]>(`SHOW plan_cache_mode`);
    expect(mode).toBe('auto');
  });
});
