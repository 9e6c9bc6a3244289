import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestApp } from '../support/app.js';
import { createAppBehindProxy, type AppBehindProxy } from '../support/app-behind-proxy.js';
import { createUser } from '../support/factories.js';
import {
  customerWaId,
  inboundNotification,
  META_TYPES,
  metaMessage,
  signedWebhook,
  webhookEnv,
} from '../support/meta.js';
import type { TcpProxy } from '../support/tcp-proxy.js';

// The database goes away under a running server (connections cut, new ones refused) and
// comes back: Meta gets 503 meanwhile, retries, and the message is stored — once.

let t: TestApp;
let proxy: TcpProxy;
let app: AppBehindProxy;

beforeAll(async () => {
  app = await createAppBehindProxy(webhookEnv());
  ({ t, proxy } = app);
  await createUser(t);
});
afterAll(async () => {
  await app.close();
});

describe('POST /api/webhook while the database is down', () => {
  it('answers 503 while the database is unreachable, then stores the retried delivery once', async () => {
    const from = customerWaId();
    const message = metaMessage(from, META_TYPES.text('sent during the outage'));
    const { body, headers } = signedWebhook(inboundNotification(from, 'Outage', message));
    const post = () => t.http.post('/api/webhook').set(headers).send(body);

    await proxy.stop();
    const during = await post();
    expect(during.status).toBe(503);
    expect(during.body).toMatchObject({ status_code: 503, code: 'database_unavailable' });
    // Meta retries; it is still down.
    expect((await post()).status).toBe(503);

    await proxy.start();
    const after = await post();
    expect(after.status).toBe(200);
    const again = await post();
    expect(again.status).toBe(200);

    const rows = await t.db.query<
      {
        id: number;
        content: string;
      }[]
    >(`SELECT id, content FROM messages WHERE wa_message_id = $1`, [message.id]);
    expect(rows).toEqual([{ id: expect.any(Number), content: 'sent during the outage' }]);
    expect(after.body).toEqual({ status: 'ok', message_id: rows[0].id });
    expect(again.body).toEqual({ status: 'ok', message_id: rows[0].id });
    // Nothing was half-written during the outage: only the two accepted deliveries are logged.
    const events = await t.db.query<{ outcome: string }[]>(`SELECT outcome FROM webhook_events`);
    expect(events).toEqual([{ outcome: 'processed' }, { outcome: 'processed' }]);
  });
});
