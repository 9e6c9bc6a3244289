import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../support/app.js';
import { createUser } from '../support/factories.js';
import {
  customerWaId,
  inboundNotification,
  META_TYPES,
  metaMessage,
  serializeLikeMeta,
  webhookEnv,
} from '../support/meta.js';

// A file of its own: @nestjs/config copies validated settings into process.env, so an app
// with WA_APP_SECRET created earlier in the same file would lend this one its secret.

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp(webhookEnv({ WA_APP_SECRET: '' }));
  await createUser(t);
});
afterAll(async () => {
  await t.close();
});

describe('POST /api/webhook without an app secret (development)', () => {
  it('accepts unsigned notifications and marks them unverified', async () => {
    const from = customerWaId();
    const message = metaMessage(from, META_TYPES.text('unsigned in development'));
    const res = await t.http
      .post('/api/webhook')
      .set('Content-Type', 'application/json')
      .send(serializeLikeMeta(inboundNotification(from, 'Dev', message)))
      .expect(200);
    expect(res.body).toEqual({ status: 'ok', message_id: expect.any(Number) });
    const rows = await t.db.query<
      {
        signature_valid: boolean | null;
        outcome: string;
      }[]
    >(`SELECT signature_valid, outcome FROM webhook_events`);
    expect(rows).toEqual([{ signature_valid: null, outcome: 'processed' }]);
  });
});
