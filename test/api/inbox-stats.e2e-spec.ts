import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
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
