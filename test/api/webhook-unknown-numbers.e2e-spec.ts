import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../support/app.js';
import { FAST_QUEUE_ENV, waitFor } from '../support/emulator.js';
import { createUser, type RegisteredUser } from '../support/factories.js';
import {
  customerWaId,
  metaContact,
  metaMessage,
  metaNotification,
  META_TYPES,
  postWebhook,
  TEST_PHONE_NUMBER_ID,
  wamid,
  webhookEnv,
} from '../support/meta.js';

let t: TestApp;
let owner: RegisteredUser;
beforeAll(async () => {
  t = await createTestApp(webhookEnv(FAST_QUEUE_ENV));
  owner = await createUser(t, { name: 'Deployment Owner' }); // first workspace of this database
});
afterAll(async () => {
  await t.close();
});

const forNumber = (
  phoneNumberId: string,
  display: string,
  text = 'anyone there?',
  id = wamid(),
) => {
  const from = customerWaId();
  return metaNotification({
    phoneNumberId,
    displayPhoneNumber: display,
    contacts: [metaContact(from, 'Lost Customer')],
    messages: [metaMessage(from, META_TYPES.text(text), { id })],
  });
};

interface StoredMessage {
  wa_message_id: string;
  content: string;
}

/** The message with this wamid once the user's inbox has it. */
const inboxMessage = (app: TestApp, user: RegisteredUser, id: string) =>
  waitFor(async () => {
    const res = await app.http.get('/api/messages?limit=100').set(user.auth).expect(200);
    return (res.body as { messages: StoredMessage[] }).messages.find((m) => m.wa_message_id === id);
  }, `message ${id} in the inbox`);

const outcomesOf = async (app: TestApp, ids: string[]) =>
  (
    await app.db.query<{ outcome: string; replay_count: number }[]>(
      `SELECT outcome, replay_count FROM webhook_events
        WHERE payload::text LIKE ANY($1::text[]) ORDER BY id`,
      [ids.map((id) => `%${id}%`)],
    )
  ).map((r) => `${r.outcome}/${r.replay_count}`);

describe('GET /api/webhook-events/unknown-numbers', () => {
  it("tells the first workspace's owner about numbers no workspace owns, and nobody else", async () => {
    await postWebhook(t, forNumber('190000000000001', '15550000001')).expect(200);
    await postWebhook(t, forNumber('190000000000001', '15550000001')).expect(200);
    await postWebhook(t, forNumber('190000000000002', '15550000002')).expect(200);

    const res = await t.http.get('/api/webhook-events/unknown-numbers').set(owner.auth).expect(200);
    const list = (
      res.body as {
        unknown_numbers: {
          phone_number_id: string;
          events: number;
          display_phone_number: string;
        }[];
      }
    ).unknown_numbers;
    expect(list).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          phone_number_id: '190000000000001',
          events: 2,
          display_phone_number: '15550000001',
        }),
        expect.objectContaining({ phone_number_id: '190000000000002', events: 1 }),
      ]),
    );
    expect(list).toHaveLength(2);

    const other = await createUser(t);
    const theirs = await t.http
      .get('/api/webhook-events/unknown-numbers')
      .set(other.auth)
      .expect(200);
    expect(theirs.body).toEqual({ unknown_numbers: [] });
  });

  it('needs a token', async () => {
    await t.http.get('/api/webhook-events/unknown-numbers').expect(401);
  });
});

describe('connecting a number that Meta already delivered to', () => {
  it('brings the webhooks kept for it into the inbox', async () => {
    const phoneNumberId = '190000000000003';
    const first = wamid();
    const second = wamid();
    const early = await postWebhook(
      t,
      forNumber(phoneNumberId, '15550000003', 'sent before you connected', first),
    ).expect(200);
    expect(early.body).toEqual({ status: 'ok', message_id: null });
    await postWebhook(t, forNumber(phoneNumberId, '15550000003', 'me too', second)).expect(200);
    expect(await outcomesOf(t, [first, second])).toEqual(['unknown_number/0', 'unknown_number/0']);

    await t.http
      .post('/api/whatsapp/numbers')
      .set(owner.auth)
      .send({
        phone_number_id: phoneNumberId,
        business_account_id: '290000000000003',
        access_token: 'EAAG-test-token',
        app_secret: 'another-app-secret',
        verify_token: 'another-verify-token',
      })
      .expect(201);

    expect(await inboxMessage(t, owner, first)).toMatchObject({
      content: 'sent before you connected',
    });
    expect(await inboxMessage(t, owner, second)).toMatchObject({ content: 'me too' });
    await waitFor(async () => {
      const outcomes = await outcomesOf(t, [first, second]);
      return outcomes.every((o) => o === 'processed/1') && outcomes;
    }, 'both events processed by one replay');
    const notice = await t.http
      .get('/api/webhook-events/unknown-numbers')
      .set(owner.auth)
      .expect(200);
    expect(
      (notice.body as { unknown_numbers: { phone_number_id: string }[] }).unknown_numbers.map(
        (u) => u.phone_number_id,
      ),
    ).not.toContain(phoneNumberId);
  });
});

describe('WA_PHONE_NUMBER_ID before anyone signed up', () => {
  let fresh: TestApp;
  beforeAll(async () => {
    fresh = await createTestApp(webhookEnv(FAST_QUEUE_ENV));
  });
  afterAll(async () => {
    await fresh.close();
  });

  it('reaches the first workspace once it exists', async () => {
    const id = wamid();
    const early = await postWebhook(
      fresh,
      forNumber(TEST_PHONE_NUMBER_ID, '15550783881', 'hello, is this the shop?', id),
    ).expect(200);
    expect(early.body).toEqual({ status: 'ok', message_id: null });
    expect(await outcomesOf(fresh, [id])).toEqual(['unknown_number/0']);

    const first = await createUser(fresh, { name: 'First Owner' });
    expect(await inboxMessage(fresh, first, id)).toMatchObject({
      content: 'hello, is this the shop?',
    });
    expect(await outcomesOf(fresh, [id])).toEqual(['processed/1']);
  });
});
