import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NumbersService } from '../../server/numbers/numbers.service.js';
import { WebhookService } from '../../server/webhook/webhook.service.js';
import { createTestApp, TEST_SECRET, type TestApp } from '../support/app.js';
import { createUser } from '../support/factories.js';
import { workspaceOf } from '../support/inbox-factories.js';
import {
  customerWaId,
  inboundNotification,
  META_TYPES,
  metaMessage,
  metaNotification,
  postWebhook,
  webhookEnv,
} from '../support/meta.js';

// Re-processing stored webhook events (`npm run webhooks:replay`): after a number is
// registered late, after a processing failure is fixed, after a parser fix.

let t: TestApp;
let workspaceId: number;
let replay: WebhookService['replay'];

beforeAll(async () => {
  t = await createTestApp(webhookEnv());
  workspaceId = await workspaceOf(t, await createUser(t));
  const service = t.app.get(WebhookService);
  replay = service.replay.bind(service);
});
afterAll(async () => {
  await t.close();
});

interface EventRow {
  id: string;
  outcome: string;
  error: string | null;
  replay_count: number;
  messages_stored: number;
}

async function lastEvent(): Promise<EventRow> {
  const rows = await t.db.query<EventRow[]>(
    `SELECT id, outcome, error, replay_count, messages_stored FROM webhook_events ORDER BY id DESC LIMIT 1`,
  );
  return rows[0];
}

async function message(
  wamid: unknown,
): Promise<{ id: number; content: string | null; message_type: string } | undefined> {
  const rows = await t.db.query<
    {
      id: number;
      content: string | null;
      message_type: string;
    }[]
  >(`SELECT id, content, message_type FROM messages WHERE wa_message_id = $1`, [wamid]);
  return rows[0];
}

describe('webhook replay', () => {
  it('stores the messages of an unknown number once the number is registered, and only once', async () => {
    const from = customerWaId();
    const m = metaMessage(from, META_TYPES.text('for a number added later'));
    await postWebhook(
      t,
      metaNotification({
        phoneNumberId: '300000000000003',
        contacts: [{ wa_id: from }],
        messages: [m],
      }),
    ).expect(200);
    const event = await lastEvent();
    expect(event.outcome).toBe('unknown_number');
    expect(await message(m.id)).toBeUndefined();

    await t.app.get(NumbersService).register(workspaceId, '300000000000003');
    const summary = await replay({});
    expect(summary.results.find((r) => r.id === event.id)).toMatchObject({
      outcome: 'processed',
      messagesStored: 1,
    });
    expect(await message(m.id)).toMatchObject({ content: 'for a number added later' });

    const again = await replay({ ids: [event.id] });
    expect(again).toMatchObject({ events: 1, messagesStored: 0, messagesUpdated: 0, failed: 0 });
    const rows = await t.db.query<unknown[]>(
      `SELECT outcome, replay_count, messages_stored FROM webhook_events WHERE id = $1`,
      [event.id],
    );
    expect(rows).toEqual([{ outcome: 'processed', replay_count: 2, messages_stored: 1 }]);
  });

  it('keeps an event whose processing fails as failed (answering 200), and replays it after the fix', async () => {
    // A deterministic failure the code cannot work around, like a bug: a constraint that
    // refuses this content.
    await t.db.query(
      `ALTER TABLE messages ADD CONSTRAINT test_refuses_boom CHECK (content IS DISTINCT FROM 'boom')`,
    );
    const from = customerWaId();
    const m = metaMessage(from, META_TYPES.text('boom'));
    try {
      const res = await postWebhook(t, inboundNotification(from, 'Fail', m)).expect(200);
      expect(res.body).toEqual({ status: 'ok', message_id: null });
    } finally {
      await t.db.query(`ALTER TABLE messages DROP CONSTRAINT test_refuses_boom`);
    }
    const event = await lastEvent();
    expect(event.outcome).toBe('failed');
    expect(event.error).toContain('test_refuses_boom');
    expect(await message(m.id)).toBeUndefined();

    const summary = await replay({ outcomes: ['failed'] });
    expect(summary.results.find((r) => r.id === event.id)).toMatchObject({
      outcome: 'processed',
      messagesStored: 1,
    });
    expect(await message(m.id)).toMatchObject({ content: 'boom' });
  });

  it('re-parses stored messages (after a parser fix) and announces the change, idempotently', async () => {
    const from = customerWaId();
    const m = metaMessage(from, META_TYPES.listReply('wamid.context'));
    await postWebhook(t, inboundNotification(from, 'Parse', m)).expect(200);
    const event = await lastEvent();
    const stored = await message(m.id);
    // What an older parser might have stored.
    await t.db.query(`UPDATE messages SET content = NULL, message_type = 'unknown' WHERE id = $1`, [
      stored?.id,
    ]);

    const summary = await replay({ ids: [event.id] });
    expect(summary).toMatchObject({ events: 1, messagesStored: 0, messagesUpdated: 1, failed: 0 });
    expect(await message(m.id)).toEqual({
      id: stored?.id,
      content: 'Priority Mail Express',
      message_type: 'interactive',
    });
    const updates = await t.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM events WHERE type = 'message.updated' AND (data->'message'->>'id')::int = $1`,
      [stored?.id],
    );
    expect(updates[0].n).toBe(1);

    expect(await replay({ ids: [event.id] })).toMatchObject({
      messagesUpdated: 0,
      messagesStored: 0,
    });
  });

  it('selects events by --since', async () => {
    const since = new Date();
    const from = customerWaId();
    await postWebhook(
      t,
      inboundNotification(from, 'Since', metaMessage(from, META_TYPES.text('recent'))),
    ).expect(200);
    const summary = await replay({ since });
    expect(summary.events).toBe(1);
  });

  it('runs as `npm run webhooks:replay` (the compiled command) on the database', async () => {
    const from = customerWaId();
    const m = metaMessage(from, META_TYPES.text('cli replay'));
    await postWebhook(
      t,
      metaNotification({
        phoneNumberId: '400000000000004',
        contacts: [{ wa_id: from }],
        messages: [m],
      }),
    ).expect(200);
    const event = await lastEvent();
    await t.app.get(NumbersService).register(workspaceId, '400000000000004');

    const { stdout } = await promisify(execFile)(
      process.execPath,
      [path.join(process.cwd(), 'dist/server/webhook/replay.js'), '--id', event.id],
      {
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'test',
          SECRET_KEY: TEST_SECRET,
          DATABASE_URL: t.databaseUrl,
          LOG_LEVEL: 'silent',
        },
        timeout: 60_000,
      },
    );
    expect(stdout).toContain(`event ${event.id}: processed — 1 new messages`);
    expect(await message(m.id)).toMatchObject({ content: 'cli replay' });
  });
});
