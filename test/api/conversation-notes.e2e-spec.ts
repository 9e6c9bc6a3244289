import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../support/app.js';
import { createTeammate, createUser, type RegisteredUser } from '../support/factories.js';
import {
  customerWaId,
  inboundNotification,
  META_TYPES,
  metaMessage,
  postWebhook,
  webhookEnv,
} from '../support/meta.js';

interface NoteBody {
  id: number;
  conversation_id: number;
  author: { id: number; name: string } | null;
  body: string;
  created_at: string;
}

let t: TestApp;
let owner: RegisteredUser;
beforeAll(async () => {
  t = await createTestApp(webhookEnv());
  owner = await createUser(t, { name: 'Olivia Owner' }); // the first workspace: it owns the number
});
afterAll(async () => {
  await t.close();
});

/** A customer writes in; answers their conversation's id. */
async function newConversation(): Promise<number> {
  const waId = customerWaId();
  await postWebhook(
    t,
    inboundNotification(waId, 'Customer', metaMessage(waId, META_TYPES.text('hello'))),
  ).expect(200);
  const [row] = await t.db.query<{ id: number }[]>(
    `SELECT c.id FROM conversations c JOIN contacts ct ON ct.id = c.contact_id WHERE ct.wa_id = $1`,
    [waId],
  );
  return row.id;
}

const addNote = (id: number, body: unknown, user = owner) =>
  t.http.post(`/api/conversations/${id}/notes`).set(user.auth).send({ body });

async function notesOf(id: number, user = owner): Promise<NoteBody[]> {
  const res = await t.http.get(`/api/conversations/${id}/notes`).set(user.auth).expect(200);
  return (res.body as { notes: NoteBody[] }).notes;
}

describe('conversation notes', () => {
  it('keeps what teammates write, oldest first, with author and time, and announces each live', async () => {
    const mate = await createTeammate(t, owner, 'Maria Agent');
    const id = await newConversation();
    expect(await notesOf(id)).toEqual([]);
    const [{ max: before }] = await t.db.query<{ max: string | null }[]>(
      `SELECT max(id) FROM events`,
    );

    const first = await addNote(id, '  Wants a refund for order 10042.  ').expect(201);
    const second = await addNote(id, 'Approved.\nRefund sent.', mate).expect(201);
    expect(first.body).toMatchObject({
      conversation_id: id,
      author: { id: owner.id, name: 'Olivia Owner' },
      body: 'Wants a refund for order 10042.',
    });
    expect(Date.parse((first.body as NoteBody).created_at)).not.toBeNaN();

    const notes = await notesOf(id, mate);
    expect(notes).toEqual([first.body as NoteBody, second.body as NoteBody]);
    expect(notes[1]).toMatchObject({ author: { id: mate.id, name: 'Maria Agent' } });

    const events = await t.db.query<{ type: string; note: NoteBody }[]>(
      `SELECT type, data->'note' AS note FROM events WHERE id > $1 ORDER BY id`,
      [before ?? '0'],
    );
    expect(events).toEqual([
      { type: 'note.created', note: first.body as NoteBody },
      { type: 'note.created', note: second.body as NoteBody },
    ]);
    // A note is not a message: nothing goes to the customer, nothing is counted.
    const [{ count }] = await t.db.query<{ count: string }[]>(
      `SELECT count(*) FROM messages WHERE conversation_id = $1`,
      [id],
    );
    expect(Number(count)).toBe(1);
  });

  it('refuses an empty, blank, too long or non-text body, and unknown fields, with 422', async () => {
    const id = await newConversation();
    for (const bad of ['', '   ', 'x'.repeat(4097), 42, null, ['a']]) {
      const res = await addNote(id, bad).expect(422);
      expect(res.body).toMatchObject({ errors: [{ field: 'body' }] });
    }
    await addNote(id, 'x'.repeat(4096)).expect(201);
    await t.http
      .post(`/api/conversations/${id}/notes`)
      .set(owner.auth)
      .send({ body: 'ok', pinned: true })
      .expect(422);
    expect(await notesOf(id)).toHaveLength(1);
  });

  it("answers 404 for another workspace's conversation, both ways, and 422 for a bad id", async () => {
    const outsider = await createUser(t, { name: 'Elsewhere' });
    const id = await newConversation();
    await addNote(id, 'mine').expect(201);
    await t.http.get(`/api/conversations/${id}/notes`).set(outsider.auth).expect(404);
    await addNote(id, 'sneaky', outsider).expect(404);
    await t.http.get('/api/conversations/999999/notes').set(owner.auth).expect(404);
    await t.http.get('/api/conversations/abc/notes').set(owner.auth).expect(422);
    expect((await notesOf(id)).map((n) => n.body)).toEqual(['mine']);
  });

  it('shows a note as written, markup included (the client prints it as text)', async () => {
    const id = await newConversation();
    const body = '<img src=x onerror=alert(1)> & "quotes"';
    await addNote(id, body).expect(201);
    expect((await notesOf(id))[0].body).toBe(body);
  });
});
