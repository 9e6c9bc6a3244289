import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestApp } from '../support/app.js';
import { createAppBehindProxy, type AppBehindProxy } from '../support/app-behind-proxy.js';
import { createUser } from '../support/factories.js';
import { webhookEnv } from '../support/meta.js';
import type { TcpProxy } from '../support/tcp-proxy.js';
import { burst, sleep, storedWamids } from './support.js';

// The database goes away in the middle of a webhook burst (every connection cut, new ones
// refused for a while) and comes back. Property: every webhook answered 200 is stored, once;
// the others were refused (5xx or a broken connection), and Meta's retry stores them.

let t: TestApp;
let proxy: TcpProxy;
let app: AppBehindProxy;

beforeAll(async () => {
  app = await createAppBehindProxy(webhookEnv());
  ({ t, proxy } = app);
  await createUser(t);
});
afterAll(async () => {
  await app.close();
});

describe('fault: the database stops during a webhook burst', () => {
  it('stores every acknowledged webhook once; retried refusals are stored too', async () => {
    const COUNT = 400;
    let back: Promise<unknown> | undefined;
    const result = await burst(
      COUNT,
      8,
      async (w) => {
        await sleep(30); // a steady stream, so the burst spans the outage
        return (await t.http.post('/api/webhook').set(w.headers).send(w.body)).status;
      },
      async (done) => {
        if (done === 100 && !back) {
          back = proxy
            .stop()
            .then(() => sleep(1000))
            .then(() => proxy.start());
          await back.catch(() => undefined);
        }
      },
    );
    await back;

    const acknowledged = [...result.acknowledged];
    const stored = await storedWamids(
      app.databaseUrl,
      result.all.map((w) => w.wamid),
    );
    const refusedStatuses = new Set(result.refused.values());
    console.log(
      `[fault:database-down] posted=${COUNT} acknowledged=${acknowledged.length} ` +
        `refused=${result.refused.size} (${[...refusedStatuses].join(', ')}) ` +
        `stored=${stored.size} acknowledgedAndStored=${acknowledged.filter((id) => stored.has(id)).length}`,
    );
    expect(result.refused.size).toBeGreaterThan(0); // the fault really hit the burst
    for (const id of acknowledged) expect(stored.get(id)).toBe(1);
    // Refusals were 5xx (never 4xx: Meta drops those) or a broken connection.
    for (const status of refusedStatuses) expect(status).not.toMatch(/^4/);
    for (const [id] of stored) expect(stored.get(id)).toBe(1);

    // Meta retries what was not acknowledged: everything ends up stored exactly once.
    const retry = result.all.filter((w) => !result.acknowledged.has(w.wamid));
    for (const w of retry) {
      const res = await t.http.post('/api/webhook').set(w.headers).send(w.body);
      expect(res.status).toBe(200);
    }
    const after = await storedWamids(
      app.databaseUrl,
      result.all.map((w) => w.wamid),
    );
    console.log(`[fault:database-down] after Meta's retries: stored=${after.size}/${COUNT}`);
    expect(after.size).toBe(COUNT);
    expect([...after.values()].every((n) => n === 1)).toBe(true);
  });
});
