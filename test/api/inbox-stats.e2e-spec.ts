import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MessageCountRollups1764000600000 } from '../../migrations/1764000600000-message-count-rollups.js';
import { MessageCountShardPerTransaction1764000700000 } from '../../migrations/1764000700000-message-count-shard-per-transaction.js';
import { createTestApp, type TestApp } from '../support/app.js';
import {
  createUserWithWorkspace,
  createContact,
  createConversation,
  createMessage,
} from '../support/inbox-factories.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const userWithWorkspace = () => createUserWithWorkspace(t);

const DAY_MS = 86_400_000;
/** Noon (UTC) of the day `daysAgo` before today: safely inside that UTC day. */
const noonDaysAgo = (daysAgo: number): Date => {
  const d = new Date();
  d.setUTCHours(12, 0, 0, 0);
  return new Date(d.getTime() - daysAgo * DAY_MS);
};
const utcDate = (d: Date): string => d.toISOString().slice(0, 10);

describe('GET /api/stats', () => {
  it("answers SPEC's totals for the caller's workspace only", async () => {
    const a = await userWithWorkspace();
    const b = await userWithWorkspace();
    const ann = await createContact(t, a.workspaceId);
    const bob = await createContact(t, a.workspaceId);
    const annOld = await createConversation(t, ann, { isActive: false });
    const annNew = await createConversation(t, ann);
    const bobConversation = await createConversation(t, bob);
    await createMessage(t, annOld);
    await createMessage(t, annNew);
    await createMessage(t, annNew, { isOutbound: true });
    await createMessage(t, bobConversation);
    await createMessage(t, bobConversation, { isOutbound: true, status: 'failed' });
    // Another workspace's rows do not count.
    await createMessage(t, await createConversation(t, await createContact(t, b.workspaceId)));

    const res = await t.http.get('/api/stats').set(a.user.auth).expect(200);
    expect(res.body).toEqual({
      total_messages: 5,
      total_contacts: 2,
      total_conversations: 3,
      inbound_messages: 3,
      outbound_messages: 2,
    });
    expect(Object.keys(res.body as object)).toEqual([
      'total_messages',
      'total_contacts',
      'total_conversations',
      'inbound_messages',
      'outbound_messages',
    ]);
  });

  it('answers zeros for a new workspace', async () => {
    const { user } = await userWithWorkspace();
    const res = await t.http.get('/api/stats').set(user.auth).expect(200);
    expect(res.body).toEqual({
      total_messages: 0,
      total_contacts: 0,
      total_conversations: 0,
      inbound_messages: 0,
      outbound_messages: 0,
    });
  });

  it('answers 401 without a token', async () => {
    await t.http.get('/api/stats').expect(401);
  });
});

describe('GET /api/stats/daily', () => {
  it('answers 14 UTC days by default, oldest first, with quiet days as zeros', async () => {
    const { user, workspaceId } = await userWithWorkspace();
    const conversation = await createConversation(t, await createContact(t, workspaceId));
    await createMessage(t, conversation, { timestamp: noonDaysAgo(0) });
    await createMessage(t, conversation, { timestamp: noonDaysAgo(0) });
    await createMessage(t, conversation, { timestamp: noonDaysAgo(0), isOutbound: true });
    await createMessage(t, conversation, { timestamp: noonDaysAgo(3), isOutbound: true });
    await createMessage(t, conversation, { timestamp: noonDaysAgo(13) });
    // Outside the window.
    await createMessage(t, conversation, { timestamp: noonDaysAgo(14) });

    const res = await t.http.get('/api/stats/daily').set(user.auth).expect(200);

    const days = (res.body as { days: { date: string; inbound: number; outbound: number }[] }).days;
    expect(days).toHaveLength(14);
    expect(days.map((d) => d.date)).toEqual(
      Array.from({ length: 14 }, (_, i) => utcDate(noonDaysAgo(13 - i))),
    );
    expect(days[13]).toEqual({ date: utcDate(noonDaysAgo(0)), inbound: 2, outbound: 1 });
    expect(days[10]).toEqual({ date: utcDate(noonDaysAgo(3)), inbound: 0, outbound: 1 });
    expect(days[0]).toEqual({ date: utcDate(noonDaysAgo(13)), inbound: 1, outbound: 0 });
    const quiet = days.filter((_, i) => ![0, 10, 13].includes(i));
    expect(quiet.every((d) => d.inbound === 0 && d.outbound === 0)).toBe(true);
  });

  it('honours days and counts only the caller workspace', async () => {
    const a = await userWithWorkspace();
    const b = await userWithWorkspace();
    await createMessage(t, await createConversation(t, await createContact(t, b.workspaceId)));
    const res = await t.http.get('/api/stats/daily?days=1').set(a.user.auth).expect(200);
    expect(res.body).toEqual({ days: [{ date: utcDate(new Date()), inbound: 0, outbound: 0 }] });
    const ninety = await t.http.get('/api/stats/daily?days=90').set(a.user.auth).expect(200);
    expect((ninety.body as { days: unknown[] }).days).toHaveLength(90);
  });

  it.each([
    ['days=0', 'days must not be less than 1'],
    ['days=91', 'days must not be greater than 90'],
    ['days=1000', 'days must not be greater than 90'],
    ['days=two', 'days must be an integer number'],
  ])('answers 422 naming days for %s', async (qs, message) => {
    const { user } = await userWithWorkspace();
    const res = await t.http.get(`/api/stats/daily?${qs}`).set(user.auth).expect(422);
    expect(res.body).toMatchObject({
      status_code: 422,
      message,
      errors: [{ field: 'days', message }],
    });
  });
});

// The counts come from message_counts, kept by triggers on messages (its migration).
describe('message count rollups', () => {
  /** Every workspace and day in message_counts equals a direct count of messages. */
  async function expectRollupsExact(): Promise<void> {
    const drift = await t.db.query<unknown[]>(
      `WITH direct AS (
         SELECT workspace_id, (timestamp AT TIME ZONE 'UTC')::date AS day,
                count(*) FILTER (WHERE NOT is_outbound) AS inbound, count(*) FILTER (WHERE is_outbound) AS outbound
           FROM messages GROUP BY 1, 2
       ), rolled AS (
         SELECT workspace_id, day, sum(inbound) AS inbound, sum(outbound) AS outbound
           FROM message_counts GROUP BY 1, 2
       )
       SELECT * FROM direct d FULL JOIN rolled r USING (workspace_id, day)
        WHERE coalesce(d.inbound, 0) <> coalesce(r.inbound, 0)
           OR coalesce(d.outbound, 0) <> coalesce(r.outbound, 0)`,
    );
    expect(drift).toEqual([]);
  }

  it('follows deletes, moved messages and concurrent writers exactly', async () => {
    const { user, workspaceId } = await userWithWorkspace();
    const ann = await createContact(t, workspaceId);
    const bob = await createContact(t, workspaceId);
    const annConversation = await createConversation(t, ann);
    const bobConversation = await createConversation(t, bob);
    await createMessage(t, annConversation);
    await createMessage(t, annConversation, { isOutbound: true });
    const moved = await createMessage(t, bobConversation, { timestamp: noonDaysAgo(2) });
    // Twenty inserts at once from several pooled connections (different shards).
    await Promise.all(Array.from({ length: 20 }, () => createMessage(t, bobConversation)));
    const stats = async () =>
      (await t.http.get('/api/stats').set(user.auth).expect(200)).body as Record<string, number>;
    expect(await stats()).toMatchObject({ inbound_messages: 22, outbound_messages: 1 });

    await t.db.query(`UPDATE messages SET timestamp = $2 WHERE id = $1`, [
      moved.id,
      noonDaysAgo(5),
    ]);
    const daily = (await t.http.get('/api/stats/daily?days=7').set(user.auth).expect(200)).body as {
      days: { inbound: number }[];
    };
    expect(daily.days[4].inbound).toBe(0); // two days ago
    expect(daily.days[1].inbound).toBe(1); // five days ago

    // Deleting a contact takes its conversations and messages along (ON DELETE CASCADE).
    await t.db.query(`DELETE FROM contacts WHERE id = $1`, [bob.id]);
    expect(await stats()).toMatchObject({
      total_messages: 2,
      inbound_messages: 1,
      outbound_messages: 1,
    });
    await expectRollupsExact();
  });

  it('spreads the counts of one connection over shards, transaction by transaction', async () => {
    // The pool gives the webhook's concurrent group transactions the same few connections;
    // a shard per connection made two of them queue on one row lock until a commit.
    const { workspaceId } = await userWithWorkspace();
    const conversation = await createConversation(t, await createContact(t, workspaceId));
    const runner = t.db.createQueryRunner();
    try {
      for (let i = 0; i < 5; i++) {
        await runner.startTransaction();
        await runner.query(
          `INSERT INTO messages (workspace_id, contact_id, conversation_id, wa_message_id, is_outbound, status, message_type, timestamp)
           VALUES ($1, $2, $3, $4, false, 'received', 'text', now())`,
          [workspaceId, conversation.contactId, conversation.id, `wamid.shard${workspaceId}.${i}`],
        );
        await runner.commitTransaction();
      }
    } finally {
      await runner.release();
    }
    const shards = await t.db.query<{ shard: number }[]>(
      `SELECT DISTINCT shard FROM message_counts WHERE workspace_id = $1`,
      [workspaceId],
    );
    expect(shards.length).toBeGreaterThan(1);
    await expectRollupsExact();
  });

  it('counts the messages stored before the rollups existed (migration backfill)', async () => {
    const { workspaceId } = await userWithWorkspace();
    const conversation = await createConversation(t, await createContact(t, workspaceId));
    const runner = t.db.createQueryRunner();
    const migration = new MessageCountRollups1764000600000();
    try {
      await runner.startTransaction();
      await migration.down(runner);
      // Without the triggers; this connection holds the table, so it writes them itself.
      await runner.query(
        `INSERT INTO messages (workspace_id, contact_id, conversation_id, wa_message_id, is_outbound, status, message_type, timestamp)
         VALUES ($1, $2, $3, $5, false, 'received', 'text', $4), ($1, $2, $3, NULL, true, 'sent', 'text', now())`,
        [
          workspaceId,
          conversation.contactId,
          conversation.id,
          noonDaysAgo(1),
          `wamid.backfill${workspaceId}`,
        ],
      );
      await migration.up(runner);
      await new MessageCountShardPerTransaction1764000700000().up(runner);
      await runner.commitTransaction();
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
    const [row] = await t.db.query<{ inbound: string; outbound: string }[]>(
      `SELECT sum(inbound) AS inbound, sum(outbound) AS outbound FROM message_counts WHERE workspace_id = $1`,
      [workspaceId],
    );
    expect(row).toEqual({ inbound: '1', outbound: '1' });
    await expectRollupsExact();
  });

  it('drops the counts of a deleted workspace', async () => {
    const { workspaceId } = await userWithWorkspace();
    await createMessage(t, await createConversation(t, await createContact(t, workspaceId)));
    await t.db.query(`DELETE FROM workspaces WHERE id = $1`, [workspaceId]);
    const rows = await t.db.query<unknown[]>(
      `SELECT 1 FROM message_counts WHERE workspace_id = $1`,
      [workspaceId],
    );
    expect(rows).toEqual([]);
    await expectRollupsExact();
  });
});
