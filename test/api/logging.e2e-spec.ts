import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { startServerProcess, stopServerProcess, type ServerProcess } from '../faults/support.js';
import { TEST_SECRET } from '../support/app.js';
import { createTestDatabase, dropTestDatabase } from '../support/db.js';
import {
  customerWaId,
  inboundNotification,
  META_TYPES,
  metaMessage,
  signedWebhook,
  TEST_APP_SECRET,
  TEST_VERIFY_TOKEN,
} from '../support/meta.js';

// The compiled server's real pino output (stdout of a child process): every request line
// carries its request id, and no password, token or secret ever appears in it.

let databaseUrl: string;
let server: ServerProcess;
beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  server = await startServerProcess(databaseUrl, { LOG_LEVEL: 'info' });
});
afterAll(async () => {
  await stopServerProcess(server);
  await dropTestDatabase(databaseUrl);
});

const json = { 'Content-Type': 'application/json' };

describe('structured logs', () => {
  it('log request ids and never passwords, tokens, signatures or secrets', async () => {
    const email = `log-${Date.now()}@example.com`;
    const password = 'Pa55word-that-must-not-leak';
    const newPassword = 'N3w-password-that-must-not-leak';
    await fetch(`${server.url}/api/auth/register`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email, password, name: 'Logger' }),
    });
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { ...json, 'X-Request-Id': 'login-req-1' },
      body: JSON.stringify({ email, password }),
    });
    expect(login.headers.get('x-request-id')).toBe('login-req-1');
    const { access_token: token } = (await login.json()) as { access_token: string };
    const me = await fetch(`${server.url}/api/auth/me`, {
      // As a load balancer on loopback (trusted by default) would forward it.
      headers: {
        Authorization: `Bearer ${token}`,
        'X-Request-Id': 'me-req-42',
        'X-Forwarded-For': '203.0.113.77',
      },
    });
    expect(me.status).toBe(200);
    const changed = await fetch(`${server.url}/api/auth/password`, {
      method: 'PUT',
      headers: { ...json, Authorization: `Bearer ${token}` },
      body: JSON.stringify({ current_password: password, new_password: newPassword }),
    });
    expect(changed.status).toBe(200);
    const { access_token: newToken } = (await changed.json()) as { access_token: string };
    // A wrong login is logged (401) without the password tried.
    await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email, password: 'Wr0ng-guess-that-must-not-leak' }),
    });
    const from = customerWaId();
    const hook = signedWebhook(
      inboundNotification(from, 'Log', metaMessage(from, META_TYPES.text('hi'))),
    );
    await fetch(`${server.url}/api/webhook`, {
      method: 'POST',
      headers: hook.headers,
      body: hook.body,
    });
    await fetch(`${server.url}/api/webhook`, {
      method: 'POST',
      headers: { ...hook.headers, 'X-Hub-Signature-256': `sha256=${'0'.repeat(64)}` },
      body: hook.body,
    });
    // Refused by the JSON parser, before the request logger: the filter's line tells it.
    await fetch(`${server.url}/api/webhook`, {
      method: 'POST',
      headers: json,
      body: '{"object": "whatsapp_business_account", "entry": [',
    });
    await fetch(
      `${server.url}/api/webhook?hub.mode=subscribe&hub.verify_token=${TEST_VERIFY_TOKEN}&hub.challenge=123`,
    );
    // The event stream takes the token in the query string.
    const events = await fetch(`${server.url}/api/events?access_token=${newToken}`, {
      signal: AbortSignal.timeout(500),
    }).catch(() => undefined);
    await events?.body?.cancel().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));

    const out = server.output();
    const lines = out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map(
        (l) =>
          JSON.parse(l) as {
            req?: { id?: string; method?: string; url?: string; clientIp?: string };
            res?: { statusCode?: number };
            responseTime?: unknown;
            msg?: string;
          },
      );
    const meLine = lines.find((l) => l.req?.id === 'me-req-42');
    expect(meLine?.req?.url).toBe('/api/auth/me');
    // The client behind the proxy, the address rate limits count.
    expect(meLine?.req?.clientIp).toBe('203.0.113.77');
    const requestLines = lines.filter((l) => l.req?.url);
    expect(requestLines.length).toBeGreaterThan(5);
    for (const l of requestLines) expect(typeof l.req?.id).toBe('string');
    // Meta's deliveries get the same request line, stored and refused alike.
    const webhookLines = requestLines.filter(
      (l) => l.req?.method === 'POST' && l.req?.url === '/api/webhook',
    );
    expect(webhookLines.map((l) => [l.res?.statusCode, l.msg])).toEqual([
      [200, 'request completed'],
      [401, 'request completed'],
    ]);
    for (const l of webhookLines) expect(typeof l.responseTime).toBe('number');
    const refused = lines.filter((l) => l.msg?.startsWith('Request body refused (400)'));
    expect(refused.map((l) => l.msg)).toEqual([
      expect.stringContaining('POST /api/webhook: Request body is not valid JSON'),
    ]);
    console.log(`[logs] ${lines.length} JSON log lines, ${requestLines.length} with a request id`);
    for (const secret of [
      password,
      newPassword,
      'Wr0ng-guess-that-must-not-leak',
      token,
      newToken,
      token.split('.')[2],
      TEST_SECRET,
      TEST_APP_SECRET,
      hook.headers['X-Hub-Signature-256'],
      TEST_VERIFY_TOKEN,
    ]) {
      const at = out.indexOf(secret);
      expect(at === -1 ? '' : `leaked: ${out.slice(Math.max(0, at - 300), at + 80)}`).toBe('');
    }
  });
  it('logs a webhook whose sender stopped waiting as aborted, and still stores it', async () => {
    const from = customerWaId();
    const message = metaMessage(from, META_TYPES.text('slow day'));
    const hook = signedWebhook(inboundNotification(from, 'Patient', message));
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      // The raw-event insert waits for this lock, longer than the client waits for us.
      await db.query('BEGIN');
      await db.query('LOCK TABLE webhook_events IN EXCLUSIVE MODE');
      const outcome = await fetch(`${server.url}/api/webhook`, {
        method: 'POST',
        headers: { ...hook.headers, 'X-Request-Id': 'meta-gave-up' },
        body: hook.body,
        signal: AbortSignal.timeout(500),
      }).then(
        () => 'answered',
        () => 'gave up',
      );
      expect(outcome).toBe('gave up');
      await db.query('COMMIT');
      let stored = 0;
      for (let i = 0; i < 50 && stored === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const { rows } = await db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM messages WHERE wa_message_id = $1',
          [message.id],
        );
        stored = rows[0].n;
      }
      expect(stored).toBe(1);
    } finally {
      await db.end();
    }
    const line = server
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { req?: { id?: string }; msg?: string })
      .find((l) => l.req?.id === 'meta-gave-up');
    expect(line?.msg).toBe('request aborted');
  });
});
