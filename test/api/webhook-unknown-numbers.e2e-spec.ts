import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../support/app.js';
import { createUser, type RegisteredUser } from '../support/factories.js';
import {
  customerWaId,
  metaContact,
  metaMessage,
  metaNotification,
  META_TYPES,
  postWebhook,
  wamid,
  webhookEnv,
} from '../support/meta.js';

let t: TestApp;
let owner: RegisteredUser;
beforeAll(async () => {
  t = await createTestApp(webhookEnv());
  owner = await createUser(t, { name: 'Deployment Owner' }); // first workspace of this database
});
afterAll(async () => {
  await t.close();
});

const forNumber = (phoneNumberId: string, display: string) => {
  const from = customerWaId();
  return metaNotification({
    phoneNumberId,
    displayPhoneNumber: display,
    contacts: [metaContact(from, 'Lost Customer')],
    messages: [metaMessage(from, META_TYPES.text('anyone there?'), { id: wamid() })],
  });
};

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
