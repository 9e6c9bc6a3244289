import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../support/app.js';
import { createUser } from '../support/factories.js';
import { workspaceOf } from '../support/inbox-factories.js';
import {
  customerWaId,
  inboundNotification,
  META_TYPES,
  metaMessage,
  metaNotification,
  postWebhook,
  serializeLikeMeta,
  signatureOf,
  signedWebhook,
  TEST_VERIFY_TOKEN,
  webhookEnv,
} from '../support/meta.js';

// The webhook's contract with Meta: handshake, signature, and the answer to every kind of
// body. What gets stored per message type lives in webhook-messages.e2e-spec.ts.

let t: TestApp;
let workspaceId: number;

beforeAll(async () => {
  t = await createTestApp(webhookEnv());
  // The first workspace of this database owns WA_PHONE_NUMBER_ID.
  workspaceId = await workspaceOf(t, await createUser(t));
});
afterAll(async () => {
  await t.close();
});

interface EventRow {
  id: string;
  outcome: string;
  error: string | null;
  payload: unknown;
  raw_body: Buffer | null;
  signature_valid: boolean | null;
  messages_stored: number;
}

async function lastEvent(): Promise<EventRow> {
  const rows = await t.db.query<EventRow[]>(
    `SELECT * FROM webhook_events ORDER BY id DESC LIMIT 1`,
  );
  return rows[0];
}

async function eventCount(): Promise<number> {
  const rows = await t.db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM webhook_events`);
  return rows[0].n;
}

async function messagesWithWamid(wamid: string): Promise<{ id: number; content: string | null }[]> {
  return await t.db.query<
    {
      id: number;
      content: string | null;
    }[]
  >(`SELECT id, content FROM messages WHERE wa_message_id = $1`, [wamid]);
}

describe('GET /api/webhook (verification handshake)', () => {
  const verify = (query: Record<string, string>) => t.http.get('/api/webhook').query(query);

  it('answers the challenge as plain text when the verify token matches', async () => {
    const res = await verify({
      'hub.mode': 'subscribe',
      'hub.verify_token': TEST_VERIFY_TOKEN,
      'hub.challenge': '1158201444',
    }).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toBe('1158201444');
  });

  it('answers 403 when the verify token is wrong', async () => {
    await verify({
      'hub.mode': 'subscribe',
      'hub.verify_token': 'nope',
      'hub.challenge': '1',
    }).expect(403);
  });

  it('answers 403 when the mode is not subscribe', async () => {
    await verify({
      'hub.mode': 'unsubscribe',
      'hub.verify_token': TEST_VERIFY_TOKEN,
      'hub.challenge': '1',
    }).expect(403);
  });

  it('answers 400 when a parameter is missing', async () => {
    await verify({ 'hub.mode': 'subscribe', 'hub.verify_token': TEST_VERIFY_TOKEN }).expect(400);
    await verify({ 'hub.mode': 'subscribe', 'hub.challenge': '1' }).expect(400);
    await verify({}).expect(400);
  });

  it('needs no token (Meta calls it)', async () => {
    const res = await verify({
      'hub.mode': 'subscribe',
      'hub.verify_token': TEST_VERIFY_TOKEN,
      'hub.challenge': 'x',
    });
    expect(res.status).toBe(200);
  });
});

describe('POST /api/webhook signature', () => {
  it('stores a correctly signed notification and answers the message id after commit', async () => {
    const from = customerWaId();
    const message = metaMessage(from, META_TYPES.text('Hello!'));
    const res = await postWebhook(t, inboundNotification(from, 'John Smith', message)).expect(200);

    const stored = await messagesWithWamid(message.id as string);
    expect(res.body).toEqual({ status: 'ok', message_id: stored[0].id });
    const event = await lastEvent();
    expect(event).toMatchObject({
      outcome: 'processed',
      signature_valid: true,
      messages_stored: 1,
      error: null,
    });
  });

  it('answers 401 and stores nothing when the signature header is missing', async () => {
    const from = customerWaId();
    const message = metaMessage(from, META_TYPES.text('unsigned'));
    const before = await eventCount();
    const res = await t.http
      .post('/api/webhook')
      .set('Content-Type', 'application/json')
      .send(serializeLikeMeta(inboundNotification(from, 'X', message)))
      .expect(401);
    expect(res.body).toMatchObject({ status_code: 401, code: 'invalid_signature' });
    expect(await messagesWithWamid(message.id as string)).toHaveLength(0);
    expect(await eventCount()).toBe(before);
  });

  it('answers 401 and stores nothing when the signature is wrong', async () => {
    const from = customerWaId();
    const message = metaMessage(from, META_TYPES.text('forged'));
    const before = await eventCount();
    await postWebhook(t, inboundNotification(from, 'X', message), 'not-the-app-secret').expect(401);
    const { body, headers } = signedWebhook(inboundNotification(from, 'X', message));
    await t.http
      .post('/api/webhook')
      .set({ ...headers, 'X-Hub-Signature-256': 'sha256=deadbeef' })
      .send(body)
      .expect(401);
    expect(await messagesWithWamid(message.id as string)).toHaveLength(0);
    expect(await eventCount()).toBe(before);
  });

  it('verifies the raw bytes, not re-serialised JSON, with non-English text (Cyrillic and emoji)', async () => {
    const from = customerWaId();
    const text = 'Привет! Где мой заказ? 📦🙂';
    const message = metaMessage(from, META_TYPES.text(text));
    const payload = inboundNotification(from, 'Анна Петрова', message);
    const raw = serializeLikeMeta(payload);
    expect(raw).toContain('\\u041f\\u0440\\u0438'); // Meta escapes non-ASCII…
    expect(raw).toContain('\\ud83d\\udce6'); // …emoji as surrogate pairs.

    // A signature over JSON.stringify of the parsed payload is a different HMAC: refused.
    await t.http
      .post('/api/webhook')
      .set({
        'Content-Type': 'application/json',
        'X-Hub-Signature-256': signatureOf(JSON.stringify(payload)),
      })
      .send(raw)
      .expect(401);
    expect(await messagesWithWamid(message.id as string)).toHaveLength(0);

    // Over the bytes as sent: accepted, and the text arrives intact.
    await t.http
      .post('/api/webhook')
      .set({ 'Content-Type': 'application/json', 'X-Hub-Signature-256': signatureOf(raw) })
      .send(raw)
      .expect(200);
    expect(await messagesWithWamid(message.id as string)).toEqual([
      expect.objectContaining({ content: text }),
    ]);
    const contacts = await t.db.query<
      {
        profile_name: string;
      }[]
    >(`SELECT profile_name FROM contacts WHERE wa_id = $1`, [from]);
    expect(contacts).toEqual([{ profile_name: 'Анна Петрова' }]);
  });

  it('keeps the exact signed bytes, so a stored event can be verified again', async () => {
    const from = customerWaId();
    const { body, headers } = signedWebhook(
      inboundNotification(from, 'Zoë', metaMessage(from, META_TYPES.text('ß'))),
    );
    await t.http.post('/api/webhook').set(headers).send(body).expect(200);
    const event = await lastEvent();
    expect(event.raw_body?.toString('utf8')).toBe(body);
    expect(signatureOf(event.raw_body as Buffer)).toBe(headers['X-Hub-Signature-256']);
  });
});

describe('POST /api/webhook answers', () => {
  it('answers 400 to a body that is not JSON', async () => {
    const raw = '{"object": "whatsapp_business_account", "entry": [';
    const res = await t.http
      .post('/api/webhook')
      .set({ 'Content-Type': 'application/json', 'X-Hub-Signature-256': signatureOf(raw) })
      .send(raw)
      .expect(400);
    expect((res.body as { message: string }).message).toMatch(/not valid JSON/);
  });

  it('answers 400 to a body not sent as JSON', async () => {
    const raw = 'object=whatsapp_business_account';
    const res = await t.http
      .post('/api/webhook')
      .set({ 'Content-Type': 'text/plain', 'X-Hub-Signature-256': signatureOf(raw) })
      .send(raw)
      .expect(400);
    expect(res.body).toMatchObject({
      status_code: 400,
      message: 'The webhook body must be JSON sent as Content-Type: application/json',
    });
  });

  it('answers 400 to a form-encoded body, which the parser reads but Meta never sends', async () => {
    const raw = 'object=whatsapp_business_account&entry=1';
    const before = await eventCount();
    const res = await t.http
      .post('/api/webhook')
      .set({
        'Content-Type': 'application/x-www-form-urlencoded',
        'X-Hub-Signature-256': signatureOf(raw),
      })
      .send(raw)
      .expect(400);
    expect(res.body).toMatchObject({
      message: 'The webhook body must be JSON sent as Content-Type: application/json',
    });
    expect(await eventCount()).toBe(before);
  });

  it('answers JSON with the request id, as every route does', async () => {
    const from = customerWaId();
    const payload = inboundNotification(from, 'Ids', metaMessage(from, META_TYPES.text('id')));
    const given = await postWebhook(t, payload).set('X-Request-Id', 'meta-delivery-7').expect(200);
    expect(given.headers['x-request-id']).toBe('meta-delivery-7');
    expect(given.headers['content-type']).toBe('application/json; charset=utf-8');
    // Security headers too (helmet runs for every request).
    expect(given.headers['x-content-type-options']).toBe('nosniff');
    const made = await postWebhook(t, payload).expect(200);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(made.body).toEqual(given.body);
    // An error answer carries its id as well.
    const refused = await t.http
      .post('/api/webhook')
      .set({ 'Content-Type': 'application/json', 'X-Request-Id': 'meta-delivery-8' })
      .send(JSON.stringify(payload))
      .expect(401);
    expect(refused.headers['x-request-id']).toBe('meta-delivery-8');
  });

  it('answers 413 to a body over the size limit', async () => {
    const payload = metaNotification({ messages: [{ padding: 'x'.repeat(6 * 1024 * 1024) }] });
    await postWebhook(t, payload).expect(413);
  });

  it('answers 200 to an object other than whatsapp_business_account, keeping it raw and deriving nothing', async () => {
    const payload = { object: 'page', entry: [{ id: '1', time: 1, messaging: [] }] };
    const res = await postWebhook(t, payload).expect(200);
    expect(res.body).toEqual({ status: 'ok', message_id: null });
    const event = await lastEvent();
    expect(event.outcome).toBe('ignored');
    expect(event.error).toMatch(/object is "page"/);
    expect(event.payload).toEqual(payload);
  });

  it('answers 200 to JSON of an unexpected shape, keeping it raw', async () => {
    for (const payload of [
      { hello: 'world' },
      [1, 2, 3],
      { object: 'whatsapp_business_account', entry: 'not-a-list' },
      {
        object: 'whatsapp_business_account',
        entry: [{ changes: [{ field: 'messages', value: 42 }] }],
      },
    ]) {
      const res = await postWebhook(t, payload).expect(200);
      expect(res.body).toEqual({ status: 'ok', message_id: null });
      const event = await lastEvent();
      expect(event.outcome).toBe('ignored');
      expect(event.payload).toEqual(payload);
    }
  });

  it('answers 200 to other webhook fields (template status updates), keeping them raw', async () => {
    const payload = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          time: 1739321024,
          changes: [
            {
              field: 'message_template_status_update',
              value: {
                event: 'APPROVED',
                message_template_id: 1,
                message_template_name: 'order_update',
              },
            },
          ],
        },
      ],
    };
    await postWebhook(t, payload).expect(200);
    expect(await lastEvent()).toMatchObject({ outcome: 'ignored' });
  });

  it('answers 200 for an unknown phone_number_id, keeping the event raw and storing no message', async () => {
    const from = customerWaId();
    const message = metaMessage(from, META_TYPES.text('to a number nobody registered'));
    const payload = metaNotification({
      phoneNumberId: '999000111222333',
      contacts: [{ wa_id: from }],
      messages: [message],
    });
    const res = await postWebhook(t, payload).expect(200);
    expect(res.body).toEqual({ status: 'ok', message_id: null });
    const event = await lastEvent();
    expect(event.outcome).toBe('unknown_number');
    expect(event.error).toContain('999000111222333');
    expect(event.payload).toEqual(payload);
    expect(await messagesWithWamid(message.id as string)).toHaveLength(0);
  });

  it('stores the valid items of a batch with malformed ones, reporting the rest', async () => {
    const from = customerWaId();
    const good = metaMessage(from, META_TYPES.text('fine'));
    const badTimestamp = metaMessage(from, META_TYPES.text('when?'), {
      timestamp: { seconds: 'soon' },
    });
    const wrongTypes = metaMessage(from, { type: 'text', text: { body: ['not', 'a', 'string'] } });
    const payload = metaNotification({
      contacts: [{ profile: { name: 42 }, wa_id: from }],
      messages: [null, 'garbage', { type: 'text' }, good, badTimestamp, wrongTypes],
      statuses: [{ status: 'read' }, 7],
    });
    const res = await postWebhook(t, payload).expect(200);

    const stored = await t.db.query<
      { wa_message_id: string; content: string | null; timestamp: Date }[]
    >(
      `SELECT wa_message_id, content, timestamp FROM messages WHERE wa_message_id = ANY($1) ORDER BY id`,
      [[good.id, badTimestamp.id, wrongTypes.id]],
    );
    expect(stored.map((m) => m.wa_message_id).sort()).toEqual(
      [good.id, badTimestamp.id, wrongTypes.id].sort(),
    );
    expect(stored.find((m) => m.wa_message_id === wrongTypes.id)?.content).toBeNull();
    expect((res.body as { message_id: number }).message_id).toEqual(expect.any(Number));
    const event = await lastEvent();
    expect(event.outcome).toBe('processed');
    expect(event.messages_stored).toBe(3);
    expect(event.error).toContain('messages[0]: not an object');
    expect(event.error).toContain('messages[2]: no message id');
    expect(event.error).toContain('unreadable timestamp');
    expect(event.error).toContain('text.body');
    expect(event.error).toContain('statuses[0]');
  });

  it('stores text PostgreSQL cannot hold as is (NUL, unpaired surrogates), keeping the exact bytes raw', async () => {
    const from = customerWaId();
    const message = metaMessage(from, META_TYPES.text('nul \u0000 here, half an emoji \ud83d'));
    const { body, headers } = signedWebhook(inboundNotification(from, 'Odd', message));
    expect(body).toContain('\\u0000');
    await t.http.post('/api/webhook').set(headers).send(body).expect(200);
    expect(await messagesWithWamid(message.id as string)).toEqual([
      expect.objectContaining({ content: 'nul \ufffd here, half an emoji \ufffd' }),
    ]);
    expect((await lastEvent()).raw_body?.toString('utf8')).toBe(body);
  });

  it('registers WA_PHONE_NUMBER_ID to the first workspace and learns its display number from Meta', async () => {
    const rows = await t.db.query<unknown[]>(
      `SELECT workspace_id, business_account_id, display_phone_number, from_environment
         FROM whatsapp_numbers WHERE phone_number_id = '106540352242922'`,
    );
    expect(rows).toEqual([
      {
        workspace_id: workspaceId,
        business_account_id: '102290129340398',
        display_phone_number: '15550783881',
        from_environment: true,
      },
    ]);
  });

  it('routes each change to the workspace that owns its number', async () => {
    const other = await createUser(t);
    const otherWorkspace = await workspaceOf(t, other);
    await t.db.query(
      `INSERT INTO whatsapp_numbers (workspace_id, phone_number_id, display_phone_number) VALUES ($1, '200000000000002', '15550000002')`,
      [otherWorkspace],
    );
    const a = customerWaId();
    const b = customerWaId();
    const toFirst = metaMessage(a, META_TYPES.text('for the first workspace'));
    const toSecond = metaMessage(b, META_TYPES.text('for the second workspace'));
    await postWebhook(
      t,
      metaNotification(
        { contacts: [{ profile: { name: 'A' }, wa_id: a }], messages: [toFirst] },
        {
          phoneNumberId: '200000000000002',
          contacts: [{ profile: { name: 'B' }, wa_id: b }],
          messages: [toSecond],
        },
      ),
    ).expect(200);

    const rows = await t.db.query<{ wa_message_id: string; workspace_id: number }[]>(
      `SELECT wa_message_id, workspace_id FROM messages WHERE wa_message_id = ANY($1)`,
      [[toFirst.id, toSecond.id]],
    );
    expect(Object.fromEntries(rows.map((r) => [r.wa_message_id, r.workspace_id]))).toEqual({
      [toFirst.id as string]: workspaceId,
      [toSecond.id as string]: otherWorkspace,
    });
  });
});
