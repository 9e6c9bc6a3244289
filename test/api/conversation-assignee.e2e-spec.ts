import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestApp, type TestApp } from '../support/app.js';
import { waitFor } from '../support/emulator.js';
import { createTeammate, createUser, type RegisteredUser } from '../support/factories.js';
import {
  customerWaId,
  inboundNotification,
  META_TYPES,
  metaMessage,
  postWebhook,
  webhookEnv,
} from '../support/meta.js';

interface Assignee {
  id: number;
  name: string;
  email: string;
}
interface ConversationBody {
  id: number;
  is_active: boolean;
  assignee: Assignee | null;
}

let t: TestApp;
let owner: RegisteredUser;
let workspaceId: number;
beforeAll(async () => {
  t = await createTestApp(webhookEnv());
  owner = await createUser(t, { name: 'Olivia Owner' }); // the first workspace: it owns the number
  const me = await t.http.get('/api/auth/me').set(owner.auth).expect(200);
  workspaceId = (me.body as { workspace: { id: number } }).workspace.id;
});
afterAll(async () => {
  await t.close();
});

/** Headers acting in the owner's workspace (a teammate's own are that already). */
const inWs = (u: RegisteredUser) => ({ ...u.auth, 'X-Workspace-Id': String(workspaceId) });

const teammate = (name: string, role: 'admin' | 'agent' = 'agent') =>
  createTeammate(t, owner, name, role);

/** A customer writes in; answers their open conversation's id. */
async function newConversation(): Promise<number> {
  const waId = customerWaId();
  await postWebhook(
    t,
    inboundNotification(waId, 'Customer', metaMessage(waId, META_TYPES.text('hello'))),
  ).expect(200);
  const [row] = await t.db.query<{ id: number }[]>(
    `SELECT c.id FROM conversations c JOIN contacts ct ON ct.id = c.contact_id
      WHERE ct.wa_id = $1 AND c.is_active`,
    [waId],
  );
  return row.id;
}

const assign = (id: number, assigneeId: unknown, user = owner) =>
  t.http.patch(`/api/conversations/${id}`).set(inWs(user)).send({ assignee_id: assigneeId });

async function listIds(query: string, user = owner): Promise<number[]> {
  const res = await t.http.get(`/api/conversations?limit=100&${query}`).set(inWs(user)).expect(200);
  return (res.body as { conversations: ConversationBody[] }).conversations.map((c) => c.id);
}

async function lastEventId(): Promise<string> {
  const [row] = await t.db.query<{ max: string | null }[]>(`SELECT max(id) FROM events`);
  return row.max ?? '0';
}

describe('PATCH /api/conversations/:id {assignee_id}', () => {
  it('assigns a conversation to a teammate, shows who everywhere, live, and unassigns it', async () => {
    const mate = await teammate('Mateo Agent');
    const id = await newConversation();
    const before = await lastEventId();

    const res = await assign(id, mate.id).expect(200);
    const expected = { id: mate.id, name: 'Mateo Agent', email: mate.email };
    expect((res.body as ConversationBody).assignee).toEqual(expected);
    const one = await t.http.get(`/api/conversations/${id}`).set(owner.auth).expect(200);
    expect((one.body as ConversationBody).assignee).toEqual(expected);
    const list = await t.http.get('/api/conversations?limit=100').set(owner.auth).expect(200);
    const listed = (list.body as { conversations: ConversationBody[] }).conversations;
    expect(listed.find((c) => c.id === id)?.assignee).toEqual(expected);

    const events = await t.db.query<{ type: string; assignee: Assignee | null }[]>(
      `SELECT type, data->'conversation'->'assignee' AS assignee FROM events
        WHERE id > $1 AND (data->'conversation'->>'id')::int = $2 ORDER BY id`,
      [before, id],
    );
    expect(events).toEqual([{ type: 'conversation.updated', assignee: expected }]);

    const cleared = await assign(id, null).expect(200);
    expect((cleared.body as ConversationBody).assignee).toBeNull();
    const [row] = await t.db.query<{ assignee_id: number | null }[]>(
      `SELECT assignee_id FROM conversations WHERE id = $1`,
      [id],
    );
    expect(row.assignee_id).toBeNull();
  });

  it('lets an agent take a conversation, together with marking it read', async () => {
    const agent = await teammate('Ada Agent', 'agent');
    const id = await newConversation();
    const res = await t.http
      .patch(`/api/conversations/${id}`)
      .set(inWs(agent))
      .send({ assignee_id: agent.id, read: true })
      .expect(200);
    expect(res.body).toMatchObject({ unread_count: 0, assignee: { id: agent.id } });
  });

  it('keeps the assignee when the customer writes again and when the conversation is closed', async () => {
    const mate = await teammate('Kim Keeper');
    const waId = customerWaId();
    const write = (text: string) =>
      postWebhook(
        t,
        inboundNotification(waId, 'Customer', metaMessage(waId, META_TYPES.text(text))),
      ).expect(200);
    await write('first');
    const [{ id }] = await t.db.query<{ id: number }[]>(
      `SELECT c.id FROM conversations c JOIN contacts ct ON ct.id = c.contact_id WHERE ct.wa_id = $1`,
      [waId],
    );
    await assign(id, mate.id).expect(200);
    await write('second');
    const closed = await t.http
      .patch(`/api/conversations/${id}`)
      .set(owner.auth)
      .send({ is_active: false })
      .expect(200);
    expect(closed.body).toMatchObject({ is_active: false, assignee: { id: mate.id } });
  });

  it('refuses an assignee outside the workspace, and malformed ids, with 422 naming the field', async () => {
    const outsider = await createUser(t, { name: 'Outsider' });
    const id = await newConversation();
    for (const bad of [outsider.id, 2_000_000_000, 0, -1, '7', 1.5, true, {}]) {
      const res = await assign(id, bad).expect(422);
      expect(res.body).toMatchObject({ errors: [{ field: 'assignee_id' }] });
    }
    const res = await assign(id, outsider.id).expect(422);
    expect((res.body as { message: string }).message).toContain('not a member of this workspace');
    const [row] = await t.db.query<{ assignee_id: number | null }[]>(
      `SELECT assignee_id FROM conversations WHERE id = $1`,
      [id],
    );
    expect(row.assignee_id).toBeNull();
  });

  it("answers 404 for another workspace's conversation", async () => {
    const outsider = await createUser(t, { name: 'Elsewhere' });
    const id = await newConversation();
    await t.http
      .patch(`/api/conversations/${id}`)
      .set(outsider.auth)
      .send({ assignee_id: outsider.id })
      .expect(404);
  });
});

describe('GET /api/conversations?assignee=', () => {
  it('lists the caller’s, nobody’s or one teammate’s conversations, with the other filters', async () => {
    const mate = await teammate('Filter Mate');
    const mine = await newConversation();
    const theirs = await newConversation();
    const theirsClosed = await newConversation();
    const nobodys = await newConversation();
    await assign(mine, owner.id).expect(200);
    await assign(theirs, mate.id).expect(200);
    await assign(theirsClosed, mate.id).expect(200);
    await t.http
      .patch(`/api/conversations/${theirsClosed}`)
      .set(owner.auth)
      .send({ is_active: false })
      .expect(200);

    expect(await listIds('assignee=me')).toEqual([mine]);
    expect(await listIds('assignee=me', mate)).toEqual([theirsClosed, theirs]);
    expect(await listIds(`assignee=${mate.id}`)).toEqual([theirsClosed, theirs]);
    expect(await listIds(`assignee=${mate.id}&status=open`)).toEqual([theirs]);
    const unassigned = await listIds('assignee=none');
    expect(unassigned).toContain(nobodys);
    expect(unassigned).not.toContain(mine);
    expect(unassigned).not.toContain(theirs);
    const everyone = await listIds('');
    expect(everyone).toEqual(expect.arrayContaining([mine, theirs, theirsClosed, nobodys]));

    // The cursor pages through a filtered list too.
    const first = await t.http
      .get(`/api/conversations?assignee=${mate.id}&limit=1`)
      .set(owner.auth)
      .expect(200);
    const page1 = first.body as { conversations: ConversationBody[]; next_before_id: number };
    expect(page1.conversations.map((c) => c.id)).toEqual([theirsClosed]);
    const second = await t.http
      .get(`/api/conversations?assignee=${mate.id}&limit=1&before_id=${page1.next_before_id}`)
      .set(owner.auth)
      .expect(200);
    expect((second.body as { conversations: ConversationBody[] }).conversations[0].id).toBe(theirs);
  });

  it('answers 422 for an assignee filter that is not me, none or an id', async () => {
    for (const bad of ['someone', '0', '-3', '1.5', 'me,none', '99999999999']) {
      const res = await t.http
        .get(`/api/conversations?assignee=${encodeURIComponent(bad)}`)
        .set(owner.auth)
        .expect(422);
      expect(res.body).toMatchObject({
        errors: [{ field: 'assignee', message: 'assignee must be me, none or a user id' }],
      });
    }
  });
});

describe('removing a member', () => {
  /** A new teammate with two conversations assigned to them. */
  async function teammateWithTwo(name: string) {
    const mate = await teammate(name);
    const a = await newConversation();
    const b = await newConversation();
    await assign(a, mate.id).expect(200);
    await assign(b, mate.id).expect(200);
    return { mate, a, b };
  }

  it('unassigns their conversations and announces each', async () => {
    const { mate, a, b } = await teammateWithTwo('Leaving Soon');
    const before = await lastEventId();

    await t.http.delete(`/api/workspace/members/${mate.id}`).set(owner.auth).expect(204);

    const rows = await t.db.query<{ id: number; assignee_id: number | null }[]>(
      `SELECT id, assignee_id FROM conversations WHERE id = ANY($1) ORDER BY id`,
      [[a, b]],
    );
    expect(rows).toEqual([
      { id: Math.min(a, b), assignee_id: null },
      { id: Math.max(a, b), assignee_id: null },
    ]);
    const events = await t.db.query<{ type: string; id: number; assignee: unknown }[]>(
      `SELECT type, (data->'conversation'->>'id')::int AS id, data->'conversation'->'assignee' AS assignee
         FROM events WHERE id > $1 ORDER BY id`,
      [before],
    );
    expect(events).toEqual([
      { type: 'conversation.updated', id: Math.min(a, b), assignee: null },
      { type: 'conversation.updated', id: Math.max(a, b), assignee: null },
    ]);
  });

  it('runs again when it deadlocks with a transaction holding those conversations', async () => {
    const { mate, a, b } = await teammateWithTwo('Deadlocked');
    // Another transaction (a webhook group, say) holds both conversations…
    const other = new pg.Client({ connectionString: t.databaseUrl });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(
        `UPDATE conversations SET last_message_at = last_message_at WHERE id = ANY($1)`,
        [[a, b]],
      );
      // …while the removal has deleted the membership and waits for them.
      const removal = t.http
        .delete(`/api/workspace/members/${mate.id}`)
        .set(owner.auth)
        .then((res) => res);
      await waitFor(async () => {
        const waiting = await t.db.query<unknown[]>(
          `SELECT 1 FROM pg_stat_activity
            WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE conversations SET assignee_id = NULL%'`,
        );
        return waiting.length > 0;
      }, 'the removal to wait for the conversations');
      // Then the other transaction needs the membership row: a deadlock, which PostgreSQL
      // breaks by aborting the removal (it waited first). That runs again once this commits.
      await other.query(
        `UPDATE workspace_members SET role = role WHERE workspace_id = $1 AND user_id = $2`,
        [workspaceId, mate.id],
      );
      await other.query('COMMIT');
      expect((await removal).status).toBe(204);
    } finally {
      await other.end();
    }
    const left = await t.db.query<unknown[]>(
      `SELECT 1 FROM conversations WHERE assignee_id = $1
       UNION ALL SELECT 1 FROM workspace_members WHERE user_id = $1 AND workspace_id = $2`,
      [mate.id, workspaceId],
    );
    expect(left).toEqual([]);
  });

  it('never leaves a conversation assigned to someone removed while it was being assigned', async () => {
    for (let round = 0; round < 5; round++) {
      const mate = await teammate(`Racer ${round}`);
      const ids = await Promise.all([newConversation(), newConversation(), newConversation()]);
      const results = await Promise.all([
        ...ids.map((id) => assign(id, mate.id)),
        t.http.delete(`/api/workspace/members/${mate.id}`).set(owner.auth),
      ]);
      // Each assignment either came first (and was then unassigned) or found no member.
      for (const res of results.slice(0, ids.length)) expect([200, 422]).toContain(res.status);
      expect(results[ids.length].status).toBe(204);
      const left = await t.db.query<unknown[]>(
        `SELECT 1 FROM conversations WHERE assignee_id = $1`,
        [mate.id],
      );
      expect(left).toEqual([]);
    }
  });
});
