import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../support/app.js';
import { createUser } from '../support/factories.js';
import {
  customerWaId,
  inboundNotification,
  META_TYPES,
  metaContact,
  metaMessage,
  metaNotification,
  postWebhook,
  webhookEnv,
} from '../support/meta.js';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

let t: TestApp;
let other: TestApp;
beforeAll(async () => {
  t = await createTestApp(webhookEnv({ METRICS_TOKEN }));
  await createUser(t);
  // A second instance on the same database: its own counters, the same queue.
  other = await createTestApp(webhookEnv({ DATABASE_URL: t.databaseUrl }));
});
afterAll(async () => {
  await other.close();
  await t.close();
});

/** `name{labels} value` lines of a scrape, as a map. */
async function scrape(app: TestApp, auth = true): Promise<Map<string, number>> {
  const req = app.http.get('/api/metrics');
  if (auth && app === t) req.set('Authorization', `Bearer ${METRICS_TOKEN}`);
  const res = await req.expect(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  const out = new Map<string, number>();
  for (const line of res.text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

describe('GET /api/metrics', () => {
  it('refuses a scrape without the METRICS_TOKEN when one is set, and a wrong one', async () => {
    await t.http.get('/api/metrics').expect(401);
    await t.http.get('/api/metrics').set('Authorization', 'Bearer wrong').expect(401);
    await t.http.get('/api/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
  });

  it('is public when METRICS_TOKEN is unset', async () => {
    await other.http.get('/api/metrics').expect(200);
  });

  it('counts webhooks received, stored, rejected, duplicates and unknown numbers per instance', async () => {
    const before = await scrape(t);
    const from = customerWaId();
    const message = metaMessage(from, META_TYPES.text('count me'));
    const payload = inboundNotification(from, 'Counted', message);
    await postWebhook(t, payload).expect(200);
    await postWebhook(t, payload).expect(200); // Meta's retry: a duplicate
    await postWebhook(t, payload, 'not-the-app-secret').expect(401);
    // Refused by the body parser, before any route: counted all the same.
    await t.http
      .post('/api/webhook')
      .set('Content-Type', 'application/json')
      .send('{"object": "whatsapp_business_account", "entry": [')
      .expect(400);
    await postWebhook(
      t,
      metaNotification({
        phoneNumberId: '999000111',
        contacts: [metaContact(from)],
        messages: [metaMessage(from, META_TYPES.text('nobody owns this number'))],
      }),
    ).expect(200);
    const after = await scrape(t);
    const delta = (k: string): number => (after.get(k) ?? 0) - (before.get(k) ?? 0);
    expect(delta('nolose_webhooks_received_total')).toBe(5);
    expect(delta('nolose_webhooks_rejected_total{status="401"}')).toBe(1);
    expect(delta('nolose_webhooks_rejected_total{status="400"}')).toBe(1);
    expect(delta('nolose_webhooks_stored_total{outcome="processed"}')).toBe(2);
    expect(delta('nolose_webhooks_stored_total{outcome="unknown_number"}')).toBe(1);
    expect(delta('nolose_webhook_messages_stored_total')).toBe(1);
    expect(delta('nolose_webhook_duplicate_messages_total')).toBe(1);
    expect(delta('nolose_webhook_unknown_number_changes_total')).toBe(1);
    // Three stored webhooks (one after another: three transactions, none waited for a slot).
    expect(delta('nolose_webhook_commit_group_size_count')).toBe(3);
    expect(delta('nolose_webhook_commit_seconds_count')).toBe(3);
    expect(delta('nolose_webhook_commit_seconds_sum')).toBeGreaterThan(0);
    expect(delta('nolose_webhook_queue_seconds_count')).toBe(3);
    expect(delta('nolose_webhook_queue_seconds_bucket{le="0.1"}')).toBe(3);
    // The other instance counted none of it.
    const theirs = await scrape(other);
    expect(theirs.get('nolose_webhooks_received_total')).toBe(0);
  });

  it('reads the send queue depth from the database at scrape time, on every instance', async () => {
    await t.db.query(
      `INSERT INTO jobs (type, payload, status, run_at) VALUES ('send_message', '{}', 'queued', now() + interval '1 day'), ('send_message', '{}', 'queued', now() + interval '1 day')`,
    );
    for (const app of [t, other]) {
      const m = await scrape(app);
      expect(m.get('nolose_send_queue_jobs{status="queued"}')).toBe(2);
      expect(m.has('nolose_sends_failed_total')).toBe(true);
      expect(m.get('nolose_send_queue_jobs{status="failed"}')).toBe(0);
    }
  });

  it('has a request latency histogram labelled by route pattern, not by raw URL', async () => {
    await t.http.get('/api/conversations/12345').expect(401);
    const m = await scrape(t);
    const keys = [...m.keys()].filter((k) =>
      k.startsWith('nolose_http_request_duration_seconds_count'),
    );
    expect(keys.some((k) => k.includes('route="/api/webhook"'))).toBe(true);
    expect(keys.some((k) => k.includes('12345'))).toBe(false);
  });
});
