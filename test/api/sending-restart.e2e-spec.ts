import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { startMetaEmulator, type MetaEmulator } from '../../emulator/meta-emulator.js';
import { createTestDatabase, dropTestDatabase } from '../support/db.js';
import {
  customerWrites,
  newCustomer,
  startWiredApp,
  waitFor,
  type WiredApp,
} from '../support/emulator.js';
import type { RegisteredUser } from '../support/factories.js';

// Apps, the emulator and queued work: more than Jest's default 5 s per test.
jest.setTimeout(30_000);

// Each test stops an app and starts another on the same database, as a restart or a
// second instance would. Only one app runs at a time (Passport's strategy is global).

let meta: MetaEmulator;
let databaseUrl: string;
let owner: RegisteredUser | undefined;

beforeAll(async () => {
  meta = await startMetaEmulator({ seed: 9, statuses: { enabled: false } });
  databaseUrl = await createTestDatabase();
});
afterAll(async () => {
  await meta.close();
  await dropTestDatabase(databaseUrl);
});

async function start(env: Record<string, string> = {}): Promise<WiredApp> {
  const w = await startWiredApp({ meta, owner, env: { DATABASE_URL: databaseUrl, ...env } });
  owner = w.owner;
  return w;
}

interface JobRow {
  status: string;
  attempts: number;
}

async function sendJob(w: WiredApp, messageId: number): Promise<JobRow> {
  const rows = await w.t.db.query<JobRow[]>(
    `SELECT status, attempts FROM jobs WHERE type = 'send_message' AND (payload->>'messageId')::int = $1`,
    [messageId],
  );
  return rows[0];
}

async function wamidOf(w: WiredApp, messageId: number): Promise<string | null> {
  const rows = await w.t.db.query<{ wa_message_id: string | null }[]>(
    `SELECT wa_message_id FROM messages WHERE id = $1`,
    [messageId],
  );
  return rows[0]?.wa_message_id ?? null;
}

const sentTo = (waId: string) => meta.sent().filter((s) => s.waId === waId);

describe('the send queue across restarts', () => {
  it('sends a message queued when the server stopped once, after the restart', async () => {
    const customer = newCustomer();
    // An instance that runs no jobs: the send stays queued when it stops.
    const first = await start({ QUEUE_CONCURRENCY: '0' });
    const conversationId = await customerWrites(first, customer);
    const res = await first.t.http
      .post(`/api/conversations/${conversationId}/messages`)
      .set(first.owner.auth)
      .send({ text: 'Sent before the restart' })
      .expect(202);
    const messageId = (res.body as { id: number }).id;
    expect(await sendJob(first, messageId)).toEqual({ status: 'queued', attempts: 0 });
    await first.close();
    expect(sentTo(customer)).toHaveLength(0);

    const second = await start();
    try {
      const wamid = await waitFor(() => wamidOf(second, messageId), 'the wamid after the restart');
      expect(await sendJob(second, messageId)).toEqual({ status: 'done', attempts: 1 });
      expect(sentTo(customer).map((s) => s.wamid)).toEqual([wamid]);
    } finally {
      await second.close();
    }
    expect(sentTo(customer)).toHaveLength(1);
  });

  it('takes over a send whose instance died mid-flight once its lease expires, and sends it once', async () => {
    const customer = newCustomer();
    const first = await start({ QUEUE_CONCURRENCY: '0' });
    const conversationId = await customerWrites(first, customer);
    const res = await first.t.http
      .post(`/api/conversations/${conversationId}/messages`)
      .set(first.owner.auth)
      .send({ text: 'Survives a crash' })
      .expect(202);
    const messageId = (res.body as { id: number }).id;
    // What a crash leaves behind: the job claimed by an instance that is gone, lease running out.
    await first.t.db.query(
      `UPDATE jobs SET status = 'running', attempts = 1, locked_by = 'crashed-instance', locked_until = now() + interval '300 milliseconds'
        WHERE type = 'send_message' AND (payload->>'messageId')::int = $1`,
      [messageId],
    );
    await first.close();

    const second = await start();
    try {
      await waitFor(() => wamidOf(second, messageId), 'the wamid after the takeover');
      expect(await sendJob(second, messageId)).toEqual({ status: 'done', attempts: 2 });
      expect(sentTo(customer)).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it('lets a send in flight finish when the app closes, so the next instance sends nothing again', async () => {
    const customer = newCustomer();
    const first = await start();
    const conversationId = await customerWrites(first, customer);
    meta.configure({ latencyMs: 400 });
    try {
      const res = await first.t.http
        .post(`/api/conversations/${conversationId}/messages`)
        .set(first.owner.auth)
        .send({ text: 'Almost too late' })
        .expect(202);
      const messageId = (res.body as { id: number }).id;
      await waitFor(
        async () => (await sendJob(first, messageId)).status === 'running',
        'the send to start',
      );
      await first.close();

      meta.configure({ latencyMs: 0 });
      const second = await start();
      try {
        expect(await sendJob(second, messageId)).toEqual({ status: 'done', attempts: 1 });
        expect(await wamidOf(second, messageId)).toBe(sentTo(customer)[0].wamid);
      } finally {
        await second.close();
      }
      expect(sentTo(customer)).toHaveLength(1);
    } finally {
      meta.configure({ latencyMs: 0 });
    }
  });
});
