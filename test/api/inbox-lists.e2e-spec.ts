import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../support/app.js';
import {
  createUserWithWorkspace,
  createContact,
  createConversation,
  createMessage,
  createMessages,
} from '../support/inbox-factories.js';

interface MessageBody {
  id: number;
  contact_id: number;
  conversation_id: number;
  [k: string]: unknown;
}
interface ContactBody {
  id: number;
  wa_id: string;
  name: string | null;
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

describe('GET /api/messages', () => {
  it('answers SPEC fields first, then the contract extras, newest first', async () => {
    const { user, workspaceId } = await userWithWorkspace();
    const contact = await createContact(t, workspaceId);
    const conversation = await createConversation(t, contact);
    const inbound = await createMessage(t, conversation, { content: 'Hi there' });
    const outbound = await createMessage(t, conversation, {
      isOutbound: true,
      status: 'delivered',
      messageType: 'image',
      content: 'a caption',
      mediaId: 'media-1',
    });

    const res = await t.http.get('/api/messages').set(user.auth).expect(200);

    const body = res.body as { messages: MessageBody[]; next_before_id: number | null };
    expect(Object.keys(body)).toEqual(['messages', 'next_before_id']);
    expect(body.next_before_id).toBeNull();
    expect(body.messages.map((m) => m.id)).toEqual([outbound.id, inbound.id]);
    expect(Object.keys(body.messages[0])).toEqual([
      'id',
      'wa_message_id',
      'contact_id',
      'type',
      'content',
      'is_outbound',
      'status',
      'timestamp',
      'conversation_id',
      'media_id',
      'mime_type',
      'file_name',
      'has_media',
      'reply_to_wa_message_id',
      'error_code',
      'error_title',
      'sent_by_user_id',
      'created_at',
    ]);
    expect(body.messages[1]).toMatchObject({
      id: inbound.id,
      wa_message_id: inbound.waMessageId,
      contact_id: contact.id,
      type: 'text',
      content: 'Hi there',
      is_outbound: false,
      status: 'received',
      timestamp: inbound.timestamp.toISOString(),
      conversation_id: conversation.id,
      media_id: null,
      has_media: false,
      sent_by_user_id: null,
    });
    expect(body.messages[0]).toMatchObject({
      type: 'image',
      is_outbound: true,
      status: 'delivered',
      media_id: 'media-1',
      has_media: true,
    });
    expect(body.messages[0]).not.toHaveProperty('raw_data');
  });

  it('pages by skip and by before_id with no overlap and no gap', async () => {
    const { user, workspaceId } = await userWithWorkspace();
    const conversation = await createConversation(t, await createContact(t, workspaceId));
    const stored = await createMessages(t, conversation, 7);
    const newestFirst = stored.map((m) => m.id).reverse();

    const bySkip: number[] = [];
    for (let skip = 0; skip < 9; skip += 3) {
      const res = await t.http.get(`/api/messages?skip=${skip}&limit=3`).set(user.auth).expect(200);
      bySkip.push(...(res.body as { messages: MessageBody[] }).messages.map((m) => m.id));
    }
    expect(bySkip).toEqual(newestFirst);

    const byCursor: number[] = [];
    const cursors: (number | null)[] = [];
    let url = '/api/messages?limit=3';
    for (;;) {
      const res = await t.http.get(url).set(user.auth).expect(200);
      const body = res.body as { messages: MessageBody[]; next_before_id: number | null };
      byCursor.push(...body.messages.map((m) => m.id));
      cursors.push(body.next_before_id);
      if (body.next_before_id === null) break;
      url = `/api/messages?limit=3&before_id=${body.next_before_id}`;
    }
    expect(byCursor).toEqual(newestFirst);
    expect(cursors).toEqual([newestFirst[2], newestFirst[5], null]);
  });

  it('answers next_before_id null when the last page is exactly full', async () => {
    const { user, workspaceId } = await userWithWorkspace();
    const conversation = await createConversation(t, await createContact(t, workspaceId));
    await createMessages(t, conversation, 4);
    const first = await t.http.get('/api/messages?limit=2').set(user.auth).expect(200);
    const next = (first.body as { next_before_id: number }).next_before_id;
    const second = await t.http
      .get(`/api/messages?limit=2&before_id=${next}`)
      .set(user.auth)
      .expect(200);
    expect((second.body as { messages: unknown[] }).messages).toHaveLength(2);
    expect((second.body as { next_before_id: unknown }).next_before_id).toBeNull();
  });

  it('returns at most 100 messages by default', async () => {
    const { user, workspaceId } = await userWithWorkspace();
    const conversation = await createConversation(t, await createContact(t, workspaceId));
    await t.db.query(
      `INSERT INTO messages (workspace_id, wa_message_id, contact_id, conversation_id, message_type, content, status, timestamp)
       SELECT $1, 'wamid.bulk' || g, $2, $3, 'text', 'bulk ' || g, 'received', now()
         FROM generate_series(1, 105) g`,
      [workspaceId, conversation.contactId, conversation.id],
    );
    const res = await t.http.get('/api/messages').set(user.auth).expect(200);
    const body = res.body as { messages: MessageBody[]; next_before_id: number | null };
    expect(body.messages).toHaveLength(100);
    expect(body.next_before_id).toBe(body.messages[99].id);
  });

  it('filters by contact_id and by conversation_id', async () => {
    const { user, workspaceId } = await userWithWorkspace();
    const ann = await createContact(t, workspaceId, { name: 'Ann' });
    const bob = await createContact(t, workspaceId, { name: 'Bob' });
    const annOld = await createConversation(t, ann, { isActive: false });
    const annNew = await createConversation(t, ann);
    const bobConversation = await createConversation(t, bob);
    const a1 = await createMessage(t, annOld);
    const a2 = await createMessage(t, annNew);
    await createMessage(t, bobConversation);

    const byContact = await t.http
      .get(`/api/messages?contact_id=${ann.id}`)
      .set(user.auth)
      .expect(200);
    expect((byContact.body as { messages: MessageBody[] }).messages.map((m) => m.id)).toEqual([
      a2.id,
      a1.id,
    ]);

    const byConversation = await t.http
      .get(`/api/messages?conversation_id=${annOld.id}`)
      .set(user.auth)
      .expect(200);
    expect((byConversation.body as { messages: MessageBody[] }).messages.map((m) => m.id)).toEqual([
      a1.id,
    ]);

    const both = await t.http
      .get(`/api/messages?contact_id=${bob.id}&conversation_id=${annOld.id}`)
      .set(user.auth)
      .expect(200);
    expect((both.body as { messages: unknown[] }).messages).toEqual([]);
  });

  it("shows none of another workspace's messages, even when asked by its ids", async () => {
    const a = await userWithWorkspace();
    const b = await userWithWorkspace();
    const contact = await createContact(t, a.workspaceId);
    const conversation = await createConversation(t, contact);
    await createMessage(t, conversation);

    for (const url of [
      '/api/messages',
      `/api/messages?contact_id=${contact.id}`,
      `/api/messages?conversation_id=${conversation.id}`,
    ]) {
      const res = await t.http.get(url).set(b.user.auth).expect(200);
      expect(res.body).toEqual({ messages: [], next_before_id: null });
    }
  });

  it('answers 401 without a token', async () => {
    await t.http.get('/api/messages').expect(401);
  });

  it.each([
    ['limit=0', 'limit', 'limit must not be less than 1'],
    ['limit=101', 'limit', 'limit must not be greater than 100'],
    ['limit=ten', 'limit', 'limit must be an integer number'],
    ['skip=-1', 'skip', 'skip must not be less than 0'],
    ['contact_id=abc', 'contact_id', 'contact_id must be an integer number'],
    ['contact_id=0', 'contact_id', 'contact_id must not be less than 1'],
    ['conversation_id=1.5', 'conversation_id', 'conversation_id must be an integer number'],
    ['before_id=-3', 'before_id', 'before_id must not be less than 1'],
    ['contact_id=99999999999', 'contact_id', 'contact_id must not be greater than 2147483647'],
    ['color=blue', 'color', 'property color should not exist'],
  ])('answers 422 naming the parameter for %s', async (qs, field, message) => {
    const { user } = await userWithWorkspace();
    const res = await t.http.get(`/api/messages?${qs}`).set(user.auth).expect(422);
    expect(res.body).toEqual({
      status_code: 422,
      error: 'Unprocessable Entity',
      message,
      errors: [{ field, message }],
    });
  });
});

describe('GET /api/contacts', () => {
  it('answers SPEC contact objects, newest first', async () => {
    const { user, workspaceId } = await userWithWorkspace();
    const first = await createContact(t, workspaceId, {
      waId: '15550001111',
      name: 'First',
      profileName: 'F',
    });
    const second = await createContact(t, workspaceId, {
      waId: '15550002222',
      name: null,
      profileName: null,
    });

    const res = await t.http.get('/api/contacts').set(user.auth).expect(200);

    const body = res.body as { contacts: ContactBody[]; next_before_id: number | null };
    expect(Object.keys(body)).toEqual(['contacts', 'next_before_id']);
    expect(body.contacts.map((c) => c.id)).toEqual([second.id, first.id]);
    expect(body.contacts[1]).toEqual({
      id: first.id,
      wa_id: '15550001111',
      name: 'First',
      profile_name: 'F',
      created_at: first.createdAt.toISOString(),
    });
    expect(body.contacts[0]).toMatchObject({ name: null, profile_name: null });
  });

  it('searches name, profile name and number, case-insensitively', async () => {
    const { user, workspaceId } = await userWithWorkspace();
    const jane = await createContact(t, workspaceId, {
      waId: '447700900123',
      name: 'Jane Doe',
      profileName: 'JD',
    });
    const pedro = await createContact(t, workspaceId, {
      waId: '5511987654321',
      name: null,
      profileName: 'Pedro Álvares',
    });
    await createContact(t, workspaceId, { waId: '15550009999', name: 'Zed', profileName: 'Z' });

    const search = async (q: string): Promise<number[]> => {
      const res = await t.http.get('/api/contacts').query({ q }).set(user.auth).expect(200);
      return (res.body as { contacts: ContactBody[] }).contacts.map((c) => c.id);
    };
    expect(await search('jane')).toEqual([jane.id]);
    expect(await search('DOE')).toEqual([jane.id]);
    expect(await search('álvares')).toEqual([pedro.id]);
    expect(await search('7700900')).toEqual([jane.id]);
    expect(await search('+44 7700-900')).toEqual([jane.id]);
    expect(await search('  pedro ')).toEqual([pedro.id]);
    expect(await search('nobody')).toEqual([]);
    // LIKE wildcards are literal characters in a search.
    expect(await search('%')).toEqual([]);
    expect(await search('_')).toEqual([]);
  });

  it('treats an empty q as no search', async () => {
    const { user, workspaceId } = await userWithWorkspace();
    await createContact(t, workspaceId);
    await createContact(t, workspaceId);
    const res = await t.http.get('/api/contacts?q=').set(user.auth).expect(200);
    expect((res.body as { contacts: unknown[] }).contacts).toHaveLength(2);
  });

  it('pages by skip and by before_id', async () => {
    const { user, workspaceId } = await userWithWorkspace();
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push((await createContact(t, workspaceId)).id);
    const newestFirst = ids.reverse();

    const skipPage = await t.http.get('/api/contacts?skip=2&limit=2').set(user.auth).expect(200);
    expect((skipPage.body as { contacts: ContactBody[] }).contacts.map((c) => c.id)).toEqual(
      newestFirst.slice(2, 4),
    );

    const seen: number[] = [];
    let url = '/api/contacts?limit=2';
    for (;;) {
      const res = await t.http.get(url).set(user.auth).expect(200);
      const body = res.body as { contacts: ContactBody[]; next_before_id: number | null };
      seen.push(...body.contacts.map((c) => c.id));
      if (body.next_before_id === null) break;
      url = `/api/contacts?limit=2&before_id=${body.next_before_id}`;
    }
    expect(seen).toEqual(newestFirst);
  });

  it("does not list another workspace's contacts", async () => {
    const a = await userWithWorkspace();
    const b = await userWithWorkspace();
    await createContact(t, a.workspaceId, { name: 'Secret Customer' });
    const res = await t.http.get('/api/contacts?q=secret').set(b.user.auth).expect(200);
    expect(res.body).toEqual({ contacts: [], next_before_id: null });
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['skip=-1', 'skip'],
    ['before_id=x', 'before_id'],
    [`q=${'a'.repeat(101)}`, 'q'],
  ])('answers 422 naming the parameter for %s', async (qs, field) => {
    const { user } = await userWithWorkspace();
    const res = await t.http.get(`/api/contacts?${qs}`).set(user.auth).expect(422);
    expect((res.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual([
      field,
    ]);
  });
});

describe('GET /docs-json', () => {
  it('documents every inbox route with its error responses', async () => {
    const res = await t.http.get('/docs-json').expect(200);
    const paths = (
      res.body as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }
    ).paths;
    const expected: [string, string, string[]][] = [
      ['/api/messages', 'get', ['200', '401', '422']],
      ['/api/contacts', 'get', ['200', '401', '422']],
      ['/api/conversations', 'get', ['200', '401', '422']],
      ['/api/conversations/{id}', 'get', ['200', '401', '404', '422']],
      ['/api/conversations/{id}', 'patch', ['200', '401', '404', '409', '422']],
      ['/api/conversations/{id}/messages', 'get', ['200', '401', '404', '422']],
      ['/api/stats', 'get', ['200', '401']],
      ['/api/stats/daily', 'get', ['200', '401', '422']],
    ];
    for (const [path, method, statuses] of expected) {
      expect(Object.keys(paths[path]?.[method]?.responses ?? {}).sort()).toEqual(statuses);
    }
    const schemas = (
      res.body as {
        components: {
          schemas: Record<string, { properties: Record<string, { description?: string }> }>;
        };
      }
    ).components.schemas;
    for (const name of [
      'MessageResponseDto',
      'ContactResponseDto',
      'ConversationResponseDto',
      'StatsResponseDto',
    ]) {
      for (const [field, schema] of Object.entries(schemas[name].properties)) {
        expect([name, field, typeof schema.description]).toEqual([name, field, 'string']);
      }
    }
  });
});
