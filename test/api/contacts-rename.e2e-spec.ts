import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../support/app.js';
import { createUser, type RegisteredUser } from '../support/factories.js';
import {
  customerWaId,
  inboundNotification,
  META_TYPES,
  metaMessage,
  postWebhook,
  webhookEnv,
} from '../support/meta.js';

interface ContactBody {
  id: number;
  wa_id: string;
  name: string | null;
  profile_name: string | null;
}

let t: TestApp;
let owner: RegisteredUser;
beforeAll(async () => {
  t = await createTestApp(webhookEnv());
  owner = await createUser(t); // the first workspace: it owns the webhook's number
});
afterAll(async () => {
  await t.close();
});

/** A customer writes with this WhatsApp profile name; answers their contact. */
async function customerWrites(waId: string, profileName: string): Promise<ContactBody> {
  await postWebhook(
    t,
    inboundNotification(waId, profileName, metaMessage(waId, META_TYPES.text('hello'))),
  ).expect(200);
  const res = await t.http.get(`/api/contacts?q=${waId}`).set(owner.auth).expect(200);
  return (res.body as { contacts: ContactBody[] }).contacts.find((c) => c.wa_id === waId)!;
}

const rename = (id: number, name: unknown, user = owner) =>
  t.http.patch(`/api/contacts/${id}`).set(user.auth).send({ name });

describe('PATCH /api/contacts/:id', () => {
  it('renames the contact everywhere the inbox shows it, live', async () => {
    const waId = customerWaId();
    const contact = await customerWrites(waId, 'Ana');
    // A second, closed conversation: both are announced.
    const [open] = (
      await t.db.query<{ id: number }[]>(`SELECT id FROM conversations WHERE contact_id = $1`, [
        contact.id,
      ])
    ).map((r) => r.id);
    await t.http.patch(`/api/conversations/${open}`).set(owner.auth).send({ is_active: false });
    await customerWrites(waId, 'Ana');
    const before = await t.db.query<{ max: string }[]>(`SELECT max(id) FROM events`);

    const res = await rename(contact.id, '  Ana (VIP order)  ').expect(200);
    expect(res.body).toMatchObject({
      id: contact.id,
      name: 'Ana (VIP order)',
      profile_name: 'Ana',
    });

    const list = await t.http.get('/api/conversations').set(owner.auth).expect(200);
    const shown = (list.body as { conversations: { contact: ContactBody }[] }).conversations.filter(
      (c) => c.contact.id === contact.id,
    );
    expect(shown.map((c) => c.contact.name)).toEqual(['Ana (VIP order)', 'Ana (VIP order)']);

    const events = await t.db.query<{ type: string; id: number; name: string }[]>(
      `SELECT type, (data->'conversation'->>'id')::int AS id,
              data->'conversation'->'contact'->>'name' AS name
         FROM events WHERE id > $1 ORDER BY id`,
      [before[0].max],
    );
    expect(events).toHaveLength(2);
    expect(events.every((e) => e.type === 'conversation.updated')).toBe(true);
    expect(events.map((e) => e.name)).toEqual(['Ana (VIP order)', 'Ana (VIP order)']);
    const conversationIds = await t.db.query<{ id: number }[]>(
      `SELECT id FROM conversations WHERE contact_id = $1 ORDER BY id`,
      [contact.id],
    );
    expect(events.map((e) => e.id)).toEqual(conversationIds.map((c) => c.id));
  });

  it('keeps a given name when the profile name changes, and follows it again after null', async () => {
    const waId = customerWaId();
    const contact = await customerWrites(waId, 'Pedro');
    await rename(contact.id, 'Pedro – supplier').expect(200);

    const after = await customerWrites(waId, 'Pedro M.');
    expect(after).toMatchObject({ name: 'Pedro – supplier', profile_name: 'Pedro M.' });

    const reset = await rename(contact.id, null).expect(200);
    expect(reset.body).toMatchObject({ name: 'Pedro M.', profile_name: 'Pedro M.' });
    expect(await customerWrites(waId, 'Pedro Martins')).toMatchObject({
      name: 'Pedro Martins',
      profile_name: 'Pedro Martins',
    });
  });

  it.each([
    ['an empty name', '   ', 'name must not be empty'],
    ['a name over 200 characters', 'x'.repeat(201), 'name must be shorter than or equal to 200'],
    ['a number', 42, 'name must be a string'],
    ['no name', undefined, 'name must be a string'],
  ])('refuses %s with 422 naming the field', async (_what, name, message) => {
    const contact = await customerWrites(customerWaId(), 'Zoe');
    const res = await rename(contact.id, name).expect(422);
    expect(res.body).toMatchObject({
      status_code: 422,
      errors: [
        expect.objectContaining({ field: 'name', message: expect.stringContaining(message) }),
      ],
    });
    const [row] = await t.db.query<{ name: string }[]>(`SELECT name FROM contacts WHERE id = $1`, [
      contact.id,
    ]);
    expect(row.name).toBe('Zoe');
  });

  it("answers 404 for another workspace's contact and 401 without a token", async () => {
    const contact = await customerWrites(customerWaId(), 'Kim');
    const stranger = await createUser(t);
    await rename(contact.id, 'Mine now', stranger).expect(404);
    await rename(999_999_999, 'Nobody').expect(404);
    await t.http.patch(`/api/contacts/${contact.id}`).send({ name: 'x' }).expect(401);
    const [row] = await t.db.query<{ name: string }[]>(`SELECT name FROM contacts WHERE id = $1`, [
      contact.id,
    ]);
    expect(row.name).toBe('Kim');
  });
});
