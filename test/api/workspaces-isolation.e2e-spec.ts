import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
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
  metaContact,
  metaMessage,
  metaNotification,
  postWebhook,
  TEST_DISPLAY_PHONE_NUMBER,
  TEST_PHONE_NUMBER_ID,
  TEST_VERIFY_TOKEN,
  wamid,
  webhookEnv,
} from '../support/meta.js';
import { listen, SseClient } from '../support/sse.js';

// Workspace A owns the WA_* number (its owner signs up first); workspace B connects its own
// number with its own app secret through Settings → WhatsApp.
const B_PHONE_NUMBER_ID = '209876543210987';
const B_APP_SECRET = 'b-app-secret-7c1e9d0a4b7c5f2b8c1e';
const B_ACCESS_TOKEN = 'EAAB-b-access-token-never-shown-9x9Z';
const B_VERIFY_TOKEN = 'b-verify-token-secret-31ab';
// Workspace D has two numbers, each with its own app secret.
const D1_PHONE_NUMBER_ID = '309876543210981';
const D2_PHONE_NUMBER_ID = '309876543210982';
const D1_APP_SECRET = 'd1-app-secret-0a4b7c5f2b8c1e7c1e9d';
const D2_APP_SECRET = 'd2-app-secret-9d1e7c1e8c2b5f7c4b0a';
const D_ACCESS_TOKEN = 'EAAB-d-access-token-never-shown-7y7Y';

let t: TestApp;
let base: string;
let a: RegisteredUser;
let b: RegisteredUser;
let bNumberId: number;
let bConversationId: number;
let bMessageId: number;

beforeAll(async () => {
  t = await createTestApp(webhookEnv());
  base = await listen(t);
  a = await createUser(t, { name: 'Alice' });
  b = await createUser(t, { name: 'Bob' });
  const created = await t.http
    .post('/api/whatsapp/numbers')
    .set(b.auth)
    .send({
      phone_number_id: B_PHONE_NUMBER_ID,
      business_account_id: '301234567890123',
      access_token: B_ACCESS_TOKEN,
      app_secret: B_APP_SECRET,
      verify_token: B_VERIFY_TOKEN,
    })
    .expect(201);
  bNumberId = (created.body as { id: number }).id;
  const contact = await createContact(t, await workspaceOf(t, b));
  const conversation = await createConversation(t, contact);
  bConversationId = conversation.id;
  bMessageId = (
    await createMessage(t, conversation, { messageType: 'image', mediaId: 'media-b-1' })
  ).id;
});
afterAll(async () => {
  await t.close();
});

const inbound = (text: string, phoneNumberId: string) => {
  const n = inboundNotification(
    customerWaId(),
    'Customer',
    metaMessage(customerWaId(), META_TYPES.text(text), { id: wamid() }),
  );
  const change = (
    n.entry as { changes: { value: { metadata: { phone_number_id: string } } }[] }[]
  )[0].changes[0];
  change.value.metadata.phone_number_id = phoneNumberId;
  return n;
};

describe("a member of workspace A and workspace B's data", () => {
  it.each([
    ['GET', () => `/api/conversations/${bConversationId}`],
    ['PATCH', () => `/api/conversations/${bConversationId}`],
    ['GET', () => `/api/conversations/${bConversationId}/messages`],
    ['POST', () => `/api/conversations/${bConversationId}/messages`],
    ['GET', () => `/api/messages/${bMessageId}/media`],
    ['PATCH', () => `/api/whatsapp/numbers/${bNumberId}`],
    ['DELETE', () => `/api/whatsapp/numbers/${bNumberId}`],
    ['POST', () => `/api/whatsapp/numbers/${bNumberId}/test`],
    ['DELETE', () => `/api/workspace/members/${b.id}`],
    ['PATCH', () => `/api/workspace/members/${b.id}`],
  ])('%s %s answers 404', async (method, path) => {
    const url = path();
    const req =
      method === 'GET'
        ? t.http.get(url)
        : method === 'PATCH'
          ? t.http.patch(url)
          : method === 'DELETE'
            ? t.http.delete(url)
            : t.http.post(url);
    const body =
      url.includes('/conversations/') && method === 'POST'
        ? { text: 'hi' }
        : url.includes('/members/')
          ? { role: 'admin' }
          : url.includes('/conversations/')
            ? { is_active: false }
            : {};
    const res = await req.set(a.auth).send(body);
    expect(res.status).toBe(404);
  });

  it("never lists B's contacts, conversations, messages or numbers", async () => {
    for (const path of [
      '/api/contacts',
      '/api/conversations',
      '/api/messages',
      '/api/whatsapp/numbers',
    ]) {
      const res = await t.http.get(path).set(a.auth).expect(200);
      const text = JSON.stringify(res.body);
      expect(text).not.toContain(B_PHONE_NUMBER_ID);
      expect(text).not.toContain(`"id":${bConversationId},"contact"`);
    }
    const numbers = await t.http.get('/api/whatsapp/numbers').set(a.auth).expect(200);
    expect((numbers.body as { id: number }[]).map((n) => n.id)).not.toContain(bNumberId);
  });

  it("routes B's webhook to B, verified with B's app secret, and never to A's live stream", async () => {
    const streamA = await SseClient.connect(`${base}/api/events`, a.auth);
    const streamB = await SseClient.connect(`${base}/api/events`, b.auth);
    try {
      await postWebhook(t, inbound('for-b-only', B_PHONE_NUMBER_ID), B_APP_SECRET).expect(200);
      await streamB.waitFor((events) => events.some((e) => e.data.includes('for-b-only')));
      // The live event of the new conversation already names the number it arrived on.
      const created = streamB.events.find(
        (e) => e.event === 'message.created' && e.data.includes('for-b-only'),
      );
      const data = JSON.parse(created?.data ?? '{}') as {
        conversation?: { whatsapp_number?: { id: number; phone_number_id: string } | null };
      };
      expect(data.conversation?.whatsapp_number).toMatchObject({
        id: bNumberId,
        phone_number_id: B_PHONE_NUMBER_ID,
      });
      await postWebhook(t, inbound('for-a-only', TEST_PHONE_NUMBER_ID)).expect(200);
      await streamA.waitFor((events) => events.some((e) => e.data.includes('for-a-only')));
      expect(streamA.events.some((e) => e.data.includes('for-b-only'))).toBe(false);
      expect(streamB.events.some((e) => e.data.includes('for-a-only'))).toBe(false);
    } finally {
      streamA.close();
      streamB.close();
    }
    const convs = await t.http.get('/api/conversations').set(b.auth).expect(200);
    expect(JSON.stringify(convs.body)).toContain('for-b-only');
    // The conversation and message record the number they arrived on (replies leave from it).
    const [row] = await t.db.query<{ c: number | null; m: number | null }[]>(
      `SELECT c.whatsapp_number_id AS c, m.whatsapp_number_id AS m
         FROM messages m JOIN conversations c ON c.id = m.conversation_id
        WHERE m.content = 'for-b-only'`,
    );
    expect(row).toEqual({ c: bNumberId, m: bNumberId });
  });
});

describe('one webhook for two workspaces', () => {
  it("publishes each workspace's messages on its own live stream only", async () => {
    const streamA = await SseClient.connect(`${base}/api/events`, a.auth);
    const streamB = await SseClient.connect(`${base}/api/events`, b.auth);
    try {
      const [fromA, fromB] = [customerWaId(), customerWaId()];
      // One delivery (one group, one statement for the live events) with a change per number.
      const payload = metaNotification(
        {
          phoneNumberId: TEST_PHONE_NUMBER_ID,
          contacts: [metaContact(fromA, 'Ann')],
          messages: [metaMessage(fromA, META_TYPES.text('shared-delivery-a'))],
        },
        {
          phoneNumberId: B_PHONE_NUMBER_ID,
          contacts: [metaContact(fromB, 'Ben')],
          messages: [metaMessage(fromB, META_TYPES.text('shared-delivery-b'))],
        },
      );
      await postWebhook(t, payload).expect(200);
      await streamA.waitFor((events) => events.some((e) => e.data.includes('shared-delivery-a')));
      await streamB.waitFor((events) => events.some((e) => e.data.includes('shared-delivery-b')));
      expect(streamA.events.some((e) => e.data.includes('shared-delivery-b'))).toBe(false);
      expect(streamB.events.some((e) => e.data.includes('shared-delivery-a'))).toBe(false);
    } finally {
      streamA.close();
      streamB.close();
    }
  });
});

describe('a workspace with two numbers', () => {
  it('shows each conversation the number its customer wrote to', async () => {
    const dana = await createUser(t, { name: 'Dana' });
    const connect = async (phoneNumberId: string, appSecret: string) =>
      (
        (
          await t.http
            .post('/api/whatsapp/numbers')
            .set(dana.auth)
            .send({
              phone_number_id: phoneNumberId,
              business_account_id: '301234567890123',
              access_token: D_ACCESS_TOKEN,
              app_secret: appSecret,
              verify_token: `verify-${phoneNumberId}`,
            })
            .expect(201)
        ).body as { id: number }
      ).id;
    const firstId = await connect(D1_PHONE_NUMBER_ID, D1_APP_SECRET);
    const secondId = await connect(D2_PHONE_NUMBER_ID, D2_APP_SECRET);
    await postWebhook(t, inbound('to-d-first-number', D1_PHONE_NUMBER_ID), D1_APP_SECRET).expect(
      200,
    );
    await postWebhook(t, inbound('to-d-second-number', D2_PHONE_NUMBER_ID), D2_APP_SECRET).expect(
      200,
    );

    const res = await t.http.get('/api/conversations').set(dana.auth).expect(200);
    const conversations = (
      res.body as {
        conversations: { last_message: { content: string } | null; whatsapp_number: unknown }[];
      }
    ).conversations;
    const about = (content: string) =>
      conversations.find((c) => c.last_message?.content === content);
    expect(about('to-d-first-number')?.whatsapp_number).toEqual({
      id: firstId,
      phone_number_id: D1_PHONE_NUMBER_ID,
      // Learned from the webhook's metadata: the number was connected without one.
      display_phone_number: TEST_DISPLAY_PHONE_NUMBER,
    });
    expect(about('to-d-second-number')?.whatsapp_number).toEqual({
      id: secondId,
      phone_number_id: D2_PHONE_NUMBER_ID,
      display_phone_number: TEST_DISPLAY_PHONE_NUMBER,
    });
    expect(JSON.stringify(res.body)).not.toContain(D_ACCESS_TOKEN);
    expect(JSON.stringify(res.body)).not.toContain(D1_APP_SECRET);

    // Other workspaces' conversations never show Dana's numbers.
    const others = await t.http.get('/api/conversations?limit=100').set(a.auth).expect(200);
    for (const c of (others.body as { conversations: { whatsapp_number: { id: number } | null }[] })
      .conversations) {
      expect([firstId, secondId]).not.toContain(c.whatsapp_number?.id);
    }
  });
});

describe('webhook verification per number', () => {
  it("refuses B's number signed with another secret", async () => {
    await postWebhook(t, inbound('forged', B_PHONE_NUMBER_ID), 'not-the-secret').expect(401);
  });

  it("refuses A's environment number signed with B's app secret", async () => {
    await postWebhook(t, inbound('forged-a', TEST_PHONE_NUMBER_ID), B_APP_SECRET).expect(401);
  });

  it("accepts the subscription handshake with a number's verify token", async () => {
    const query = { 'hub.mode': 'subscribe', 'hub.challenge': '4242' };
    const ok = await t.http
      .get('/api/webhook')
      .query({ ...query, 'hub.verify_token': B_VERIFY_TOKEN })
      .expect(200);
    expect(ok.text).toBe('4242');
    await t.http
      .get('/api/webhook')
      .query({ ...query, 'hub.verify_token': TEST_VERIFY_TOKEN })
      .expect(200);
    await t.http
      .get('/api/webhook')
      .query({ ...query, 'hub.verify_token': 'nope-31ab' })
      .expect(403);
  });
});

describe('/api/whatsapp/numbers', () => {
  it('masks secrets and stores them encrypted', async () => {
    const list = await t.http.get('/api/whatsapp/numbers').set(b.auth).expect(200);
    expect(list.body).toEqual([
      expect.objectContaining({
        id: bNumberId,
        phone_number_id: B_PHONE_NUMBER_ID,
        access_token: '••••9x9Z',
        app_secret: '••••8c1e',
        verify_token: '••••31ab',
        from_environment: false,
      }),
    ]);
    const text = JSON.stringify(list.body);
    for (const secret of [B_ACCESS_TOKEN, B_APP_SECRET, B_VERIFY_TOKEN]) {
      expect(text).not.toContain(secret);
    }
    const [row] = await t.db.query<Record<string, string>[]>(
      `SELECT * FROM whatsapp_numbers WHERE id = $1`,
      [bNumberId],
    );
    for (const secret of [B_ACCESS_TOKEN, B_APP_SECRET, B_VERIFY_TOKEN]) {
      expect(JSON.stringify(row)).not.toContain(secret);
    }
  });

  it('answers 409 for a number already connected', async () => {
    await t.http
      .post('/api/whatsapp/numbers')
      .set(a.auth)
      .send({
        phone_number_id: B_PHONE_NUMBER_ID,
        business_account_id: '1',
        access_token: 'x-token',
        app_secret: 'x-secret',
        verify_token: 'x-verify',
      })
      .expect(409);
  });
});

describe('switching workspace on the live stream', () => {
  it('follows ?workspace_id= for a member, and refuses it to anyone else', async () => {
    const carol = await createUser(t, { name: 'Carol' });
    const bWorkspace = await workspaceOf(t, b);
    const strangerStream = await SseClient.connect(
      `${base}/api/events?access_token=${carol.token}&workspace_id=${bWorkspace}`,
    );
    expect(strangerStream.status).toBe(401);
    const invite = await t.http.post('/api/workspace/invites').set(b.auth).send({}).expect(201);
    await t.http
      .post(`/api/invites/${(invite.body as { token: string }).token}/accept`)
      .set(carol.auth)
      .expect(200);
    const stream = await SseClient.connect(
      `${base}/api/events?access_token=${carol.token}&workspace_id=${bWorkspace}`,
    );
    try {
      expect(stream.status).toBe(200);
      await postWebhook(t, inbound('for-b-and-carol', B_PHONE_NUMBER_ID), B_APP_SECRET).expect(200);
      await stream.waitFor((events) => events.some((e) => e.data.includes('for-b-and-carol')));
    } finally {
      stream.close();
    }
  });
});
