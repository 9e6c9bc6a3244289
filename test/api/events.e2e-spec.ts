import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventsListenerService } from '../../server/events/events-listener.service.js';
import { EventsRetentionService } from '../../server/events/events-retention.service.js';
import { EventsStreamService } from '../../server/events/events-stream.service.js';
import { EventsService } from '../../server/events/events.service.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createUser, type RegisteredUser } from '../support/factories.js';
import { createContact, createConversation, workspaceOf } from '../support/inbox-factories.js';
import { listen, SseClient, type SseEvent } from '../support/sse.js';

let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await createTestApp();
  base = await listen(t);
});
afterAll(async () => {
  await t.close();
});

async function userWithWorkspace(
  app: TestApp = t,
): Promise<{ user: RegisteredUser; workspaceId: number }> {
  const user = await createUser(app);
  return { user, workspaceId: await workspaceOf(app, user) };
}

/** Publishes a test event in its own transaction, as the services do; returns its id. */
async function publish(app: TestApp, workspaceId: number, data: object): Promise<string> {
  const events = app.app.get(EventsService);
  await app.db.transaction((manager) =>
    events.publish(manager, workspaceId, 'message.updated', data),
  );
  const [row] = await app.db.query<
    {
      id: string;
    }[]
  >(`SELECT max(id) AS id FROM events WHERE workspace_id = $1`, [workspaceId]);
  return row.id;
}

const payloads = (events: SseEvent[]): unknown[] =>
  events.map((e) => JSON.parse(e.data) as unknown);

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('GET /api/events', () => {
  it('answers 401 without a token and with a bad ?access_token', async () => {
    const none = await SseClient.connect(`${base}/api/events`);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ status_code: 401, message: 'Not authenticated' });
    const bad = await SseClient.connect(`${base}/api/events?access_token=not-a-token`);
    expect(bad.status).toBe(401);
  });

  it('streams conversation.updated to the workspace when an operator closes a conversation', async () => {
    const { user, workspaceId } = await userWithWorkspace();
    const conversation = await createConversation(t, await createContact(t, workspaceId));
    const client = await SseClient.connect(`${base}/api/events`, user.auth);
    try {
      expect(client.status).toBe(200);
      expect(client.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(client.headers.get('cache-control')).toBe('no-cache, no-transform');

      const patched = await t.http
        .patch(`/api/conversations/${conversation.id}`)
        .set(user.auth)
        .send({ is_active: false })
        .expect(200);

      const [event] = await client.waitForCount(1);
      const [row] = await t.db.query<
        {
          id: string;
        }[]
      >(`SELECT id FROM events WHERE workspace_id = $1`, [workspaceId]);
      expect(event.id).toBe(row.id);
      expect(event.event).toBe('conversation.updated');
      expect(JSON.parse(event.data)).toEqual({ conversation: patched.body as unknown });
    } finally {
      client.close();
    }
  });

  it('accepts the token as ?access_token= (EventSource cannot send headers)', async () => {
    const { user, workspaceId } = await userWithWorkspace();
    const client = await SseClient.connect(`${base}/api/events?access_token=${user.token}`);
    try {
      expect(client.status).toBe(200);
      await publish(t, workspaceId, { n: 1 });
      expect(payloads(await client.waitForCount(1))).toEqual([{ n: 1 }]);
    } finally {
      client.close();
    }
  });

  it("never sends another workspace's events", async () => {
    const a = await userWithWorkspace();
    const b = await userWithWorkspace();
    const client = await SseClient.connect(`${base}/api/events`, b.user.auth);
    try {
      await publish(t, a.workspaceId, { from: 'a' });
      await publish(t, b.workspaceId, { from: 'b' });
      await client.waitForCount(1);
      // A's event was committed first; had it leaked it would have arrived first.
      await new Promise((r) => setTimeout(r, 100));
      expect(payloads(client.events)).toEqual([{ from: 'b' }]);
    } finally {
      client.close();
    }
  });

  it('starts from now when no Last-Event-ID is given', async () => {
    const { user, workspaceId } = await userWithWorkspace();
    await publish(t, workspaceId, { n: 'old' });
    const client = await SseClient.connect(`${base}/api/events`, user.auth);
    try {
      await publish(t, workspaceId, { n: 'new' });
      await client.waitForCount(1);
      await new Promise((r) => setTimeout(r, 100));
      expect(payloads(client.events)).toEqual([{ n: 'new' }]);
    } finally {
      client.close();
    }
  });

  it('replays what was missed after the Last-Event-ID header, in order, then goes live', async () => {
    const { user, workspaceId } = await userWithWorkspace();
    const first = await publish(t, workspaceId, { n: 1 });
    const second = await publish(t, workspaceId, { n: 2 });
    const third = await publish(t, workspaceId, { n: 3 });
    const client = await SseClient.connect(`${base}/api/events`, {
      ...user.auth,
      'Last-Event-ID': first,
    });
    try {
      const replayed = await client.waitForCount(2);
      expect(replayed.map((e) => e.id)).toEqual([second, third]);
      expect(payloads(replayed)).toEqual([{ n: 2 }, { n: 3 }]);
      await publish(t, workspaceId, { n: 4 });
      expect(payloads(await client.waitForCount(3))).toEqual([{ n: 2 }, { n: 3 }, { n: 4 }]);
    } finally {
      client.close();
    }
  });

  it('replays after ?last_event_id=, and the Last-Event-ID header wins over it', async () => {
    const { user, workspaceId } = await userWithWorkspace();
    const first = await publish(t, workspaceId, { n: 1 });
    const second = await publish(t, workspaceId, { n: 2 });
    await publish(t, workspaceId, { n: 3 });

    const byQuery = await SseClient.connect(`${base}/api/events?last_event_id=${first}`, user.auth);
    const both = await SseClient.connect(`${base}/api/events?last_event_id=${first}`, {
      ...user.auth,
      'Last-Event-ID': second,
    });
    try {
      expect(payloads(await byQuery.waitForCount(2))).toEqual([{ n: 2 }, { n: 3 }]);
      expect(payloads(await both.waitForCount(1))).toEqual([{ n: 3 }]);
    } finally {
      byQuery.close();
      both.close();
    }
  });

  it('replays a backlog larger than one read batch', async () => {
    const { user, workspaceId } = await userWithWorkspace();
    await t.db.query(
      `INSERT INTO events (workspace_id, type, data)
       SELECT $1, 'message.updated', jsonb_build_object('n', g) FROM generate_series(1, 1201) g`,
      [workspaceId],
    );
    const client = await SseClient.connect(`${base}/api/events?last_event_id=0`, user.auth);
    try {
      const events = await client.waitForCount(1201, 10_000);
      expect(payloads(events)).toEqual(Array.from({ length: 1201 }, (_, i) => ({ n: i + 1 })));
    } finally {
      client.close();
    }
  });

  it('delivers an event whose transaction commits after a later event (ids are not commit order)', async () => {
    const { user, workspaceId } = await userWithWorkspace();
    const client = await SseClient.connect(`${base}/api/events`, user.auth);
    const slow = t.db.createQueryRunner();
    await slow.connect();
    try {
      await slow.startTransaction();
      await t.app
        .get(EventsService)
        .publish(slow.manager, workspaceId, 'message.updated', { n: 'slow' });
      await publish(t, workspaceId, { n: 'fast' });
      await client.waitForCount(1);
      await slow.commitTransaction();
      const events = await client.waitForCount(2);
      expect(payloads(events)).toEqual([{ n: 'fast' }, { n: 'slow' }]);
      expect(BigInt(events[1].id ?? 0)).toBeLessThan(BigInt(events[0].id ?? 0));
    } finally {
      await slow.release();
      client.close();
    }
  });

  it.each([
    ['?last_event_id=abc', {}, 'last_event_id', 'last_event_id must be a non-negative integer'],
    [
      '',
      { 'Last-Event-ID': 'yesterday' },
      'Last-Event-ID',
      'Last-Event-ID must be a non-negative integer',
    ],
  ])('answers 422 naming the parameter for %s %j', async (qs, headers, field, message) => {
    const { user } = await userWithWorkspace();
    const client = await SseClient.connect(`${base}/api/events${qs}`, { ...user.auth, ...headers });
    expect(client.status).toBe(422);
    expect(await client.json()).toMatchObject({ message, errors: [{ field, message }] });
  });

  it('forgets a stream when its client disconnects', async () => {
    const streams = t.app.get(EventsStreamService);
    const before = streams.openStreams;
    const { user } = await userWithWorkspace();
    const client = await SseClient.connect(`${base}/api/events`, user.auth);
    await until(() => streams.openStreams === before + 1, 'the stream is registered');
    client.close();
    await until(() => streams.openStreams === before, 'the stream is forgotten');
  });

  it('deletes events older than the retention period, and only those', async () => {
    const { workspaceId } = await userWithWorkspace();
    await t.db.query(
      `INSERT INTO events (workspace_id, type, data, created_at)
       VALUES ($1, 'message.updated', '{"n":"old"}', now() - interval '8 days'),
              ($1, 'message.updated', '{"n":"recent"}', now() - interval '6 days')`,
      [workspaceId],
    );
    expect(await t.app.get(EventsRetentionService).cleanup()).toBeGreaterThanOrEqual(1);
    const left = await t.db.query<{ data: unknown }[]>(
      `SELECT data FROM events WHERE workspace_id = $1`,
      [workspaceId],
    );
    expect(left).toEqual([{ data: { n: 'recent' } }]);
  });

  it('is documented in /docs-json as text/event-stream', async () => {
    const res = await t.http.get('/docs-json').expect(200);
    const op = (
      res.body as {
        paths: Record<string, { get: { responses: Record<string, { content: object }> } }>;
      }
    ).paths['/api/events'].get;
    expect(Object.keys(op.responses['200'].content)).toEqual(['text/event-stream']);
  });
});

describe('GET /api/events across instances', () => {
  let other: TestApp;
  let otherBase: string;
  beforeAll(async () => {
    // A second instance on the same database, as behind a load balancer.
    other = await createTestApp({ DATABASE_URL: t.databaseUrl });
    otherBase = await listen(other);
  });
  afterAll(async () => {
    await other.close();
  });

  it('delivers an event published through one instance to a client of the other', async () => {
    const { user, workspaceId } = await userWithWorkspace();
    const conversation = await createConversation(t, await createContact(t, workspaceId));
    const client = await SseClient.connect(`${otherBase}/api/events`, user.auth);
    try {
      await t.http
        .patch(`/api/conversations/${conversation.id}`)
        .set(user.auth)
        .send({ read: true })
        .expect(200);
      const [event] = await client.waitForCount(1);
      expect(event.event).toBe('conversation.updated');
      expect(JSON.parse(event.data)).toMatchObject({ conversation: { id: conversation.id } });
    } finally {
      client.close();
    }
  });

  it('reconnects its LISTEN connection after the database drops it and catches up', async () => {
    const { user, workspaceId } = await userWithWorkspace();
    const listener = other.app.get(EventsListenerService);
    const client = await SseClient.connect(`${otherBase}/api/events`, user.auth);
    try {
      await publish(t, workspaceId, { n: 'before' });
      await client.waitForCount(1);

      await t.db.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE application_name = 'no-lose-events' AND datname = current_database()`,
      );
      await until(() => !listener.listening, 'the listener notices the drop');
      // Published while nobody listens: no NOTIFY reaches `other`; the catch-up must find it.
      await publish(t, workspaceId, { n: 'during' });
      await until(() => listener.listening, 'the listener is back', 10_000);
      await client.waitForCount(2, 5000);
      await publish(t, workspaceId, { n: 'after' });
      expect(payloads(await client.waitForCount(3))).toEqual([
        { n: 'before' },
        { n: 'during' },
        { n: 'after' },
      ]);
    } finally {
      client.close();
    }
  });

  it('ends open streams on shutdown so app.close() does not hang', async () => {
    const third = await createTestApp({ DATABASE_URL: t.databaseUrl });
    const thirdBase = await listen(third);
    const { user } = await userWithWorkspace();
    const client = await SseClient.connect(`${thirdBase}/api/events`, user.auth);
    expect(client.status).toBe(200);
    await until(() => third.app.get(EventsStreamService).openStreams === 1, 'the stream is open');
    const started = Date.now();
    await third.close();
    expect(Date.now() - started).toBeLessThan(3000);
    await client.waitForEnd();
  });
});
