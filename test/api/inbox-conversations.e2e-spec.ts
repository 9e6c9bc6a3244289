import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../support/app.js';
import type { RegisteredUser } from '../support/factories.js';
import {
  createUserWithWorkspace,
  createContact,
  createConversation,
  createMessage,
  createMessages,
} from '../support/inbox-factories.js';

interface ConversationBody {
  id: number;
  contact_id: number;
  is_active: boolean;
  unread_count: number;
  last_message_at: string;
  contact: { id: number; wa_id: string; name: string | null };
  last_message: { id: number; content: string | null } | null;
  [k: string]: unknown;
}

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const userWithWorkspace = () => createUserWithWorkspace(t);

const minutesAgo = (n: number): Date => new Date(Date.now() - n * 60_000);

async function listIds(user: RegisteredUser, qs = ''): Promise<number[]> {
  const res = await t.http.get(`/api/conversations${qs}`).set(user.auth).expect(200);
  return (res.body as { conversations: ConversationBody[] }).conversations.map((c) => c.id);
}

async function eventsOf(
  workspaceId: number,
): Promise<{ type: string; data: { conversation: ConversationBody } }[]> {
  return await t.db.query<{ type: string; data: { conversation: ConversationBody } }[]>(
    `SELECT type, data FROM events WHERE workspace_id = $1 ORDER BY id`,
    [workspaceId],
  );
}

describe('GET /api/conversations', () => {
  it('answers SPEC fields first, then unread count, contact and last message', async () => {
    const { user, workspaceId } = await userWithWorkspace();
    const contact = await createContact(t, workspaceId, {
      waId: '15551230000',
      name: 'Ann',
      profileName: 'Annie',
    });
    const started = minutesAgo(30);
    const conversation = await createConversation(t, contact, {
      startedAt: started,
      lastMessageAt: minutesAgo(1),
    });
    await createMessage(t, conversation, { content: 'one' });
    await createMessage(t, conversation, { isOutbound: true, content: 'reply' });
    await createMessage(t, conversation, { content: 'two' });
    const last = await createMessage(t, conversation, { content: 'three' });

    const res = await t.http.get('/api/conversations').set(user.auth).expect(200);

    const body = res.body as { conversations: ConversationBody[]; next_before_id: number | null };
    expect(Object.keys(body)).toEqual(['conversations', 'next_before_id']);
    const [c] = body.conversations;
    expect(Object.keys(c)).toEqual([
      'id',
      'contact_id',
      'started_at',
      'last_message_at',
      'is_active',
      'unread_count',
      'contact',
      'last_message',
      'whatsapp_number',
      'assignee',
    ]);
    expect(c).toMatchObject({
      id: conversation.id,
      contact_id: contact.id,
      started_at: started.toISOString(),
      last_message_at: conversation.lastMessageAt.toISOString(),
      is_active: true,
      unread_count: 3,
      contact: { id: contact.id, wa_id: '15551230000', name: 'Ann', profile_name: 'Annie' },
      last_message: { id: last.id, content: 'three', conversation_id: conversation.id },
      whatsapp_number: null,
      assignee: null,
    });
  });

  // PostgreSQL builds conversation responses; /api/contacts and /api/messages map entities
  // in TypeScript. The same rows must come out the same, field for field and byte for byte.
  it('shows contact and last message exactly as /api/contacts and /api/messages do', async () => {
    const { user, workspaceId } = await userWithWorkspace();
    const contact = await createContact(t, workspaceId, {
      name: 'Zoë "Z" O\'Brien \\ \n\t 🙂 <b>',
      profileName: null,
    });
    const conversation = await createConversation(t, contact);
    const media = await createMessage(t, conversation, {
      messageType: 'document',
      content: 'Invoice — März',
      mediaId: '1234567890',
      mimeType: 'application/pdf',
      fileName: 'invoice 03.pdf',
      replyToWaMessageId: 'wamid.previous',
    });
    const failed = await createMessage(t, conversation, {
      isOutbound: true,
      status: 'failed',
      content: null,
      errorCode: 131047,
      errorTitle: 'Re-engagement message',
    });
    // Microseconds in the database: both paths must cut them to the same millisecond.
    await t.db.query(
      `UPDATE messages SET timestamp = '2026-03-01T09:08:07.999999Z',
                           created_at = '2026-03-01T09:08:08.000501Z' WHERE id = $1`,
      [failed.id],
    );
    await t.db.query(
      `UPDATE contacts SET created_at = '2026-02-28T23:59:59.123789+05:00' WHERE id = $1`,
      [contact.id],
    );

    const contacts = await t.http.get('/api/contacts').set(user.auth).expect(200);
    const messages = await t.http
      .get(`/api/messages?conversation_id=${conversation.id}`)
      .set(user.auth)
      .expect(200);
    const list = await t.http.get('/api/conversations').set(user.auth).expect(200);
    const one = await t.http
      .get(`/api/conversations/${conversation.id}`)
      .set(user.auth)
      .expect(200);

    const contactBody = (contacts.body as { contacts: { id: number }[] }).contacts.find(
      (c) => c.id === contact.id,
    );
    const [newest, older] = (messages.body as { messages: { id: number }[] }).messages;
    expect(newest.id).toBe(failed.id);
    expect(older).toMatchObject({ id: media.id, has_media: true, file_name: 'invoice 03.pdf' });
    expect(newest).toMatchObject({
      timestamp: '2026-03-01T09:08:07.999Z',
      created_at: '2026-03-01T09:08:08.000Z',
      error_code: 131047,
      has_media: false,
    });
    expect(contactBody).toMatchObject({ created_at: '2026-02-28T18:59:59.123Z' });
    const [listed] = (list.body as { conversations: ConversationBody[] }).conversations;
    for (const body of [listed, one.body as ConversationBody]) {
      expect(JSON.stringify(body.contact)).toBe(JSON.stringify(contactBody));
      expect(JSON.stringify(body.last_message)).toBe(JSON.stringify(newest));
    }
    expect(one.body).toEqual(listed);
  });

  it('shows each conversation the WhatsApp number it is on, without its secrets', async () => {
    const { user, workspaceId } = await userWithWorkspace();
    const connect = async (phoneNumberId: string, display: string) =>
      (
        await t.http
          .post('/api/whatsapp/numbers')
          .set(user.auth)
          .send({
            phone_number_id: phoneNumberId,
            business_account_id: '301234567890123',
            access_token: `EAAB-secret-token-${phoneNumberId}`,
            app_secret: `app-secret-${phoneNumberId}`,
            verify_token: `verify-${phoneNumberId}`,
            display_phone_number: display,
          })
          .expect(201)
      ).body as { id: number; phone_number_id: string };
    const suffix = String(Date.now()).slice(-9);
    const sales = await connect(`41${suffix}`, '+1 555 010 0001');
    const support = await connect(`42${suffix}`, '+1 555 010 0002');
    const onSales = await createConversation(t, await createContact(t, workspaceId));
    const onSupport = await createConversation(t, await createContact(t, workspaceId));
    const unassigned = await createConversation(t, await createContact(t, workspaceId));
    await t.db.query(`UPDATE conversations SET whatsapp_number_id = $1 WHERE id = $2`, [
      sales.id,
      onSales.id,
    ]);
    await t.db.query(`UPDATE conversations SET whatsapp_number_id = $1 WHERE id = $2`, [
      support.id,
      onSupport.id,
    ]);

    const res = await t.http.get('/api/conversations').set(user.auth).expect(200);
    const byId = new Map(
      (res.body as { conversations: ConversationBody[] }).conversations.map((c) => [c.id, c]),
    );
    expect(byId.get(onSales.id)?.whatsapp_number).toEqual({
      id: sales.id,
      phone_number_id: sales.phone_number_id,
      display_phone_number: '+1 555 010 0001',
    });
    expect(byId.get(onSupport.id)?.whatsapp_number).toEqual({
      id: support.id,
      phone_number_id: support.phone_number_id,
      display_phone_number: '+1 555 010 0002',
    });
    expect(byId.get(unassigned.id)?.whatsapp_number).toBeNull();
    expect(JSON.stringify(res.body)).not.toMatch(/secret|verify-|••••/);

    const one = await t.http.get(`/api/conversations/${onSupport.id}`).set(user.auth).expect(200);
    expect((one.body as ConversationBody).whatsapp_number).toMatchObject({ id: support.id });

    // A disconnected number leaves its conversations, now without a number.
    await t.http.delete(`/api/whatsapp/numbers/${sales.id}`).set(user.auth).expect(204);
    const after = await t.http.get(`/api/conversations/${onSales.id}`).set(user.auth).expect(200);
    expect((after.body as ConversationBody).whatsapp_number).toBeNull();
  });

  it('shows a conversation without messages with last_message null and nothing unread', async () => {
    const { user, workspaceId } = await userWithWorkspace();
    await createConversation(t, await createContact(t, workspaceId));
    const res = await t.http.get('/api/conversations').set(user.auth).expect(200);
    expect((res.body as { conversations: ConversationBody[] }).conversations[0]).toMatchObject({
      last_message: null,
      unread_count: 0,
    });
  });

  it('orders by last_message_at, newest first, and filters open and closed', async () => {
    const { user, workspaceId } = await userWithWorkspace();
    const oldOpen = await createConversation(t, await createContact(t, workspaceId), {
      lastMessageAt: minutesAgo(50),
    });
    const newClosed = await createConversation(t, await createContact(t, workspaceId), {
      lastMessageAt: minutesAgo(5),
      isActive: false,
    });
    const newest = await createConversation(t, await createContact(t, workspaceId), {
      lastMessageAt: minutesAgo(1),
    });
    const midClosed = await createConversation(t, await createContact(t, workspaceId), {
      lastMessageAt: minutesAgo(20),
      isActive: false,
    });

    expect(await listIds(user)).toEqual([newest.id, newClosed.id, midClosed.id, oldOpen.id]);
    expect(await listIds(user, '?status=all')).toEqual([
      newest.id,
      newClosed.id,
      midClosed.id,
      oldOpen.id,
    ]);
    expect(await listIds(user, '?status=open')).toEqual([newest.id, oldOpen.id]);
    expect(await listIds(user, '?status=closed')).toEqual([newClosed.id, midClosed.id]);
  });

  it("searches the contact's name and number", async () => {
    const { user, workspaceId } = await userWithWorkspace();
    const anna = await createConversation(
      t,
      await createContact(t, workspaceId, { name: 'Анна Петрова', waId: '79161234567' }),
    );
    const bob = await createConversation(
      t,
      await createContact(t, workspaceId, { name: 'Bob', waId: '15559876543' }),
    );
    expect(await listIds(user, `?q=${encodeURIComponent('анна')}`)).toEqual([anna.id]);
    expect(await listIds(user, '?q=BOB')).toEqual([bob.id]);
    expect(await listIds(user, `?q=${encodeURIComponent('+7 916')}`)).toEqual([anna.id]);
    expect(await listIds(user, '?q=nobody')).toEqual([]);
  });

  it('pages through equal last_message_at values by skip and by before_id without overlap or gap', async () => {
    const { user, workspaceId } = await userWithWorkspace();
    const same = minutesAgo(10);
    const rows = [];
    for (let i = 0; i < 5; i++) {
      rows.push(
        await createConversation(t, await createContact(t, workspaceId), {
          lastMessageAt: i % 2 === 0 ? same : minutesAgo(i),
        }),
      );
    }
    const all = await listIds(user);
    expect(all).toHaveLength(5);
    expect(new Set(all)).toEqual(new Set(rows.map((r) => r.id)));

    const bySkip = [
      ...(await listIds(user, '?limit=2')),
      ...(await listIds(user, '?limit=2&skip=2')),
      ...(await listIds(user, '?limit=2&skip=4')),
    ];
    expect(bySkip).toEqual(all);

    const byCursor: number[] = [];
    let qs = '?limit=2';
    for (;;) {
      const res = await t.http.get(`/api/conversations${qs}`).set(user.auth).expect(200);
      const body = res.body as { conversations: ConversationBody[]; next_before_id: number | null };
      byCursor.push(...body.conversations.map((c) => c.id));
      if (body.next_before_id === null) break;
      qs = `?limit=2&before_id=${body.next_before_id}`;
    }
    expect(byCursor).toEqual(all);
  });

  it("answers an empty page for a cursor that is not one of the workspace's conversations", async () => {
    const a = await userWithWorkspace();
    const b = await userWithWorkspace();
    const foreign = await createConversation(t, await createContact(t, a.workspaceId));
    await createConversation(t, await createContact(t, b.workspaceId));
    const res = await t.http
      .get(`/api/conversations?before_id=${foreign.id}`)
      .set(b.user.auth)
      .expect(200);
    expect(res.body).toEqual({ conversations: [], next_before_id: null });
  });

  it("lists none of another workspace's conversations", async () => {
    const a = await userWithWorkspace();
    const b = await userWithWorkspace();
    await createConversation(t, await createContact(t, a.workspaceId));
    expect(await listIds(b.user)).toEqual([]);
  });

  it.each([
    ['status=pending', 'status', 'status must be one of the following values: open, closed, all'],
    ['limit=0', 'limit', 'limit must not be less than 1'],
    ['limit=101', 'limit', 'limit must not be greater than 100'],
    ['skip=-1', 'skip', 'skip must not be less than 0'],
    ['before_id=abc', 'before_id', 'before_id must be an integer number'],
  ])('answers 422 naming the parameter for %s', async (qs, field, message) => {
    const { user } = await userWithWorkspace();
    const res = await t.http.get(`/api/conversations?${qs}`).set(user.auth).expect(422);
    expect(res.body).toMatchObject({ status_code: 422, message, errors: [{ field, message }] });
  });
});

describe('GET /api/conversations/:id', () => {
  it('answers the conversation with its contact, last message and unread count', async () => {
    const { user, workspaceId } = await userWithWorkspace();
    const conversation = await createConversation(
      t,
      await createContact(t, workspaceId, { name: 'Cleo' }),
    );
    const message = await createMessage(t, conversation, { content: 'hello' });
    const res = await t.http
      .get(`/api/conversations/${conversation.id}`)
      .set(user.auth)
      .expect(200);
    expect(res.body).toMatchObject({
      id: conversation.id,
      unread_count: 1,
      contact: { name: 'Cleo' },
      last_message: { id: message.id, content: 'hello' },
    });
  });

  it("answers 404 for another workspace's conversation and for an unknown id", async () => {
    const a = await userWithWorkspace();
    const b = await userWithWorkspace();
    const conversation = await createConversation(t, await createContact(t, a.workspaceId));
    const res = await t.http
      .get(`/api/conversations/${conversation.id}`)
      .set(b.user.auth)
      .expect(404);
    expect(res.body).toEqual({
      status_code: 404,
      error: 'Not Found',
      message: 'Conversation not found',
    });
    await t.http.get('/api/conversations/2147483000').set(b.user.auth).expect(404);
  });

  it.each(['abc', '0', '-1', '1.5', '99999999999'])('answers 422 naming id for %s', async (id) => {
    const { user } = await userWithWorkspace();
    const res = await t.http.get(`/api/conversations/${id}`).set(user.auth).expect(422);
    expect((res.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual([
      'id',
    ]);
  });
});

describe('GET /api/conversations/:id/messages', () => {
  it('answers the thread newest first and pages back with before_id', async () => {
    const { user, workspaceId } = await userWithWorkspace();
    const contact = await createContact(t, workspaceId);
    const conversation = await createConversation(t, contact, { isActive: false });
    const other = await createConversation(t, contact);
    const thread = await createMessages(t, conversation, 5);
    await createMessage(t, other);
    const newestFirst = thread.map((m) => m.id).reverse();

    const first = await t.http
      .get(`/api/conversations/${conversation.id}/messages?limit=3`)
      .set(user.auth)
      .expect(200);
    const firstBody = first.body as { messages: { id: number }[]; next_before_id: number };
    expect(firstBody.messages.map((m) => m.id)).toEqual(newestFirst.slice(0, 3));
    expect(firstBody.next_before_id).toBe(newestFirst[2]);

    const second = await t.http
      .get(
        `/api/conversations/${conversation.id}/messages?limit=3&before_id=${firstBody.next_before_id}`,
      )
      .set(user.auth)
      .expect(200);
    expect(second.body).toMatchObject({ next_before_id: null });
    expect((second.body as { messages: { id: number }[] }).messages.map((m) => m.id)).toEqual(
      newestFirst.slice(3),
    );
  });

  it("answers 404 for another workspace's conversation", async () => {
    const a = await userWithWorkspace();
    const b = await userWithWorkspace();
    const conversation = await createConversation(t, await createContact(t, a.workspaceId));
    await createMessage(t, conversation);
    await t.http.get(`/api/conversations/${conversation.id}/messages`).set(b.user.auth).expect(404);
  });

  it('answers 422 naming limit when it is out of range', async () => {
    const { user, workspaceId } = await userWithWorkspace();
    const conversation = await createConversation(t, await createContact(t, workspaceId));
    const res = await t.http
      .get(`/api/conversations/${conversation.id}/messages?limit=101`)
      .set(user.auth)
      .expect(422);
    expect((res.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual([
      'limit',
    ]);
  });
});

describe('PATCH /api/conversations/:id', () => {
  it('marks read: unread_count drops to 0 and only new inbound messages count again', async () => {
    const { user, workspaceId } = await userWithWorkspace();
    const conversation = await createConversation(t, await createContact(t, workspaceId));
    await createMessages(t, conversation, 3);
    await createMessage(t, conversation, { isOutbound: true });

    const before = await t.http
      .get(`/api/conversations/${conversation.id}`)
      .set(user.auth)
      .expect(200);
    expect((before.body as ConversationBody).unread_count).toBe(3);

    const read = await t.http
      .patch(`/api/conversations/${conversation.id}`)
      .set(user.auth)
      .send({ read: true })
      .expect(200);
    expect(read.body).toMatchObject({ id: conversation.id, unread_count: 0, is_active: true });
    // The customer's blue ticks: a read receipt for the latest inbound message is queued.
    const latestInbound = await t.db.query<{ wa_message_id: string }[]>(
      `SELECT wa_message_id FROM messages WHERE conversation_id = $1 AND NOT is_outbound ORDER BY id DESC LIMIT 1`,
      [conversation.id],
    );
    const receipts = await t.db.query<{ payload: { waMessageId: string } }[]>(
      `SELECT payload FROM jobs WHERE type = 'mark_read' AND payload->>'workspaceId' = $1`,
      [String(workspaceId)],
    );
    expect(receipts.map((r) => r.payload.waMessageId)).toEqual([latestInbound[0].wa_message_id]);

    await createMessage(t, conversation, { isOutbound: true });
    await createMessages(t, conversation, 2);
    const list = await t.http.get('/api/conversations').set(user.auth).expect(200);
    expect((list.body as { conversations: ConversationBody[] }).conversations[0].unread_count).toBe(
      2,
    );
  });

  it('closes and reopens, publishing conversation.updated each time', async () => {
    const { user, workspaceId } = await userWithWorkspace();
    const conversation = await createConversation(t, await createContact(t, workspaceId));
    await createMessage(t, conversation);

    const closed = await t.http
      .patch(`/api/conversations/${conversation.id}`)
      .set(user.auth)
      .send({ is_active: false })
      .expect(200);
    expect(closed.body).toMatchObject({ id: conversation.id, is_active: false, unread_count: 1 });
    expect(await listIds(user, '?status=closed')).toEqual([conversation.id]);

    const reopened = await t.http
      .patch(`/api/conversations/${conversation.id}`)
      .set(user.auth)
      .send({ is_active: true, read: true })
      .expect(200);
    expect(reopened.body).toMatchObject({ is_active: true, unread_count: 0 });

    const events = await eventsOf(workspaceId);
    expect(events.map((e) => e.type)).toEqual(['conversation.updated', 'conversation.updated']);
    expect(events[0].data.conversation).toEqual(closed.body);
    expect(events[1].data.conversation).toEqual(reopened.body);
  });

  it('answers 409 when reopening while the contact has another open conversation', async () => {
    const { user, workspaceId } = await userWithWorkspace();
    const contact = await createContact(t, workspaceId);
    const old = await createConversation(t, contact, { isActive: false });
    const current = await createConversation(t, contact);

    const res = await t.http
      .patch(`/api/conversations/${old.id}`)
      .set(user.auth)
      .send({ is_active: true })
      .expect(409);
    expect(res.body).toEqual({
      status_code: 409,
      error: 'Conflict',
      message: `This contact already has an open conversation (id ${current.id}); close it before reopening this one`,
    });
    expect(await eventsOf(workspaceId)).toEqual([]);

    await t.http
      .patch(`/api/conversations/${current.id}`)
      .set(user.auth)
      .send({ is_active: false })
      .expect(200);
    await t.http
      .patch(`/api/conversations/${old.id}`)
      .set(user.auth)
      .send({ is_active: true })
      .expect(200);
  });

  it('lets one of two concurrent reopenings of the same contact win, the other 409', async () => {
    const { user, workspaceId } = await userWithWorkspace();
    const contact = await createContact(t, workspaceId);
    const first = await createConversation(t, contact, { isActive: false });
    const second = await createConversation(t, contact, { isActive: false });
    const results = await Promise.all(
      [first, second].map((c) =>
        t.http.patch(`/api/conversations/${c.id}`).set(user.auth).send({ is_active: true }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await listIds(user, '?status=open')).toHaveLength(1);
  });

  it('reopening an open conversation is a harmless repeat', async () => {
    const { user, workspaceId } = await userWithWorkspace();
    const conversation = await createConversation(t, await createContact(t, workspaceId));
    await t.http
      .patch(`/api/conversations/${conversation.id}`)
      .set(user.auth)
      .send({ is_active: true })
      .expect(200);
  });

  it('answers an empty body with the conversation unchanged and publishes nothing', async () => {
    const { user, workspaceId } = await userWithWorkspace();
    const conversation = await createConversation(t, await createContact(t, workspaceId));
    const res = await t.http
      .patch(`/api/conversations/${conversation.id}`)
      .set(user.auth)
      .send({})
      .expect(200);
    expect(res.body).toMatchObject({ id: conversation.id, is_active: true });
    expect(await eventsOf(workspaceId)).toEqual([]);
  });

  it("answers 404 for another workspace's conversation and changes nothing", async () => {
    const a = await userWithWorkspace();
    const b = await userWithWorkspace();
    const conversation = await createConversation(t, await createContact(t, a.workspaceId));
    await t.http
      .patch(`/api/conversations/${conversation.id}`)
      .set(b.user.auth)
      .send({ is_active: false })
      .expect(404);
    const res = await t.http
      .get(`/api/conversations/${conversation.id}`)
      .set(a.user.auth)
      .expect(200);
    expect((res.body as ConversationBody).is_active).toBe(true);
    expect(await eventsOf(b.workspaceId)).toEqual([]);
  });

  it.each([
    [{ is_active: 'no' }, 'is_active', 'is_active must be a boolean value'],
    [{ read: false }, 'read', 'read can only be true'],
    [{ contact_id: 3 }, 'contact_id', 'property contact_id should not exist'],
  ])('answers 422 naming the field for %j', async (body, field, message) => {
    const { user, workspaceId } = await userWithWorkspace();
    const conversation = await createConversation(t, await createContact(t, workspaceId));
    const res = await t.http
      .patch(`/api/conversations/${conversation.id}`)
      .set(user.auth)
      .send(body)
      .expect(422);
    expect(res.body).toMatchObject({ message, errors: [{ field, message }] });
  });
});
