import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../support/app.js';
import { createUser } from '../support/factories.js';
import {
  customerWaId,
  inboundNotification,
  META_TYPES,
  metaMessage,
  metaNotification,
  postWebhook,
  unixSeconds,
  webhookEnv,
} from '../support/meta.js';

// Who wrote (contacts, including Meta's business-scoped user ids) and where it goes
// (one open conversation per contact, last_message_at only moving forward).

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp(webhookEnv());
  await createUser(t);
});
afterAll(async () => {
  await t.close();
});

interface ContactRow {
  id: number;
  wa_id: string;
  user_id: string | null;
  name: string | null;
  profile_name: string | null;
  username: string | null;
}

async function contactsWhere(sql: string, params: unknown[]): Promise<ContactRow[]> {
  return await t.db.query<ContactRow[]>(
    `SELECT id, wa_id, user_id, name, profile_name, username FROM contacts WHERE ${sql}`,
    params,
  );
}

async function messageRow(
  wamid: unknown,
): Promise<{ contact_id: number; conversation_id: number }> {
  const rows = await t.db.query<
    {
      contact_id: number;
      conversation_id: number;
    }[]
  >(`SELECT contact_id, conversation_id FROM messages WHERE wa_message_id = $1`, [wamid]);
  expect(rows).toHaveLength(1);
  return rows[0];
}

let bsuidCounter = 0;
const bsuid = (): string => `US.${Date.now()}${String(++bsuidCounter).padStart(4, '0')}`;

describe('contacts', () => {
  it('creates the contact by wa_id with its profile name', async () => {
    const from = customerWaId();
    await postWebhook(
      t,
      inboundNotification(from, 'Sheena Nelson', metaMessage(from, META_TYPES.text('hi'))),
    ).expect(200);
    expect(await contactsWhere('wa_id = $1', [from])).toEqual([
      expect.objectContaining({
        wa_id: from,
        name: 'Sheena Nelson',
        profile_name: 'Sheena Nelson',
        user_id: null,
      }),
    ]);
  });

  it('stores a contact Meta sent without a profile', async () => {
    const from = customerWaId();
    const message = metaMessage(from, META_TYPES.text('no profile'));
    await postWebhook(
      t,
      metaNotification({ contacts: [{ wa_id: from }], messages: [message] }),
    ).expect(200);
    const withoutContacts = metaMessage(customerWaId(), META_TYPES.system('1', '2'));
    await postWebhook(t, metaNotification({ messages: [withoutContacts] })).expect(200);

    expect(await contactsWhere('wa_id = $1', [from])).toEqual([
      expect.objectContaining({ name: null, profile_name: null }),
    ]);
    expect(await contactsWhere('wa_id = $1', [withoutContacts.from])).toHaveLength(1);
    await messageRow(message.id);
    await messageRow(withoutContacts.id);
  });

  it('updates a changed profile name, and the name unless an operator edited it', async () => {
    const from = customerWaId();
    await postWebhook(
      t,
      inboundNotification(from, 'Old Name', metaMessage(from, META_TYPES.text('1'))),
    ).expect(200);
    await postWebhook(
      t,
      inboundNotification(from, 'New Name', metaMessage(from, META_TYPES.text('2'))),
    ).expect(200);
    expect(await contactsWhere('wa_id = $1', [from])).toEqual([
      expect.objectContaining({ name: 'New Name', profile_name: 'New Name' }),
    ]);

    await t.db.query(`UPDATE contacts SET name = 'VIP customer' WHERE wa_id = $1`, [from]);
    await postWebhook(
      t,
      inboundNotification(from, 'Newest Name', metaMessage(from, META_TYPES.text('3'))),
    ).expect(200);
    expect(await contactsWhere('wa_id = $1', [from])).toEqual([
      expect.objectContaining({ name: 'VIP customer', profile_name: 'Newest Name' }),
    ]);
  });

  it('stores a message from a user known only by business-scoped user id (username, number withheld)', async () => {
    const userId = bsuid();
    const message = {
      id: `wamid.bsuid-${userId}`,
      from_user_id: userId,
      timestamp: unixSeconds(),
      ...META_TYPES.text('hi, no number'),
    };
    await postWebhook(
      t,
      metaNotification({
        contacts: [{ profile: { name: 'Ana', username: '@ana.s' }, user_id: userId }],
        messages: [message],
      }),
    ).expect(200);

    const [contact] = await contactsWhere('user_id = $1', [userId]);
    expect(contact).toMatchObject({
      wa_id: userId,
      user_id: userId,
      profile_name: 'Ana',
      username: '@ana.s',
    });
    expect((await messageRow(message.id)).contact_id).toBe(contact.id);
  });

  it('keeps one contact when the number of a BSUID-only contact becomes known, and after', async () => {
    const userId = bsuid();
    const phone = customerWaId();
    const first = {
      id: `wamid.a-${userId}`,
      from_user_id: userId,
      timestamp: unixSeconds(),
      ...META_TYPES.text('1'),
    };
    await postWebhook(
      t,
      metaNotification({
        contacts: [{ profile: { name: 'Ana' }, user_id: userId }],
        messages: [first],
      }),
    ).expect(200);

    // Meta now shares the number beside the BSUID…
    const second = metaMessage(phone, META_TYPES.text('2'), { from_user_id: userId });
    await postWebhook(
      t,
      metaNotification({
        contacts: [{ profile: { name: 'Ana' }, wa_id: phone, user_id: userId }],
        messages: [second],
      }),
    ).expect(200);
    // …and later sends the number alone.
    const third = metaMessage(phone, META_TYPES.text('3'));
    await postWebhook(t, inboundNotification(phone, 'Ana', third)).expect(200);

    const contacts = await contactsWhere('wa_id = $1 OR user_id = $2', [phone, userId]);
    expect(contacts).toEqual([expect.objectContaining({ wa_id: phone, user_id: userId })]);
    for (const m of [first, second, third]) {
      expect((await messageRow(m.id)).contact_id).toBe(contacts[0].id);
    }
  });

  it('learns the BSUID of a contact known by number, and finds it by BSUID alone afterwards', async () => {
    const phone = customerWaId();
    const userId = bsuid();
    await postWebhook(
      t,
      inboundNotification(phone, 'Bo', metaMessage(phone, META_TYPES.text('1'))),
    ).expect(200);
    await postWebhook(
      t,
      metaNotification({
        contacts: [{ profile: { name: 'Bo' }, wa_id: phone, user_id: userId }],
        messages: [metaMessage(phone, META_TYPES.text('2'), { from_user_id: userId })],
      }),
    ).expect(200);
    const byBsuidOnly = {
      id: `wamid.c-${userId}`,
      from_user_id: userId,
      timestamp: unixSeconds(),
      ...META_TYPES.text('3'),
    };
    await postWebhook(
      t,
      metaNotification({
        contacts: [{ profile: { name: 'Bo' }, user_id: userId }],
        messages: [byBsuidOnly],
      }),
    ).expect(200);

    const contacts = await contactsWhere('wa_id = $1 OR user_id = $2', [phone, userId]);
    expect(contacts).toEqual([expect.objectContaining({ wa_id: phone, user_id: userId })]);
    expect((await messageRow(byBsuidOnly.id)).contact_id).toBe(contacts[0].id);
  });
});

describe('conversations', () => {
  async function conversation(
    id: number,
  ): Promise<{ is_active: boolean; last_message_at: Date; started_at: Date }> {
    const rows = await t.db.query<
      {
        is_active: boolean;
        last_message_at: Date;
        started_at: Date;
      }[]
    >(`SELECT is_active, last_message_at, started_at FROM conversations WHERE id = $1`, [id]);
    return rows[0];
  }

  it('puts a contact’s messages in its one open conversation; last_message_at only moves forward', async () => {
    const from = customerWaId();
    const now = Date.now();
    const first = metaMessage(from, META_TYPES.text('first'), {
      timestamp: unixSeconds(new Date(now - 60_000)),
    });
    const second = metaMessage(from, META_TYPES.text('second'), {
      timestamp: unixSeconds(new Date(now)),
    });
    const late = metaMessage(from, META_TYPES.text('late, sent before both'), {
      timestamp: unixSeconds(new Date(now - 3_600_000)),
    });
    await postWebhook(t, inboundNotification(from, 'C', first)).expect(200);
    await postWebhook(t, inboundNotification(from, 'C', second)).expect(200);
    await postWebhook(t, inboundNotification(from, 'C', late)).expect(200);

    const rows = await Promise.all([first, second, late].map((m) => messageRow(m.id)));
    expect(new Set(rows.map((r) => r.conversation_id)).size).toBe(1);
    const c = await conversation(rows[0].conversation_id);
    expect(c.is_active).toBe(true);
    expect(c.last_message_at.getTime()).toBe(Number(second.timestamp) * 1000);
    expect(c.started_at.getTime()).toBe(Number(first.timestamp) * 1000);
  });

  it('opens a new conversation when the contact’s last one was closed', async () => {
    const from = customerWaId();
    const before = metaMessage(from, META_TYPES.text('before closing'));
    await postWebhook(t, inboundNotification(from, 'D', before)).expect(200);
    const { conversation_id: closed } = await messageRow(before.id);
    await t.db.query(`UPDATE conversations SET is_active = false WHERE id = $1`, [closed]);

    const after = metaMessage(from, META_TYPES.text('after closing'));
    await postWebhook(t, inboundNotification(from, 'D', after)).expect(200);
    const { conversation_id: opened } = await messageRow(after.id);
    expect(opened).not.toBe(closed);
    expect((await conversation(opened)).is_active).toBe(true);
  });

  it('does not open a conversation for a redelivery of a message whose conversation was closed', async () => {
    const from = customerWaId();
    const message = metaMessage(from, META_TYPES.text('once'));
    const payload = inboundNotification(from, 'E', message);
    await postWebhook(t, payload).expect(200);
    const { conversation_id, contact_id } = await messageRow(message.id);
    await t.db.query(`UPDATE conversations SET is_active = false WHERE id = $1`, [conversation_id]);

    await postWebhook(t, payload).expect(200);
    const conversations = await t.db.query<unknown[]>(
      `SELECT id FROM conversations WHERE contact_id = $1`,
      [contact_id],
    );
    expect(conversations).toHaveLength(1);
  });
});
