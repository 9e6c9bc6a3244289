import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  customerWrites,
  newCustomer,
  startWiredApp,
  waitFor,
  type WiredApp,
} from '../support/emulator.js';
import { sleep } from './support.js';

// Meta's Graph API goes down (connections dropped), then answers slowly, then recovers.
// Property: sends wait in the queue and go out once it recovers: none lost, none twice.

const textOf = (s: { request: Record<string, unknown> }): string =>
  (s.request.text as { body?: string } | undefined)?.body ?? '';

let w: WiredApp;
beforeAll(async () => {
  w = await startWiredApp({ emulator: { statuses: { enabled: false } } });
});
afterAll(async () => {
  await w.close();
});

describe('fault: the Graph API is down, then slow', () => {
  it('sends every queued message exactly once after it recovers', async () => {
    const COUNT = 30;
    const customers = Array.from({ length: 5 }, () => newCustomer());
    const conversations = await Promise.all(customers.map((c) => customerWrites(w, c)));

    w.meta.injectFailure({ code: 'disconnect', times: null, endpoint: 'all' });
    const texts: string[] = [];
    for (let i = 0; i < COUNT; i++) {
      const text = `queued during the outage #${i}`;
      texts.push(text);
      await w.t.http
        .post(`/api/conversations/${conversations[i % conversations.length]}/messages`)
        .set(w.owner.auth)
        .send({ text })
        .expect(202);
    }
    // Down for a while: the worker keeps trying, nothing gets out.
    await sleep(1500);
    const sentDuring = w.meta.sent().filter((s) => texts.includes(textOf(s))).length;
    const [{ n: attemptsDuring }] = await w.t.db.query<{ n: string }[]>(
      `SELECT coalesce(sum(attempts), 0) AS n FROM jobs WHERE type = 'send_message'`,
    );
    expect(sentDuring).toBe(0);

    // Slow, then healthy.
    w.meta.clearFailures();
    w.meta.configure({ latencyMs: 300 });
    await sleep(800);
    w.meta.configure({ latencyMs: 0 });

    await waitFor(
      () => w.meta.sent().filter((s) => texts.includes(textOf(s))).length >= COUNT,
      'every queued send to reach Graph',
      60_000,
    );
    await sleep(500); // room for a duplicate to show up, if there were one
    const sent = w.meta.sent().filter((s) => texts.includes(textOf(s)));
    const byText = new Map<string, number>();
    for (const s of sent) byText.set(textOf(s), (byText.get(textOf(s)) ?? 0) + 1);
    const rows = await w.t.db.query<{ status: string; n: string }[]>(
      `SELECT status, count(*) AS n FROM jobs WHERE type = 'send_message' GROUP BY status`,
    );
    console.log(
      `[fault:graph-down] queued=${COUNT} sentDuringOutage=${sentDuring} attemptsDuringOutage=${attemptsDuring} ` +
        `sentAfterRecovery=${sent.length} distinct=${byText.size} jobs=${JSON.stringify(rows)}`,
    );
    // The failed attempts show in this instance's metrics; nothing failed for good.
    const metrics = (await w.t.http.get('/api/metrics').expect(200)).text;
    const metric = (name: string): number =>
      metrics
        .split('\n')
        .filter((l) => l.startsWith(name))
        .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    console.log(
      `[fault:graph-down] metrics: send_attempts_failed=${metric('nolose_send_attempts_failed_total')} ` +
        `sends_failed=${metric('nolose_sends_failed_total')}`,
    );
    expect(metric('nolose_send_attempts_failed_total')).toBeGreaterThan(0);
    expect(metric('nolose_sends_failed_total')).toBe(0);
    expect(Number(attemptsDuring)).toBeGreaterThan(0);
    expect(byText.size).toBe(COUNT);
    expect([...byText.values()].every((n) => n === 1)).toBe(true);
    const messages = await w.t.db.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM messages WHERE wa_message_id IS NOT NULL AND content = ANY($1)`,
      [texts],
    );
    expect(Number(messages[0].n)).toBe(COUNT);
  });
});
