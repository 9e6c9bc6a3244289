import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../support/app.js';
import { createUser } from '../support/factories.js';
import {
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
});
