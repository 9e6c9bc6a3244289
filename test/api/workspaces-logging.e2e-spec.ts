import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startServerProcess, stopServerProcess, type ServerProcess } from '../faults/support.js';
import { createTestDatabase, dropTestDatabase } from '../support/db.js';
import {
  signedWebhook,
  inboundNotification,
  customerWaId,
  metaMessage,
  META_TYPES,
} from '../support/meta.js';

// The compiled server's real pino output while numbers are connected, tested, used to verify
// a webhook, and invites are created and redeemed: no token, secret or invite token in it.

const ACCESS_TOKEN = 'EAAL-log-access-token-must-not-leak';
const APP_SECRET = 'log-app-secret-must-not-leak-0123';
const VERIFY_TOKEN = 'log-verify-token-must-not-leak';
const PHONE_NUMBER_ID = '555000111222333';

let databaseUrl: string;
let server: ServerProcess;
beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  // An unreachable Graph API: "test connection" fails, and its failure is logged.
  server = await startServerProcess(databaseUrl, {
    LOG_LEVEL: 'debug',
    WA_API_BASE_URL: 'http://127.0.0.1:9',
  });
});
afterAll(async () => {
  await stopServerProcess(server);
  await dropTestDatabase(databaseUrl);
});

const json = { 'Content-Type': 'application/json' };

async function signUp(extra: object = {}): Promise<string> {
  const email = `log-team-${Date.now()}-${Math.random().toString(16).slice(2)}@example.com`;
  const password = 'team-password';
  const reg = await fetch(`${server.url}/api/auth/register`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ email, password, name: 'Logger', ...extra }),
  });
  expect(reg.status).toBe(200);
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ email, password }),
  });
  return ((await login.json()) as { access_token: string }).access_token;
}

describe('logs of team and number management', () => {
  it('never contain number secrets or invite tokens', async () => {
    const owner = { ...json, Authorization: `Bearer ${await signUp()}` };
    const created = await fetch(`${server.url}/api/whatsapp/numbers`, {
      method: 'POST',
      headers: owner,
      body: JSON.stringify({
        phone_number_id: PHONE_NUMBER_ID,
        business_account_id: '555000111222444',
        access_token: ACCESS_TOKEN,
        app_secret: APP_SECRET,
        verify_token: VERIFY_TOKEN,
      }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    const tested = await fetch(`${server.url}/api/whatsapp/numbers/${id}/test`, {
      method: 'POST',
      headers: owner,
    });
    expect(((await tested.json()) as { ok: boolean }).ok).toBe(false);
    const from = customerWaId();
    const hook = signedWebhook(
      (() => {
        const n = inboundNotification(from, 'Log', metaMessage(from, META_TYPES.text('hi')));
        const entry = (
          n.entry as { changes: { value: { metadata: { phone_number_id: string } } }[] }[]
        )[0];
        entry.changes[0].value.metadata.phone_number_id = PHONE_NUMBER_ID;
        return n;
      })(),
      APP_SECRET,
    );
    const delivered = await fetch(`${server.url}/api/webhook`, {
      method: 'POST',
      headers: hook.headers,
      body: hook.body,
    });
    expect(delivered.status).toBe(200);
    const handshake = await fetch(
      `${server.url}/api/webhook?hub.mode=subscribe&hub.challenge=7&hub.verify_token=${VERIFY_TOKEN}`,
    );
    expect(handshake.status).toBe(200);
    const invite = await fetch(`${server.url}/api/workspace/invites`, {
      method: 'POST',
      headers: owner,
      body: '{"max_uses":2}',
    });
    const { token } = (await invite.json()) as { token: string };
    await signUp({ invite_token: token });
    // The token in paths: the invite page's link (logged whether or not the client is
    // built), the API's preview and accept.
    await fetch(`${server.url}/invite/${token}`);
    expect((await fetch(`${server.url}/api/invites/${token}`)).status).toBe(200);
    const other = { ...json, Authorization: `Bearer ${await signUp()}` };
    const accepted = await fetch(`${server.url}/api/invites/${token}/accept`, {
      method: 'POST',
      headers: other,
    });
    expect(accepted.status).toBe(200);

    const out = server.output();
    expect(out).toContain('/api/whatsapp/numbers');
    for (const secret of [ACCESS_TOKEN, APP_SECRET, VERIFY_TOKEN, token]) {
      expect(out).not.toContain(secret);
    }
  });
});
