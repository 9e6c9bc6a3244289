import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { QueryRunner } from 'typeorm';
import { MetricsService } from '../../server/metrics/metrics.service.js';
import { WebhookService } from '../../server/webhook/webhook.service.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createUser } from '../support/factories.js';
import {
  customerWaId,
  inboundNotification,
  META_TYPES,
  metaContact,
  metaMessage,
  metaNotification,
  metaStatus,
  postWebhook,
  wamid,
  webhookEnv,
} from '../support/meta.js';

// Group commit: while earlier webhook transactions are in flight, new deliveries wait and
// are then stored together in one transaction — each still answered only after the commit
// that holds it, each credited with exactly what it brought, and one delivery that cannot
// be processed does not take the others down with it.

type Json = Record<string, unknown>;

// Transactions in flight at once; the tests fill them, then queue deliveries behind them.
const SLOTS = 3;

let t: TestApp;
let webhooks: WebhookService;

beforeAll(async () => {
  t = await createTestApp(webhookEnv({ WEBHOOK_COMMIT_SLOTS: String(SLOTS) }));
  await createUser(t);
  webhooks = t.app.get(WebhookService);
});
afterAll(async () => {
  await t.close();
});

/** The transactions in flight (one per commit slot) wait on this lock until released. */
async function holdWebhookEvents(): Promise<QueryRunner> {
  const runner = t.db.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  await runner.query(`LOCK TABLE webhook_events IN SHARE MODE`);
  return runner;
}

async function release(runner: QueryRunner): Promise<void> {
  await runner.commitTransaction();
  await runner.release();
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Posts every payload at once; the requests are under way when this returns. */
function postAll(payloads: Json[]): Promise<{ status: number; body: Json }[]> {
  return Promise.all(
    payloads.map((p) =>
      postWebhook(t, p).then((res) => ({ status: res.status, body: res.body as Json })),
    ),
  );
}

async function groupSizes(): Promise<{ count: number; sum: number }> {
  const metric = await t.app.get(MetricsService).webhookCommitGroups.get();
  const value = (name: string): number =>
    metric.values.find((v) => v.metricName === name)?.value ?? 0;
  return {
    count: value('nolose_webhook_commit_group_size_count'),
    sum: value('nolose_webhook_commit_group_size_sum'),
  };
}

async function messageIds(wamids: string[]): Promise<Map<string, number>> {
  const rows = await t.db.query<{ id: number; wa_message_id: string }[]>(
    `SELECT id, wa_message_id FROM messages WHERE wa_message_id = ANY($1::text[])`,
    [wamids],
  );
  expect(rows).toHaveLength(new Set(wamids).size);
  return new Map(rows.map((r) => [r.wa_message_id, r.id]));
}

async function eventsOf(
  wamids: string[],
): Promise<{ outcome: string; messages_stored: number; statuses_stored: number }[]> {
  return t.db.query(
    `SELECT outcome, messages_stored, statuses_stored FROM webhook_events
      WHERE payload #>> '{entry,0,changes,0,value,messages,0,id}' = ANY($1::text[])
         OR payload #>> '{entry,0,changes,0,value,statuses,0,id}' = ANY($1::text[])
      ORDER BY id`,
    [wamids],
  );
}

function singleMessage(text: string): { payload: Json; wamid: string } {
  const from = customerWaId();
  const m = metaMessage(from, META_TYPES.text(text));
  return { payload: inboundNotification(from, 'Group', m), wamid: m.id as string };
}

describe('webhook group commit', () => {
  it('stores deliveries that arrive during busy transactions together, answering each after its commit', async () => {
    const before = await groupSizes();
    const lock = await holdWebhookEvents();
    const deliveries = Array.from({ length: 24 }, (_, i) => singleMessage(`grouped ${i}`));
    let answered = 0;
    const responses = Promise.all(
      deliveries.map((d) =>
        postWebhook(t, d.payload).then((res) => {
          answered += 1;
          return res;
        }),
      ),
    );
    // SLOTS transactions wait on the lock; the other deliveries wait for a slot.
    await until(() => webhooks.pendingDeliveries === 24 - SLOTS, 'deliveries waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(answered).toBe(0); // nothing is acknowledged before its commit
    await release(lock);

    const results = await responses;
    const ids = await messageIds(deliveries.map((d) => d.wamid));
    results.forEach((res, i) => {
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok', message_id: ids.get(deliveries[i].wamid) });
    });
    const events = await eventsOf(deliveries.map((d) => d.wamid));
    expect(events).toHaveLength(24);
    for (const e of events) expect(e).toMatchObject({ outcome: 'processed', messages_stored: 1 });
    // Those that found a free slot went alone; the rest, waiting, shared one commit.
    const after = await groupSizes();
    expect(after.count - before.count).toBe(SLOTS + 1);
    expect(after.sum - before.sum).toBe(24);
  });

  it('credits a message or status carried by several deliveries of one group to one of them', async () => {
    const from = customerWaId();
    const m = metaMessage(from, META_TYPES.text('said five times'));
    const messageCopy = inboundNotification(from, 'Echo', m);
    const outboundWamid = wamid();
    const statusCopy = metaNotification({ statuses: [metaStatus(outboundWamid, 'delivered')] });
    const fillers = Array.from({ length: SLOTS }, (_, i) => singleMessage(`filler ${i}`));

    const lock = await holdWebhookEvents();
    const first = postAll(fillers.map((f) => f.payload));
    await until(() => webhooks.pendingDeliveries === 0, 'the fillers in flight');
    const copies = postAll([
      ...Array.from({ length: 5 }, () => messageCopy),
      ...Array.from({ length: 3 }, () => statusCopy),
    ]);
    await until(() => webhooks.pendingDeliveries === 8, 'the copies waiting');
    await release(lock);
    await first;
    const results = await copies;

    const ids = await messageIds([m.id as string]);
    for (const res of results.slice(0, 5)) {
      expect(res).toEqual({
        status: 200,
        body: { status: 'ok', message_id: ids.get(m.id as string) },
      });
    }
    for (const res of results.slice(5)) {
      expect(res).toEqual({ status: 200, body: { status: 'ok', message_id: null } });
    }
    const events = await eventsOf([m.id as string, outboundWamid]);
    expect(events).toHaveLength(8);
    expect(events.map((e) => e.messages_stored).sort()).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(events.map((e) => e.statuses_stored).sort()).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    const statusRows = await t.db.query<unknown[]>(
      `SELECT 1 FROM message_status_events WHERE wa_message_id = $1`,
      [outboundWamid],
    );
    expect(statusRows).toHaveLength(1);
  });

  it('stores the rest of a group when one of its deliveries cannot be processed', async () => {
    // A deterministic failure like a bug: a constraint that refuses this content.
    await t.db.query(
      `ALTER TABLE messages ADD CONSTRAINT test_refuses_poison CHECK (content IS DISTINCT FROM 'poison')`,
    );
    try {
      const fillers = Array.from({ length: SLOTS }, (_, i) => singleMessage(`before ${i}`));
      const good = Array.from({ length: 8 }, (_, i) => singleMessage(`beside poison ${i}`));
      const poison = singleMessage('poison');
      const batch = [...good.slice(0, 4), poison, ...good.slice(4)];

      const lock = await holdWebhookEvents();
      const first = postAll(fillers.map((f) => f.payload));
      await until(() => webhooks.pendingDeliveries === 0, 'the fillers in flight');
      const grouped = postAll(batch.map((d) => d.payload));
      await until(() => webhooks.pendingDeliveries === 9, 'the group waiting');
      await release(lock);
      await first;
      const results = await grouped;

      const ids = await messageIds(good.map((d) => d.wamid));
      batch.forEach((d, i) => {
        expect(results[i].status).toBe(200);
        expect(results[i].body).toEqual({
          status: 'ok',
          message_id: d === poison ? null : ids.get(d.wamid),
        });
      });
      const events = await eventsOf(batch.map((d) => d.wamid));
      expect(events.map((e) => e.outcome).sort()).toEqual([
        'failed',
        ...Array<string>(8).fill('processed'),
      ]);
      const poisoned = await t.db.query<unknown[]>(
        `SELECT 1 FROM messages WHERE wa_message_id = $1`,
        [poison.wamid],
      );
      expect(poisoned).toHaveLength(0);
    } finally {
      await t.db.query(`ALTER TABLE messages DROP CONSTRAINT test_refuses_poison`);
    }
  });

  it('stores a two-message batch, twice, and a single message in one group exactly once', async () => {
    const a = customerWaId();
    const b = customerWaId();
    const both = [metaMessage(a, META_TYPES.text('a')), metaMessage(b, META_TYPES.text('b'))];
    const batch = metaNotification({
      contacts: [metaContact(a, 'A'), metaContact(b, 'B')],
      messages: both,
    });
    const wamids = both.map((m) => m.id as string);
    const single = singleMessage('alone');
    const fillers = Array.from({ length: SLOTS }, (_, i) => singleMessage(`mixed ${i}`));
    const lock = await holdWebhookEvents();
    const first = postAll(fillers.map((f) => f.payload));
    await until(() => webhooks.pendingDeliveries === 0, 'the fillers in flight');
    const grouped = postAll([batch, single.payload, batch]);
    await until(() => webhooks.pendingDeliveries === 3, 'the group waiting');
    await release(lock);
    await first;
    const [r1, r2, r3] = await grouped;
    const ids = await messageIds([...wamids, single.wamid]);
    expect(r1.body).toEqual({ status: 'ok', message_id: ids.get(wamids[0]) });
    expect(r3.body).toEqual(r1.body);
    expect(r2.body).toEqual({ status: 'ok', message_id: ids.get(single.wamid) });
    const events = await eventsOf([wamids[0], single.wamid]);
    expect(events.map((e) => e.messages_stored).sort()).toEqual([0, 1, 2]);
  });
});
