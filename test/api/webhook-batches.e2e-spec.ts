import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { QueryRunner } from 'typeorm';
import { createTestApp, type TestApp } from '../support/app.js';
import { createUser } from '../support/factories.js';
import {
  TEST_PHONE_NUMBER_ID,
  customerWaId,
  inboundNotification,
  META_TYPES,
  metaChangeValue,
  metaContact,
  metaMessage,
  metaNotification,
  metaStatus,
  postWebhook,
  signedWebhook,
  TEST_WABA_ID,
  wamid,
  webhookEnv,
} from '../support/meta.js';

// Batches (every entry, change, message and status counts) and idempotency (redeliveries,
// even 20 at once, store everything exactly once).

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp(webhookEnv());
  await createUser(t);
});
afterAll(async () => {
  await t.close();
});

async function count(sql: string, params: unknown[]): Promise<number> {
  const rows = await t.db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${sql}`, params);
  return rows[0].n;
}

async function idOf(wamid: unknown): Promise<number> {
  const rows = await t.db.query<{ id: number }[]>(
    `SELECT id FROM messages WHERE wa_message_id = $1`,
    [wamid],
  );
  expect(rows).toHaveLength(1);
  return rows[0].id;
}

describe('POST /api/webhook batches', () => {
  it('stores every message and status of several entries and changes', async () => {
    const [a, b, c] = [customerWaId(), customerWaId(), customerWaId()];
    const messages = {
      a1: metaMessage(a, META_TYPES.text('a1')),
      a2: metaMessage(a, META_TYPES.image()),
      b1: metaMessage(b, META_TYPES.text('b1')),
      c1: metaMessage(c, META_TYPES.location()),
      c2: metaMessage(c, META_TYPES.text('c2')),
    };
    const statuses = [
      metaStatus(wamid(), 'sent'),
      metaStatus(wamid(), 'delivered'),
      metaStatus(wamid(), 'read'),
    ];
    const payload = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: TEST_WABA_ID,
          changes: [
            {
              field: 'messages',
              value: metaChangeValue({
                contacts: [metaContact(a, 'A')],
                messages: [messages.a1, messages.a2],
              }),
            },
            { field: 'messages', value: metaChangeValue({ statuses: statuses.slice(0, 2) }) },
          ],
        },
        {
          id: TEST_WABA_ID,
          changes: [
            {
              field: 'messages',
              value: metaChangeValue({
                contacts: [metaContact(b, 'B'), metaContact(c, 'C')],
                messages: [messages.b1, messages.c1, messages.c2],
                statuses: statuses.slice(2),
              }),
            },
          ],
        },
      ],
    };
    const res = await postWebhook(t, payload).expect(200);

    const ids = await Promise.all(Object.values(messages).map((m) => idOf(m.id)));
    expect(res.body).toEqual({ status: 'ok', message_id: ids[0] });
    expect(await count(`contacts WHERE wa_id = ANY($1)`, [[a, b, c]])).toBe(3);
    expect(
      await count(`message_status_events WHERE wa_message_id = ANY($1)`, [
        statuses.map((s) => s.id),
      ]),
    ).toBe(3);
    const event = await t.db.query<unknown[]>(
      `SELECT outcome, messages_stored, statuses_stored FROM webhook_events ORDER BY id DESC LIMIT 1`,
    );
    expect(event).toEqual([{ outcome: 'processed', messages_stored: 5, statuses_stored: 3 }]);
  });

  it('stores a 1,000-message notification completely', async () => {
    const senders = Array.from({ length: 50 }, () => customerWaId());
    const messages = Array.from({ length: 1000 }, (_, i) =>
      metaMessage(senders[i % 50], META_TYPES.text(`message ${i}`)),
    );
    await postWebhook(
      t,
      metaNotification({ contacts: senders.map((s) => metaContact(s, `S ${s}`)), messages }),
    ).expect(200);
    expect(await count(`messages WHERE wa_message_id = ANY($1)`, [messages.map((m) => m.id)])).toBe(
      1000,
    );
    expect(await count(`contacts WHERE wa_id = ANY($1)`, [senders])).toBe(50);
    expect(
      await count(
        `conversations c JOIN contacts ct ON ct.id = c.contact_id WHERE ct.wa_id = ANY($1)`,
        [senders],
      ),
    ).toBe(50);
  });
});

describe('POST /api/webhook idempotency', () => {
  it('stores a redelivered notification once and answers the same message id', async () => {
    const from = customerWaId();
    const message = metaMessage(from, META_TYPES.text('only once'));
    const payload = inboundNotification(from, 'Dup', message);
    const first = await postWebhook(t, payload).expect(200);
    const second = await postWebhook(t, payload).expect(200);

    const id = await idOf(message.id);
    expect(first.body).toEqual({ status: 'ok', message_id: id });
    expect(second.body).toEqual({ status: 'ok', message_id: id });
    expect(await count(`contacts WHERE wa_id = $1`, [from])).toBe(1);
    expect(
      await count(`events WHERE type = 'message.created' AND (data->'message'->>'id')::int = $1`, [
        id,
      ]),
    ).toBe(1);
  });

  it('stores one copy when the same notification arrives on 20 connections at once', async () => {
    const [a, b] = [customerWaId(), customerWaId()];
    const messages = [
      metaMessage(a, META_TYPES.text('parallel 1')),
      metaMessage(b, META_TYPES.text('parallel 2')),
      metaMessage(a, META_TYPES.image()),
    ];
    const status = metaStatus(wamid(), 'delivered');
    const { body, headers } = signedWebhook(
      metaNotification({
        contacts: [metaContact(a, 'A'), metaContact(b, 'B')],
        messages,
        statuses: [status],
      }),
    );
    const before = await count(`webhook_events`, []);
    const lastEventId = (
      await t.db.query<{ id: string }[]>(`SELECT coalesce(max(id), 0) AS id FROM webhook_events`)
    )[0].id;

    const responses = await Promise.all(
      Array.from({ length: 20 }, () => t.http.post('/api/webhook').set(headers).send(body)),
    );

    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    const firstId = await idOf(messages[0].id);
    expect(new Set(responses.map((r) => (r.body as { message_id: number }).message_id))).toEqual(
      new Set([firstId]),
    );
    expect(await count(`messages WHERE wa_message_id = ANY($1)`, [messages.map((m) => m.id)])).toBe(
      3,
    );
    expect(await count(`contacts WHERE wa_id = ANY($1)`, [[a, b]])).toBe(2);
    expect(
      await count(
        `conversations c JOIN contacts ct ON ct.id = c.contact_id WHERE ct.wa_id = ANY($1)`,
        [[a, b]],
      ),
    ).toBe(2);
    expect(await count(`message_status_events WHERE wa_message_id = $1`, [status.id])).toBe(1);
    expect(
      await count(
        `events e JOIN messages m ON m.id = (e.data->'message'->>'id')::int
                   WHERE e.type = 'message.created' AND m.wa_message_id = ANY($1)`,
        [messages.map((m) => m.id)],
      ),
    ).toBe(3);
    // Every delivery is kept raw; only one of them derived the messages.
    expect(await count(`webhook_events`, [])).toBe(before + 20);
    expect(
      await count(`webhook_events WHERE id > $1 AND outcome = 'processed'`, [lastEventId]),
    ).toBe(20);
    expect(await count(`webhook_events WHERE id > $1 AND messages_stored = 3`, [lastEventId])).toBe(
      1,
    );
  });

  it('opens one conversation when 20 different messages of a new contact arrive at once', async () => {
    const from = customerWaId();
    const messages = Array.from({ length: 20 }, (_, i) =>
      metaMessage(from, META_TYPES.text(`burst ${i}`)),
    );
    const responses = await Promise.all(
      messages.map((m) => postWebhook(t, inboundNotification(from, 'Burst', m))),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(await count(`messages WHERE wa_message_id = ANY($1)`, [messages.map((m) => m.id)])).toBe(
      20,
    );
    expect(await count(`contacts WHERE wa_id = $1`, [from])).toBe(1);
    expect(
      await count(`conversations c JOIN contacts ct ON ct.id = c.contact_id WHERE ct.wa_id = $1`, [
        from,
      ]),
    ).toBe(1);
  });

  /** Waits until a backend of this database waits on a row lock (the webhook, here). */
  async function someoneWaitsOnALock(): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const [{ n }] = await t.db.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      if (n > 0) return;
      if (Date.now() > deadline) throw new Error('the webhook never waited on the row');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /**
   * Another delivery's transaction, caught before its commit while the webhook waits on
   * what it inserted: the webhook's statement cannot see those rows, so it must look again.
   */
  async function raceWith(
    from: string,
    prepare: (other: QueryRunner, workspaceId: number) => Promise<number>,
  ): Promise<{ wamid: string; conversationId: number }> {
    const [{ workspace_id: workspaceId }] = await t.db.query<{ workspace_id: number }[]>(
      `SELECT workspace_id FROM whatsapp_numbers WHERE phone_number_id = $1`,
      [TEST_PHONE_NUMBER_ID],
    );
    const other = t.db.createQueryRunner();
    await other.connect();
    await other.startTransaction();
    const conversationId = await prepare(other, workspaceId);
    const m = metaMessage(from, META_TYPES.text('raced'));
    // supertest sends on then(): start the request now.
    const response = postWebhook(t, inboundNotification(from, 'Racer', m)).then((res) => res);
    await someoneWaitsOnALock();
    await other.commitTransaction();
    await other.release();
    expect((await response).status).toBe(200);
    return { wamid: m.id as string, conversationId };
  }

  async function openConversation(
    runner: QueryRunner,
    workspaceId: number,
    contactId: number,
  ): Promise<number> {
    const [{ id }] = (await runner.query(
      `INSERT INTO conversations (workspace_id, contact_id, started_at, last_message_at)
       VALUES ($1, $2, now() - interval '1 hour', now() - interval '1 hour') RETURNING id`,
      [workspaceId, contactId],
    )) as { id: number }[];
    return id;
  }

  async function expectStoredIn(wamid: string, conversationId: number): Promise<void> {
    const stored = await t.db.query<{ conversation_id: number; moved: boolean }[]>(
      `SELECT m.conversation_id, c.last_message_at > now() - interval '10 minutes' AS moved
         FROM messages m JOIN conversations c ON c.id = m.conversation_id
        WHERE m.wa_message_id = $1`,
      [wamid],
    );
    // Stored once, in the other transaction's conversation, which moved forward to it.
    expect(stored).toEqual([{ conversation_id: conversationId, moved: true }]);
  }

  it('finds the contact a concurrent transaction was creating, once it commits', async () => {
    const from = customerWaId();
    const { wamid, conversationId } = await raceWith(from, async (other, workspaceId) => {
      const [{ id: contactId }] = (await other.query(
        `INSERT INTO contacts (workspace_id, wa_id, name, profile_name) VALUES ($1, $2, 'Racer', 'Racer') RETURNING id`,
        [workspaceId, from],
      )) as { id: number }[];
      return openConversation(other, workspaceId, contactId);
    });
    expect(await count(`contacts WHERE wa_id = $1`, [from])).toBe(1);
    await expectStoredIn(wamid, conversationId);
  });

  it('finds the conversation a concurrent transaction was opening, once it commits', async () => {
    const from = customerWaId();
    const { wamid, conversationId } = await raceWith(from, async (other, workspaceId) => {
      const [{ id: contactId }] = await t.db.query<{ id: number }[]>(
        `INSERT INTO contacts (workspace_id, wa_id, name, profile_name) VALUES ($1, $2, 'Racer', 'Racer') RETURNING id`,
        [workspaceId, from],
      );
      return openConversation(other, workspaceId, contactId);
    });
    expect(
      await count(`conversations c JOIN contacts ct ON ct.id = c.contact_id WHERE ct.wa_id = $1`, [
        from,
      ]),
    ).toBe(1);
    await expectStoredIn(wamid, conversationId);
  });
});
