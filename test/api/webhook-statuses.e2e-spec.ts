import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InboxIngestService } from '../../server/inbox/inbox-ingest.service.js';
import type { MessageStatus } from '../../server/inbox/message.entity.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createUser, type RegisteredUser } from '../support/factories.js';
import {
  createContact,
  createConversation,
  createMessage,
  workspaceOf,
} from '../support/inbox-factories.js';
import {
  customerWaId,
  inboundNotification,
  META_TYPES,
  metaMessage,
  metaNotification,
  metaStatus,
  postWebhook,
  unixSeconds,
  wamid,
  webhookEnv,
} from '../support/meta.js';

// Delivery statuses of outbound messages: history kept, applied only forward, out of
// order and before their message exists.

let t: TestApp;
let user: RegisteredUser;
let workspaceId: number;

beforeAll(async () => {
  t = await createTestApp(webhookEnv());
  user = await createUser(t);
  workspaceId = await workspaceOf(t, user);
});
afterAll(async () => {
  await t.close();
});

/** An operator's message Meta has accepted (it has a wamid). */
async function outbound(status: MessageStatus = 'sent'): Promise<{ id: number; wamid: string }> {
  const contact = await createContact(t, workspaceId);
  const conversation = await createConversation(t, contact);
  const id = wamid();
  const message = await createMessage(t, conversation, {
    isOutbound: true,
    status,
    waMessageId: id,
  });
  return { id: message.id, wamid: id };
}

interface MessageState {
  status: string;
  error_code: number | null;
  error_title: string | null;
  error_details: string | null;
}

async function stateOf(messageId: number): Promise<MessageState> {
  const rows = await t.db.query<MessageState[]>(
    `SELECT status, error_code, error_title, error_details FROM messages WHERE id = $1`,
    [messageId],
  );
  return rows[0];
}

const at = (secondsAgo: number): string => unixSeconds(new Date(Date.now() - secondsAgo * 1000));
const statuses = (...list: Record<string, unknown>[]) => metaNotification({ statuses: list });

async function history(id: string): Promise<string[]> {
  const rows = await t.db.query<{ status: string }[]>(
    `SELECT status FROM message_status_events WHERE wa_message_id = $1 ORDER BY timestamp, id`,
    [id],
  );
  return rows.map((r) => r.status);
}

describe('POST /api/webhook statuses', () => {
  it('moves a message forward only: read arriving before delivered ends read', async () => {
    const m = await outbound('sent');
    await postWebhook(t, statuses(metaStatus(m.wamid, 'read', { timestamp: at(10) }))).expect(200);
    await postWebhook(t, statuses(metaStatus(m.wamid, 'delivered', { timestamp: at(20) }))).expect(
      200,
    );
    await postWebhook(t, statuses(metaStatus(m.wamid, 'sent', { timestamp: at(30) }))).expect(200);
    expect((await stateOf(m.id)).status).toBe('read');
    expect(await history(m.wamid)).toEqual(['sent', 'delivered', 'read']);
  });

  it('applies read when delivered was skipped, and the furthest of one batch', async () => {
    const m = await outbound('pending');
    await postWebhook(
      t,
      statuses(
        metaStatus(m.wamid, 'read', { timestamp: at(1) }),
        metaStatus(m.wamid, 'sent', { timestamp: at(5) }),
      ),
    ).expect(200);
    expect((await stateOf(m.id)).status).toBe('read');
  });

  it('keeps Meta’s error code and title on a failed message', async () => {
    const m = await outbound('sent');
    const failed = metaStatus(m.wamid, 'failed', {
      errors: [
        {
          code: 131047,
          title: 'Re-engagement message',
          message: 'Re-engagement message',
          error_data: { details: 'Message failed to send because more than 24 hours have passed.' },
        },
      ],
    });
    await postWebhook(t, statuses(failed)).expect(200);
    expect(await stateOf(m.id)).toEqual({
      status: 'failed',
      error_code: 131047,
      error_title: 'Re-engagement message',
      error_details: 'Message failed to send because more than 24 hours have passed.',
    });
    const res = await t.http.get('/api/messages').query({ limit: 100 }).set(user.auth).expect(200);
    expect(
      (res.body as { messages: { id: number }[] }).messages.find((x) => x.id === m.id),
    ).toMatchObject({
      status: 'failed',
      error_code: 131047,
      error_title: 'Re-engagement message',
    });
  });

  it('does not let a failure undo a confirmed delivery, and lets a delivery override a failure', async () => {
    const delivered = await outbound('delivered');
    const error = { errors: [{ code: 131026, title: 'Message undeliverable' }] };
    await postWebhook(t, statuses(metaStatus(delivered.wamid, 'failed', error))).expect(200);
    expect(await stateOf(delivered.id)).toMatchObject({ status: 'delivered', error_code: null });
    expect(await history(delivered.wamid)).toEqual(['failed']);

    const failedFirst = await outbound('sent');
    await postWebhook(
      t,
      statuses(metaStatus(failedFirst.wamid, 'failed', { ...error, timestamp: at(5) })),
    ).expect(200);
    expect((await stateOf(failedFirst.id)).status).toBe('failed');
    await postWebhook(
      t,
      statuses(metaStatus(failedFirst.wamid, 'delivered', { timestamp: at(1) })),
    ).expect(200);
    expect(await stateOf(failedFirst.id)).toEqual({
      status: 'delivered',
      error_code: null,
      error_title: null,
      error_details: null,
    });
  });

  it('counts played (voice note listened to) as read; keeps deleted and unknown statuses as history only', async () => {
    const played = await outbound('delivered');
    await postWebhook(t, statuses(metaStatus(played.wamid, 'played'))).expect(200);
    expect((await stateOf(played.id)).status).toBe('read');

    const other = await outbound('delivered');
    await postWebhook(
      t,
      statuses(
        metaStatus(other.wamid, 'deleted', { timestamp: at(2) }),
        metaStatus(other.wamid, 'warning', { timestamp: at(1) }),
      ),
    ).expect(200);
    expect((await stateOf(other.id)).status).toBe('delivered');
    expect(await history(other.wamid)).toEqual(['deleted', 'warning']);
  });

  it('keeps a redelivered status once', async () => {
    const m = await outbound('sent');
    const payload = statuses(metaStatus(m.wamid, 'delivered'));
    await postWebhook(t, payload).expect(200);
    await postWebhook(t, payload).expect(200);
    expect(await history(m.wamid)).toEqual(['delivered']);
    const updates = await t.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM events WHERE type = 'message.updated' AND (data->'message'->>'id')::int = $1`,
      [m.id],
    );
    expect(updates[0].n).toBe(1);
  });

  it('publishes message.updated with the new status', async () => {
    const m = await outbound('sent');
    await postWebhook(t, statuses(metaStatus(m.wamid, 'delivered'))).expect(200);
    const events = await t.db.query<
      { data: { message: { status: string; is_outbound: boolean } } }[]
    >(
      `SELECT data FROM events WHERE type = 'message.updated' AND (data->'message'->>'id')::int = $1`,
      [m.id],
    );
    expect(events.map((e) => e.data.message)).toEqual([
      expect.objectContaining({ status: 'delivered', is_outbound: true }),
    ]);
  });

  it('keeps a status for a message not known yet and applies it when the message appears', async () => {
    const id = wamid();
    const failed = metaStatus(id, 'failed', {
      errors: [{ code: 131049, title: 'Not delivered to maintain healthy ecosystem engagement' }],
    });
    const res = await postWebhook(
      t,
      statuses(metaStatus(id, 'sent', { timestamp: at(3) }), failed),
    ).expect(200);
    expect(res.body).toEqual({ status: 'ok', message_id: null });
    expect(await history(id)).toEqual(['sent', 'failed']);

    // The sender (issue 4) stores the message with its wamid once Meta answered, and
    // applies what arrived first in the same transaction.
    const contact = await createContact(t, workspaceId);
    const conversation = await createConversation(t, contact);
    const message = await createMessage(t, conversation, {
      isOutbound: true,
      status: 'pending',
      waMessageId: id,
    });
    const ingest = t.app.get(InboxIngestService);
    const applied = await t.db.transaction((manager) =>
      ingest.applyPendingStatuses(manager, workspaceId, id),
    );
    expect(applied).toMatchObject({ id: message.id, status: 'failed', errorCode: 131049 });
    expect(await stateOf(message.id)).toMatchObject({ status: 'failed', error_code: 131049 });
    // Nothing pending: nothing changes.
    expect(
      await t.db.transaction((manager) => ingest.applyPendingStatuses(manager, workspaceId, id)),
    ).toBeNull();
  });

  it('never changes an inbound message, and keeps BSUID recipients', async () => {
    const from = customerWaId();
    const inbound = metaMessage(from, META_TYPES.text('a customer message'));
    await postWebhook(t, inboundNotification(from, 'In', inbound)).expect(200);
    await postWebhook(
      t,
      statuses(
        metaStatus(inbound.id as string, 'read', { recipient_user_id: 'US.13491208655302741918' }),
      ),
    ).expect(200);
    const rows = await t.db.query<
      {
        status: string;
      }[]
    >(`SELECT status FROM messages WHERE wa_message_id = $1`, [inbound.id]);
    expect(rows).toEqual([{ status: 'received' }]);
    const kept = await t.db.query<{ recipient_user_id: string }[]>(
      `SELECT recipient_user_id FROM message_status_events WHERE wa_message_id = $1`,
      [inbound.id],
    );
    expect(kept).toEqual([{ recipient_user_id: 'US.13491208655302741918' }]);
  });

  it('applies statuses of 20 parallel deliveries consistently', async () => {
    const m = await outbound('sent');
    const list = ['delivered', 'read', 'sent'].map((s, i) =>
      metaStatus(m.wamid, s, { timestamp: at(10 - i) }),
    );
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => postWebhook(t, statuses(list[i % 3]))),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect((await stateOf(m.id)).status).toBe('read');
    expect((await history(m.wamid)).sort()).toEqual(['delivered', 'read', 'sent']);
  });
});

describe('a migration while the server runs', () => {
  it('keeps storing messages and statuses after columns are added to the tables it writes', async () => {
    // A rolling deploy migrates the database under running instances: nothing they run may
    // depend on a table's exact columns (a named prepared statement returning `m.*` would
    // fail with "cached plan must not change result type").
    const round = async (label: string): Promise<void> => {
      const m = await outbound('sent');
      await postWebhook(t, statuses(metaStatus(m.wamid, 'delivered'))).expect(200);
      expect((await stateOf(m.id)).status).toBe('delivered');
      const from = customerWaId();
      const message = metaMessage(from, META_TYPES.text(label));
      await postWebhook(t, inboundNotification(from, 'Migrated', message)).expect(200);
      const rows = await t.db.query<unknown[]>(`SELECT 1 FROM messages WHERE wa_message_id = $1`, [
        message.id,
      ]);
      expect(rows).toHaveLength(1);
    };
    for (let i = 0; i < 6; i++) await round(`before ${i}`); // past PostgreSQL's 5 custom plans
    for (const table of ['messages', 'contacts', 'conversations', 'message_status_events']) {
      await t.db.query(`ALTER TABLE ${table} ADD COLUMN added_later text`);
    }
    for (let i = 0; i < 3; i++) await round(`after ${i}`);
  });
});
