import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  customerWrites,
  newCustomer,
  startWiredApp,
  waitFor,
  type WiredApp,
} from '../support/emulator.js';

// Apps, the emulator and queued work: more than Jest's default 5 s per test.
jest.setTimeout(30_000);

let w: WiredApp;
beforeAll(async () => {
  // Meta allows 5 messages a second here; No Lose is told 4, and must never trip the limit.
  w = await startWiredApp({
    emulator: { rateLimitPerSecond: 5, statuses: { enabled: false } },
    env: { WA_SEND_RATE_PER_SECOND: '4', QUEUE_CONCURRENCY: '10' },
  });
});
afterAll(async () => {
  await w.close();
});

describe("a WhatsApp number's throughput", () => {
  it('spreads a burst of sends so Meta never answers 130429', async () => {
    const customers = [newCustomer(), newCustomer(), newCustomer()];
    const conversations = await Promise.all(customers.map((c) => customerWrites(w, c)));
    const burst = 12;
    await Promise.all(
      Array.from({ length: burst }, (_, i) =>
        w.t.http
          .post(`/api/conversations/${conversations[i % conversations.length]}/messages`)
          .set(w.owner.auth)
          .send({ text: `Update ${i + 1}` })
          .expect(202),
      ),
    );
    const allDone = async (): Promise<boolean> => {
      const [row] = await w.t.db.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM jobs WHERE type = 'send_message' AND status = 'done'`,
      );
      return row.n === burst;
    };
    await waitFor(allDone, `${burst} sends to complete`);
    expect(w.meta.sent()).toHaveLength(burst);
    expect(w.meta.rejected().filter((r) => r.error?.error.code === 130429)).toEqual([]);
  });
});
