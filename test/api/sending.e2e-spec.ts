import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { createTeammate, createUser } from '../support/factories.js';
import { createContact, createConversation, createMessage } from '../support/inbox-factories.js';
import {
  conversationOf,
  customerWrites,
  newCustomer,
  startWiredApp,
  waitFor,
  type WiredApp,
} from '../support/emulator.js';

// Apps, the emulator and queued work: more than Jest's default 5 s per test.
jest.setTimeout(30_000);

interface MessageBody {
  id: number;
  wa_message_id: string | null;
  status: string;
  type: string;
  content: string | null;
  is_outbound: boolean;
  conversation_id: number;
  error_code: number | null;
  error_title: string | null;
  reply_to_wa_message_id: string | null;
}

let w: WiredApp;
beforeAll(async () => {
  w = await startWiredApp();
});
afterAll(async () => {
  await w.close();
});
beforeEach(() => {
  w.meta.clearFailures();
});

const send = (conversationId: number, body: object) =>
  w.t.http.post(`/api/conversations/${conversationId}/messages`).set(w.owner.auth).send(body);

async function messageById(conversationId: number, id: number): Promise<MessageBody | undefined> {
  const res = await w.t.http
    .get(`/api/conversations/${conversationId}/messages`)
    .set(w.owner.auth)
    .expect(200);
  return (res.body as { messages: MessageBody[] }).messages.find((m) => m.id === id);
}

async function waitForStatus(
  conversationId: number,
  id: number,
  status: string,
): Promise<MessageBody> {
  return waitFor(async () => {
    const m = await messageById(conversationId, id);
    return m?.status === status ? m : undefined;
  }, `message ${id} to become ${status}`);
}

const sentTo = (waId: string) => w.meta.sent().filter((s) => s.waId === waId);

describe('POST /api/conversations/:id/messages', () => {
  it('answers 202 with the pending message, sends Meta the exact body, then statuses move it to read', async () => {
    const customer = newCustomer();
    const conversationId = await customerWrites(w, customer);

    const res = await send(conversationId, {
      text: 'Your order left our warehouse this morning.',
    }).expect(202);
    const accepted = res.body as MessageBody;
    expect(accepted).toMatchObject({
      status: 'pending',
      is_outbound: true,
      type: 'text',
      content: 'Your order left our warehouse this morning.',
      conversation_id: conversationId,
      wa_message_id: null,
    });

    const read = await waitForStatus(conversationId, accepted.id, 'read');
    const [sent] = sentTo(customer);
    expect(sentTo(customer)).toHaveLength(1);
    expect(sent.request).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: customer,
      type: 'text',
      text: { body: 'Your order left our warehouse this morning.', preview_url: false },
    });
    expect(read.wa_message_id).toBe(sent.wamid);
  });

  it('publishes message.created, then message.updated as Meta accepts and delivers it', async () => {
    const customer = newCustomer();
    const conversationId = await customerWrites(w, customer);
    const { id } = (await send(conversationId, { text: 'Events, please' }).expect(202))
      .body as MessageBody;
    await waitForStatus(conversationId, id, 'read');
    const events = await w.t.db.query<{ type: string; status: string }[]>(
      `SELECT type, data->'message'->>'status' AS status FROM events
        WHERE (data->'message'->>'id')::int = $1 ORDER BY id`,
      [id],
    );
    expect(events[0]).toEqual({ type: 'message.created', status: 'pending' });
    expect(events.slice(1).every((e) => e.type === 'message.updated')).toBe(true);
    expect(events.at(-1)).toEqual({ type: 'message.updated', status: 'read' });
    // The created event carries its conversation as it stood then: the reply is its last message.
    const [created] = await w.t.db.query<{ conversation: Record<string, unknown> }[]>(
      `SELECT data->'conversation' AS conversation FROM events
        WHERE type = 'message.created' AND (data->'message'->>'id')::int = $1`,
      [id],
    );
    expect(created.conversation).toMatchObject({
      id: conversationId,
      is_active: true,
      contact: expect.objectContaining({ wa_id: customer }),
      last_message: expect.objectContaining({ id, status: 'pending', is_outbound: true }),
    });
  });

  it('sends a template even when the customer never wrote, and tracks it to read', async () => {
    const ws = (await w.t.http.get('/api/auth/me').set(w.owner.auth).expect(200)).body as {
      workspace: { id: number };
    };
    const contact = await createContact(w.t, ws.workspace.id);
    const conversation = await createConversation(w.t, contact);
    const components = [{ type: 'body', parameters: [{ type: 'text', text: '#10042' }] }];

    const res = await send(conversation.id, {
      template: { name: 'order_update', language: 'en_US', components },
    }).expect(202);
    const message = res.body as MessageBody;
    expect(message).toMatchObject({
      type: 'template',
      status: 'pending',
      content: 'Template order_update (en_US): #10042',
    });

    await waitForStatus(conversation.id, message.id, 'read');
    expect(sentTo(contact.waId).map((s) => s.request)).toEqual([
      {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: contact.waId,
        type: 'template',
        template: { name: 'order_update', language: { code: 'en_US' }, components },
      },
    ]);
  });

  it('refuses a free-form message 24 hours after the last customer message, before calling Meta', async () => {
    const ws = (await w.t.http.get('/api/auth/me').set(w.owner.auth).expect(200)).body as {
      workspace: { id: number };
    };
    const contact = await createContact(w.t, ws.workspace.id);
    const conversation = await createConversation(w.t, contact);
    await createMessage(w.t, conversation, { timestamp: new Date(Date.now() - 25 * 3600 * 1000) });
    const calls = w.meta.sent().length + w.meta.rejected().length;

    const res = await send(conversation.id, { text: 'Hello again' }).expect(422);
    expect(res.body).toMatchObject({ status_code: 422, code: 'window_closed' });
    expect((res.body as { message: string }).message).toMatch(/template/);
    const media = await send(conversation.id, {
      media: { type: 'image', link: 'https://example.com/a.jpg' },
    }).expect(422);
    expect(media.body).toMatchObject({ code: 'window_closed' });

    const stored = await w.t.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1`,
      [conversation.id],
    );
    expect(stored).toEqual([{ n: 1 }]);
    expect(w.meta.sent().length + w.meta.rejected().length).toBe(calls);
  });

  it('refuses a free-form message to a contact who never wrote', async () => {
    const ws = (await w.t.http.get('/api/auth/me').set(w.owner.auth).expect(200)).body as {
      workspace: { id: number };
    };
    const conversation = await createConversation(w.t, await createContact(w.t, ws.workspace.id));
    const res = await send(conversation.id, { text: 'Hi' }).expect(422);
    expect(res.body).toMatchObject({ code: 'window_closed', last_inbound_at: null });
  });

  it('retries a 130429 rate limit with back-off, then sends the message once', async () => {
    const customer = newCustomer();
    const conversationId = await customerWrites(w, customer);
    w.meta.injectFailure({ code: 130429, to: customer, times: 2 });

    const { id } = (await send(conversationId, { text: 'Busy day' }).expect(202))
      .body as MessageBody;
    await waitForStatus(conversationId, id, 'read');

    expect(
      w.meta
        .rejected()
        .filter(
          (r) => r.error?.error.code === 130429 && (r.request as { to?: string }).to === customer,
        ),
    ).toHaveLength(2);
    expect(sentTo(customer)).toHaveLength(1);
    const [job] = await w.t.db.query<{ status: string; attempts: number }[]>(
      `SELECT status, attempts FROM jobs WHERE type = 'send_message' AND (payload->>'messageId')::int = $1`,
      [id],
    );
    expect(job).toEqual({ status: 'done', attempts: 3 });
  });

  it("marks the message failed with Meta's code and title on a permanent error, without retrying", async () => {
    const customer = newCustomer();
    const conversationId = await customerWrites(w, customer);
    w.meta.injectFailure({ code: 131026, to: customer, times: 1 });

    const { id } = (await send(conversationId, { text: 'Are you there?' }).expect(202))
      .body as MessageBody;
    const failed = await waitForStatus(conversationId, id, 'failed');

    expect(failed).toMatchObject({
      error_code: 131026,
      error_title: 'Message undeliverable',
      wa_message_id: null,
    });
    expect(sentTo(customer)).toHaveLength(0);
    const [job] = await w.t.db.query<{ status: string; attempts: number }[]>(
      `SELECT status, attempts FROM jobs WHERE type = 'send_message' AND (payload->>'messageId')::int = $1`,
      [id],
    );
    expect(job).toEqual({ status: 'failed', attempts: 1 });
  });

  it("replies to a customer's message and reacts to it", async () => {
    const customer = newCustomer();
    const conversationId = await customerWrites(w, customer, 'Do you deliver on Sundays?');
    const list = await w.t.http
      .get(`/api/conversations/${conversationId}/messages`)
      .set(w.owner.auth)
      .expect(200);
    const question = (list.body as { messages: MessageBody[] }).messages[0];

    const reply = (
      await send(conversationId, { text: 'We do!', reply_to_message_id: question.id }).expect(202)
    ).body as MessageBody;
    expect(reply.reply_to_wa_message_id).toBe(question.wa_message_id);
    const reaction = (
      await send(conversationId, { reaction: { message_id: question.id, emoji: '👍' } }).expect(202)
    ).body as MessageBody;
    expect(reaction).toMatchObject({
      type: 'reaction',
      content: '👍',
      reply_to_wa_message_id: question.wa_message_id,
    });

    await waitFor(() => sentTo(customer).length === 2, 'both sends');
    const requests = sentTo(customer).map((s) => s.request);
    expect(requests).toContainEqual(
      expect.objectContaining({ type: 'text', context: { message_id: question.wa_message_id } }),
    );
    expect(requests).toContainEqual(
      expect.objectContaining({
        type: 'reaction',
        reaction: { message_id: question.wa_message_id, emoji: '👍' },
      }),
    );
  });

  it('sends media by link with its caption', async () => {
    const customer = newCustomer();
    const conversationId = await customerWrites(w, customer);
    const res = await send(conversationId, {
      media: {
        type: 'document',
        link: 'https://example.com/catalogue.pdf',
        caption: 'Spring',
        filename: 'catalogue.pdf',
      },
    }).expect(202);
    expect(res.body).toMatchObject({
      type: 'document',
      content: 'Spring',
      file_name: 'catalogue.pdf',
      has_media: true,
    });
    await waitFor(() => sentTo(customer).length === 1, 'the send');
    expect(sentTo(customer)[0].request).toMatchObject({
      type: 'document',
      document: {
        link: 'https://example.com/catalogue.pdf',
        caption: 'Spring',
        filename: 'catalogue.pdf',
      },
    });
  });

  it.each([
    ['no message at all', {}, 'text', /exactly one of text, template, media, reaction/],
    [
      'two kinds',
      { text: 'a', reaction: { message_id: 1, emoji: '👍' } },
      'text',
      /got text and reaction/,
    ],
    ['an empty text', { text: '' }, 'text', /1 to 4096/],
    ['a blank text', { text: '   ' }, 'text', /blank/],
    ['a text over 4096 characters', { text: 'x'.repeat(4097) }, 'text', /1 to 4096/],
    [
      'a template without language',
      { template: { name: 'hello_world' } },
      'template.language',
      /language/,
    ],
    [
      'media without id or link',
      { media: { type: 'image' } },
      'media.id',
      /exactly one of id .* or link/,
    ],
    [
      'a caption on audio',
      { media: { type: 'audio', id: '1', caption: 'x' } },
      'media.caption',
      /only allowed for image, video, document/,
    ],
    [
      'an unknown media type',
      { media: { type: 'gif', id: '1' } },
      'media.type',
      /media.type must be one of/,
    ],
    ['an unknown field', { text: 'a', priority: 'high' }, 'priority', /should not exist/],
  ])('answers 422 naming the field for %s', async (_case, body, field, message) => {
    const conversationId = await conversationOf(w, (await anyCustomer()).waId);
    const res = await send(conversationId, body).expect(422);
    const errors = (res.body as { errors: { field: string; message: string }[] }).errors;
    expect(errors).toContainEqual({
      field,
      message: expect.stringMatching(message) as unknown as string,
    });
  });

  it('answers 422 when the replied-to message is not from this contact', async () => {
    const a = await customerWrites(w, newCustomer());
    const b = await customerWrites(w, newCustomer());
    const other = (
      await w.t.http.get(`/api/conversations/${b}/messages`).set(w.owner.auth).expect(200)
    ).body as {
      messages: MessageBody[];
    };
    const res = await send(a, { text: 'Hm', reply_to_message_id: other.messages[0].id }).expect(
      422,
    );
    expect(res.body).toMatchObject({ errors: [{ field: 'reply_to_message_id' }] });
  });

  it("answers 404 for another workspace's conversation and 503 when the workspace has no number", async () => {
    const conversationId = await customerWrites(w, newCustomer());
    const stranger = await createUser(w.t);
    const notFound = await w.t.http
      .post(`/api/conversations/${conversationId}/messages`)
      .set(stranger.auth)
      .send({ text: 'Hi' })
      .expect(404);
    expect(notFound.body).toMatchObject({ status_code: 404 });

    const me = (await w.t.http.get('/api/auth/me').set(stranger.auth).expect(200)).body as {
      workspace: { id: number };
    };
    const own = await createConversation(w.t, await createContact(w.t, me.workspace.id));
    const res = await w.t.http
      .post(`/api/conversations/${own.id}/messages`)
      .set(stranger.auth)
      .send({ template: { name: 'hello_world', language: 'en_US' } })
      .expect(503);
    expect(res.body).toMatchObject({ code: 'whatsapp_not_configured' });
  });

  it('is documented at /docs-json with its answers', async () => {
    const doc = (await w.t.http.get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    expect(Object.keys(doc.paths['/api/conversations/{id}/messages'].post.responses)).toEqual(
      expect.arrayContaining(['202', '401', '404', '422', '503']),
    );
    expect(Object.keys(doc.paths['/api/messages/{id}/media'].get.responses)).toEqual(
      expect.arrayContaining(['200', '401', '404', '409', '410']),
    );
  });

  it('answers 401 without a token', async () => {
    await w.t.http.post('/api/conversations/1/messages').send({ text: 'Hi' }).expect(401);
  });
});

const teammate = (name: string) => createTeammate(w.t, w.owner, name);

async function assigneeOf(conversationId: number): Promise<number | null> {
  const res = await w.t.http
    .get(`/api/conversations/${conversationId}`)
    .set(w.owner.auth)
    .expect(200);
  return (res.body as { assignee: { id: number } | null }).assignee?.id ?? null;
}

describe('who sends a reply', () => {
  it('is recorded on the message, and an unassigned conversation becomes theirs', async () => {
    const mate = await teammate('Sam Sender');
    const conversationId = await customerWrites(w, newCustomer(), 'Can you help?');
    expect(await assigneeOf(conversationId)).toBeNull();
    const before = await w.t.db.query<{ max: string | null }[]>(`SELECT max(id) FROM events`);

    const res = await w.t.http
      .post(`/api/conversations/${conversationId}/messages`)
      .set(mate.auth)
      .send({ text: 'On it!' })
      .expect(202);
    const sent = res.body as MessageBody & { sent_by_user_id: number | null };
    expect(sent.sent_by_user_id).toBe(mate.id);
    expect(await assigneeOf(conversationId)).toBe(mate.id);

    const list = await w.t.http
      .get(`/api/conversations/${conversationId}/messages`)
      .set(w.owner.auth)
      .expect(200);
    const byId = new Map(
      (
        list.body as { messages: (MessageBody & { sent_by_user_id: number | null })[] }
      ).messages.map((m) => [m.is_outbound ? 'reply' : 'customer', m.sent_by_user_id]),
    );
    expect(Object.fromEntries(byId)).toEqual({ reply: mate.id, customer: null });
    // Operators watching live see both: who wrote, and whose the conversation is now.
    const [created] = await w.t.db.query<{ sender: number; assignee: number }[]>(
      `SELECT (data->'message'->>'sent_by_user_id')::int AS sender,
              (data->'conversation'->'assignee'->>'id')::int AS assignee
         FROM events WHERE id > $1 AND type = 'message.created' ORDER BY id LIMIT 1`,
      [before[0].max ?? '0'],
    );
    expect(created).toEqual({ sender: mate.id, assignee: mate.id });

    // Another teammate answering too does not take it over.
    const second = await send(conversationId, { text: 'Adding a note from the owner' }).expect(202);
    expect((second.body as { sent_by_user_id: number }).sent_by_user_id).toBe(w.owner.id);
    expect(await assigneeOf(conversationId)).toBe(mate.id);
  });

  it('does not take the conversation for a template (integrations send those)', async () => {
    const bot = await teammate('Order Bot');
    const conversationId = await customerWrites(w, newCustomer(), 'Where is my order?');
    const res = await w.t.http
      .post(`/api/conversations/${conversationId}/messages`)
      .set(bot.auth)
      .send({ template: { name: 'order_update', language: 'en_US' } })
      .expect(202);
    expect((res.body as { sent_by_user_id: number }).sent_by_user_id).toBe(bot.id);
    expect(await assigneeOf(conversationId)).toBeNull();
  });

  it('never leaves a conversation assigned to a sender removed meanwhile', async () => {
    for (let round = 0; round < 4; round++) {
      const mate = await teammate(`Racing Sender ${round}`);
      const conversations = await Promise.all([
        customerWrites(w, newCustomer()),
        customerWrites(w, newCustomer()),
      ]);
      const results = await Promise.all([
        ...conversations.map((id) =>
          w.t.http.post(`/api/conversations/${id}/messages`).set(mate.auth).send({ text: 'Hi' }),
        ),
        w.t.http.delete(`/api/workspace/members/${mate.id}`).set(w.owner.auth),
      ]);
      // Sent before the removal (then unassigned by it), or refused: 401 once the token's
      // membership is gone, 403 when the removal came between that check and the send.
      for (const r of results.slice(0, 2)) expect([202, 401, 403]).toContain(r.status);
      expect(results[2].status).toBe(204);
      const left = await w.t.db.query<unknown[]>(
        `SELECT 1 FROM conversations WHERE assignee_id = $1`,
        [mate.id],
      );
      expect(left).toEqual([]);
    }
  });
});

let someone: { waId: string } | undefined;
async function anyCustomer(): Promise<{ waId: string }> {
  if (!someone) {
    const waId = newCustomer();
    await customerWrites(w, waId);
    someone = { waId };
  }
  return someone;
}
