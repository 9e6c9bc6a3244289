import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  customerWrites,
  newCustomer,
  startWiredApp,
  waitFor,
  type WiredApp,
} from '../support/emulator.js';

// Apps, the emulator and queued work: more than Jest's default 5 s per test.
jest.setTimeout(30_000);

let w: WiredApp;
beforeAll(async () => {
  w = await startWiredApp();
});
afterAll(async () => {
  await w.close();
});

interface MessageBody {
  id: number;
  wa_message_id: string;
  is_outbound: boolean;
}

describe('read receipts (PATCH /api/conversations/:id {read: true})', () => {
  it('marks the latest inbound message read at Meta once, however often the conversation is opened', async () => {
    const customer = newCustomer();
    const conversationId = await customerWrites(w, customer, 'First question');
    await w.meta.sendInbound({ type: 'text', from: customer, text: 'Second question' });
    const list = await w.t.http
      .get(`/api/conversations/${conversationId}/messages`)
      .set(w.owner.auth)
      .expect(200);
    const latest = (list.body as { messages: MessageBody[] }).messages[0];
    const receiptsFor = () =>
      w.meta.readReceipts().filter((r) => r.messageId === latest.wa_message_id);

    await w.t.http
      .patch(`/api/conversations/${conversationId}`)
      .set(w.owner.auth)
      .send({ read: true })
      .expect(200);
    await waitFor(() => receiptsFor().length === 1, 'the read receipt');
    expect(receiptsFor()[0]).toMatchObject({ known: true, typingIndicator: false });

    await w.t.http
      .patch(`/api/conversations/${conversationId}`)
      .set(w.owner.auth)
      .send({ read: true })
      .expect(200);
    const jobs = await w.t.db.query<{ status: string }[]>(
      `SELECT status FROM jobs WHERE type = 'mark_read' AND payload->>'waMessageId' = $1`,
      [latest.wa_message_id],
    );
    expect(jobs).toEqual([{ status: 'done' }]);
    expect(receiptsFor()).toHaveLength(1);
  });

  it('sends a new receipt when the customer wrote again since', async () => {
    const customer = newCustomer();
    const conversationId = await customerWrites(w, customer, 'Hello');
    await w.t.http
      .patch(`/api/conversations/${conversationId}`)
      .set(w.owner.auth)
      .send({ read: true })
      .expect(200);
    const again = await w.meta.sendInbound({ type: 'text', from: customer, text: 'Anyone?' });
    await w.t.http
      .patch(`/api/conversations/${conversationId}`)
      .set(w.owner.auth)
      .send({ read: true })
      .expect(200);
    await waitFor(
      () => w.meta.readReceipts().some((r) => r.messageId === again.messageId),
      'the second receipt',
    );
  });
});
