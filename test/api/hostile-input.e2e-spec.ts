import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../support/app.js';
import { buildRegistration, createUser, type RegisteredUser } from '../support/factories.js';
import {
  customerWaId,
  inboundNotification,
  META_TYPES,
  metaMessage,
  postWebhook,
  webhookEnv,
} from '../support/meta.js';

// Hostile input: SQL metacharacters in every query parameter, very long strings, NUL and
// lone surrogates in bodies and names. Each is refused with a 4xx or stored safely; never a 500.

let t: TestApp;
let user: RegisteredUser;
let conversationId: number;
let customer: string;
beforeAll(async () => {
  // Sends stay queued (no worker): only the API's answer matters here.
  t = await createTestApp(
    webhookEnv({
      WA_ACCESS_TOKEN: 'test-access-token',
      QUEUE_CONCURRENCY: '0',
      LOG_LEVEL: 'error',
    }),
  );
  user = await createUser(t);
  customer = customerWaId();
  await postWebhook(
    t,
    inboundNotification(customer, 'Alice', metaMessage(customer, META_TYPES.text('hi'))),
  ).expect(200);
  const list = await t.http.get('/api/conversations').set(user.auth).expect(200);
  conversationId = (list.body as { conversations: { id: number }[] }).conversations[0].id;
});
afterAll(async () => {
  await t.close();
});

const SQL = [
  "' OR 1=1 --",
  "'; DROP TABLE messages; --",
  '" OR ""="',
  '1; SELECT pg_sleep(5)',
  "1' UNION SELECT hashed_password FROM users --",
  '%',
  '_',
  '\\',
  '$1',
  '1e999',
  '-1',
  '99999999999999999999',
];
// Already percent-encoded: NUL, a lone surrogate as WTF-8, overlong UTF-8, a broken escape.
const RAW = ['%00', '%ED%A0%80', '%C0%AF', '%FF%FE', '%', `${'x'.repeat(10_000)}`];
const PARAMS: [string, string[]][] = [
  ['/api/conversations', ['status', 'q', 'limit', 'skip']],
  ['/api/contacts', ['q', 'limit', 'skip']],
  ['/api/messages', ['contact_id', 'conversation_id', 'limit', 'skip']],
  [`/api/conversations/{id}/messages`, ['limit', 'skip']],
  ['/api/stats/daily', ['days']],
  ['/api/webhook-events/unknown-numbers', ['limit', 'skip']],
  ['/api/webhook', ['hub.mode', 'hub.verify_token', 'hub.challenge']],
];

describe('hostile query parameters', () => {
  it('answers every route and parameter with SQL metacharacters, long and bad-unicode values without a 500', async () => {
    const seen = new Map<number, number>();
    for (const [route, params] of PARAMS) {
      const path = route.replace('{id}', String(conversationId));
      for (const param of params) {
        for (const value of [...SQL.map(encodeURIComponent), ...RAW]) {
          const res = await t.http.get(`${path}?${param}=${value}`).set(user.auth);
          seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
          if (res.status >= 500) {
            throw new Error(`${res.status} for ${path}?${param}=${value.slice(0, 40)}`);
          }
        }
      }
    }
    expect([...seen.keys()].every((s) => s < 500)).toBe(true);
  });

  it('treats SQL in a search as text: no rows, no error, tables intact', async () => {
    // ('-1' and the long number are left out: digits search phone numbers.)
    for (const q of SQL.filter((x) => !/^-?\d+$/.test(x))) {
      const res = await t.http.get('/api/conversations').query({ q }).set(user.auth);
      expect([200, 422]).toContain(res.status);
      if (res.status === 200) {
        expect((res.body as { conversations: unknown[] }).conversations).toEqual([]);
      }
    }
    const [{ n }] = await t.db.query<{ n: string }[]>('SELECT count(*) AS n FROM messages');
    expect(Number(n)).toBeGreaterThan(0);
  });

  it('answers hostile path ids with a 4xx', async () => {
    for (const id of [
      "1'",
      '1;DROP',
      '%00',
      '%ED%A0%80',
      '9'.repeat(30),
      '-1',
      '1.5',
      'x'.repeat(5000),
    ]) {
      for (const path of [
        `/api/conversations/${id}`,
        `/api/conversations/${id}/messages`,
        `/api/messages/${id}/media`,
      ]) {
        const res = await t.http.get(path).set(user.auth);
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
      }
    }
  });
});

describe('hostile bodies and names', () => {
  // Bodies are raw JSON text, so lone surrogates and NUL travel as JSON escapes.
  it('registers or refuses names with lone surrogates, NUL, HTML and 10k characters, never 500', async () => {
    for (const name of [
      '\\ud800',
      'a\\udfffb',
      'nul\\u0000name',
      '<img src=x onerror=alert(1)>',
      'x'.repeat(10_000),
    ]) {
      const reg = buildRegistration();
      const res = await t.http
        .post('/api/auth/register')
        .set('Content-Type', 'application/json')
        .send(`{"email":"${reg.email}","password":"${reg.password}","name":"${name}"}`);
      expect([200, 422]).toContain(res.status);
    }
  });

  it('renames with hostile names: 200 stored as text or 422', async () => {
    for (const name of [
      '\\ud800',
      'nul\\u0000',
      "Robert'); DROP TABLE users;--",
      '<script>x</script>',
    ]) {
      const res = await t.http
        .put('/api/auth/me')
        .set(user.auth)
        .set('Content-Type', 'application/json')
        .send(`{"name":"${name}"}`);
      expect([200, 422]).toContain(res.status);
    }
    const me = await t.http.get('/api/auth/me').set(user.auth).expect(200);
    expect((me.body as { name: string }).name).toBe('<script>x</script>');
  });

  it('renames a contact with hostile names: 200 stored as text or 4xx, never 500', async () => {
    const contacts = await t.http.get('/api/contacts').set(user.auth).expect(200);
    const contactId = (contacts.body as { contacts: { id: number }[] }).contacts[0].id;
    for (const name of ['\\ud800', 'nul\\u0000', 'a\\udfffb', "x'); DROP TABLE contacts;--"]) {
      const res = await t.http
        .patch(`/api/contacts/${contactId}`)
        .set(user.auth)
        .set('Content-Type', 'application/json')
        .send(`{"name":"${name}"}`);
      expect([200, 400, 422]).toContain(res.status);
    }
    const after = await t.http.get('/api/contacts').set(user.auth).expect(200);
    expect((after.body as { contacts: { name: string }[] }).contacts[0].name).toBe(
      "x'); DROP TABLE contacts;--",
    );
  });

  it('queues or refuses hostile message text, never 500', async () => {
    for (const text of [
      '\\ud800',
      'nul\\u0000',
      "'; DROP TABLE messages; --",
      'x'.repeat(5000),
      'y'.repeat(100_000),
    ]) {
      const res = await t.http
        .post(`/api/conversations/${conversationId}/messages`)
        .set(user.auth)
        .set('Content-Type', 'application/json')
        .send(`{"text":"${text}"}`);
      expect([202, 413, 422]).toContain(res.status);
    }
  });

  it('stores webhook names and texts with lone surrogates, NUL, HTML and 60k characters safely', async () => {
    const from = customerWaId();
    const texts = [
      '\ud800 lone',
      'nul \u0000 byte',
      '<script>alert(1)</script>',
      'z'.repeat(60_000),
    ];
    const messages = texts.map((text) => metaMessage(from, META_TYPES.text(text)));
    await postWebhook(
      t,
      inboundNotification(from, '\udfff<b>Mallory</b>\u0000', ...messages),
    ).expect(200);
    const rows = await t.db.query<{ wa_message_id: string; content: string }[]>(
      `SELECT wa_message_id, content FROM messages WHERE wa_message_id = ANY($1)`,
      [messages.map((m) => m.id)],
    );
    expect(rows).toHaveLength(texts.length);
    const stored = (i: number): string =>
      rows.find((r) => r.wa_message_id === messages[i].id)?.content ?? '';
    // A lone surrogate becomes U+FFFD; NUL is dropped or replaced; the rest is kept as text.
    expect(stored(0)).toMatch(/lone$/);
    expect(stored(1)).toMatch(/^nul .*byte$/);
    expect(stored(2)).toBe('<script>alert(1)</script>');
    expect(stored(3)).toHaveLength(60_000);
    const [contact] = await t.db.query<{ profile_name: string }[]>(
      `SELECT profile_name FROM contacts WHERE wa_id = $1`,
      [from],
    );
    expect(contact.profile_name).toContain('<b>Mallory</b>');
  });
});
