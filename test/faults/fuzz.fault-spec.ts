import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createTestApp, type TestApp } from '../support/app.js';
import { createUser, type RegisteredUser } from '../support/factories.js';
import { listen } from '../support/sse.js';
import {
  customerWaId,
  inboundNotification,
  META_TYPES,
  metaContact,
  metaMessage,
  metaNotification,
  postWebhook,
  signatureOf,
  webhookEnv,
} from '../support/meta.js';

// Property-based fuzzing (fast-check): random and mutated Meta payloads and random API
// query parameters. Never a 500 (Meta would retry a 5xx forever; a 500 on the API is a
// bug), never a crash, and the valid parts of a mutated payload are still stored.

let t: TestApp;
let user: RegisteredUser;
let baseUrl: string;
beforeAll(async () => {
  t = await createTestApp(webhookEnv());
  user = await createUser(t);
  baseUrl = await listen(t);
});
afterAll(async () => {
  await t.close();
});

const RUNS = Number(process.env.FUZZ_RUNS ?? 120);
const tally = new Map<string, number>();
const count = (what: string, status: number): void => {
  const key = `${what}:${status}`;
  tally.set(key, (tally.get(key) ?? 0) + 1);
};
afterAll(() => {
  console.log(
    `[fault:fuzz] runs=${RUNS} statuses ${JSON.stringify(Object.fromEntries([...tally].sort()))}`,
  );
});

/** Hostile strings: SQL and HTML metacharacters, long ones, lone surrogates, NUL. */
const hostile = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom(
    "' OR 1=1 --",
    "'; DROP TABLE messages; --",
    '"',
    '\\',
    '%',
    '_',
    '%_%',
    '$1',
    '\u0000',
    '\ud800',
    'a\udfffb',
    '<script>alert(1)</script>',
    '../../etc/passwd',
    '-1',
    '1e309',
    '9'.repeat(40),
    'NaN',
    'x'.repeat(10_000),
  ),
);

/** Percent-encodes even lone surrogates (as their WTF-8 bytes), which encodeURIComponent refuses. */
function encode(s: string): string {
  let out = '';
  for (const ch of s) {
    try {
      out += encodeURIComponent(ch);
    } catch {
      const c = ch.charCodeAt(0);
      out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    }
  }
  return out;
}

const rawQueryValue = fc.oneof(
  hostile.map(encode),
  fc.constantFrom('%', '%zz', '%FF%FE', '%ED%A0%80', '%C0%AF', '%00'),
);

const ROUTES: { path: string; params: string[] }[] = [
  { path: '/api/conversations', params: ['status', 'q', 'limit', 'skip'] },
  { path: '/api/contacts', params: ['q', 'limit', 'skip'] },
  { path: '/api/messages', params: ['contact_id', 'conversation_id', 'limit', 'skip'] },
  { path: '/api/conversations/1/messages', params: ['limit', 'skip'] },
  { path: '/api/stats/daily', params: ['days'] },
  { path: '/api/webhook-events/unknown-numbers', params: ['limit', 'skip'] },
  { path: '/api/webhook', params: ['hub.mode', 'hub.verify_token', 'hub.challenge'] },
];

describe('fuzz: API query parameters', () => {
  it('answers every random query with a 2xx or 4xx, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        fc.array(fc.tuple(fc.nat(), rawQueryValue), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        async (route, pairs, extraUnknown) => {
          const parts = pairs.map(([i, v]) => `${route.params[i % route.params.length]}=${v}`);
          if (extraUnknown) parts.push('unknown_param=1');
          const res = await t.http.get(`${route.path}?${parts.join('&')}`).set(user.auth);
          count(`query ${route.path}`, res.status);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });

  it('answers random path ids with a 4xx, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(rawQueryValue, async (id) => {
        for (const path of [
          `/api/conversations/${id}`,
          `/api/conversations/${id}/messages`,
          `/api/messages/${id}/media`,
        ]) {
          const res = await t.http.get(path).set(user.auth);
          count('path id', res.status);
          expect(res.status).toBeLessThan(500);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('fuzz: webhook payloads', () => {
  it('never answers 500 to random signed JSON', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (payload) => {
        const res = await postWebhook(t, payload);
        count('random json', res.status);
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: RUNS },
    );
  });

  it('never answers 500 to random signed bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), async (bytes) => {
        // Node's fetch sends the bytes as they are (supertest would JSON-encode a Buffer).
        const body = Buffer.from(bytes);
        const res = await fetch(`${baseUrl}/api/webhook`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signatureOf(body) },
          body,
        });
        await res.arrayBuffer();
        count('random bytes', res.status);
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: RUNS },
    );
  });

  // Paths into a message object, and what to do there.
  const MESSAGE_PATHS = [
    'id',
    'from',
    'timestamp',
    'type',
    'text',
    'text.body',
    'context',
    'image',
    'errors',
    'referral',
  ];
  const mutation = fc.record({
    path: fc.constantFrom(...MESSAGE_PATHS),
    action: fc.constantFrom('delete', 'replace'),
    value: fc.oneof(fc.jsonValue(), hostile),
  });

  function mutate(
    target: Record<string, unknown>,
    m: { path: string; action: string; value: unknown },
  ): void {
    const keys = m.path.split('.');
    let node: Record<string, unknown> = target;
    for (const k of keys.slice(0, -1)) {
      if (typeof node[k] !== 'object' || node[k] === null) node[k] = {};
      node = node[k] as Record<string, unknown>;
    }
    const last = keys[keys.length - 1];
    if (m.action === 'delete') delete node[last];
    else node[last] = m.value;
  }

  it('stores the valid message of a payload whose other message is mutated, never a 500', async () => {
    let storedValid = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        hostile,
        async (mutations, text) => {
          const from = customerWaId();
          const valid = metaMessage(from, META_TYPES.text(`valid part ${text}`));
          const broken = metaMessage(from, META_TYPES.text('to be mutated'));
          for (const m of mutations) mutate(broken, m);
          const payload = metaNotification({
            contacts: [metaContact(from, 'Fuzz')],
            messages: [valid, broken],
          });
          const res = await postWebhook(t, payload);
          count('mutated message', res.status);
          expect(res.status).toBeLessThan(500);
          const rows = await t.db.query<{ n: string }[]>(
            `SELECT count(*) AS n FROM messages WHERE wa_message_id = $1`,
            [valid.id],
          );
          expect(Number(rows[0].n)).toBe(1);
          storedValid += 1;
        },
      ),
      { numRuns: RUNS },
    );
    console.log(`[fault:fuzz] mutated payloads: valid part stored in ${storedValid}/${RUNS}`);
  });

  it('never answers 500 when the envelope (entry, changes, metadata, contacts) is mutated', async () => {
    const ENVELOPE_PATHS = [
      'object',
      'entry',
      'entry.0.id',
      'entry.0.changes',
      'entry.0.changes.0.field',
      'entry.0.changes.0.value',
      'entry.0.changes.0.value.metadata',
      'entry.0.changes.0.value.metadata.phone_number_id',
      'entry.0.changes.0.value.contacts',
      'entry.0.changes.0.value.contacts.0.wa_id',
      'entry.0.changes.0.value.contacts.0.profile.name',
      'entry.0.changes.0.value.messages',
      'entry.0.changes.0.value.statuses',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            path: fc.constantFrom(...ENVELOPE_PATHS),
            action: fc.constantFrom('delete', 'replace'),
            value: fc.oneof(fc.jsonValue(), hostile),
          }),
          { minLength: 1, maxLength: 3 },
        ),
        async (mutations) => {
          const from = customerWaId();
          const payload = inboundNotification(
            from,
            'Envelope',
            metaMessage(from, META_TYPES.text('hello')),
          );
          for (const m of mutations) mutate(payload, m);
          const res = await postWebhook(t, payload);
          count('mutated envelope', res.status);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: RUNS },
    );
    // Still healthy afterwards.
    await t.http.get('/api/health').expect(200);
  });
});
