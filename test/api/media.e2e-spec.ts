import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { Response } from 'supertest';
import { createUser } from '../support/factories.js';
import {
  conversationOf,
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
beforeEach(() => {
  w.meta.clearFailures();
});

interface MessageBody {
  id: number;
  type: string;
  has_media: boolean;
  media_id: string | null;
}

/** A customer sends media through the emulator; returns our message for it. */
async function customerSendsMedia(
  input: Record<string, unknown>,
): Promise<{ message: MessageBody; mediaId: string }> {
  const from = newCustomer();
  const result = await w.meta.sendInbound({ from, name: 'Customer', ...input });
  expect(result.delivery.ok).toBe(true);
  const conversationId = await conversationOf(w, from);
  const res = await w.t.http
    .get(`/api/conversations/${conversationId}/messages`)
    .set(w.owner.auth)
    .expect(200);
  const [message] = (res.body as { messages: MessageBody[] }).messages;
  return { message, mediaId: result.media?.id as string };
}

const media = (id: number) => w.t.http.get(`/api/messages/${id}/media`).set(w.owner.auth);

async function mediaStatus(id: number): Promise<string | null> {
  const rows = await w.t.db.query<{ media_status: string | null }[]>(
    `SELECT media_status FROM messages WHERE id = $1`,
    [id],
  );
  return rows[0]?.media_status ?? null;
}

/** Polls GET …/media until it stops answering 409 (download pending). */
async function settledMedia(id: number): Promise<Response> {
  return waitFor(async () => {
    const res = await media(id);
    return res.status === 409 ? undefined : res;
  }, `the media of message ${id}`);
}

describe('GET /api/messages/:id/media', () => {
  it('fetches an inbound image as it arrives and serves the same bytes with their type', async () => {
    const bytes = randomBytes(2048);
    const { message } = await customerSendsMedia({
      type: 'image',
      media: { data: bytes, mimeType: 'image/jpeg' },
    });
    expect(message).toMatchObject({ type: 'image', has_media: true });

    // Nobody asked for it: the download happens in the background, right after the webhook.
    await waitFor(
      async () => (await mediaStatus(message.id)) === 'stored',
      'the image to be stored',
    );
    const res = await media(message.id).buffer(true).expect(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers['content-disposition']).toBe(
      `inline; filename="message-${message.id}.jpg"; filename*=UTF-8''message-${message.id}.jpg`,
    );
    expect(Buffer.compare(res.body as Buffer, bytes)).toBe(0);
    const [stored] = await w.t.db.query<{ sha256: string; file_size: number }[]>(
      `SELECT sha256, file_size FROM media_files WHERE message_id = $1`,
      [message.id],
    );
    expect(stored).toEqual({
      sha256: createHash('sha256').update(bytes).digest('hex'),
      file_size: 2048,
    });
  });

  it('serves a document as an attachment under its file name', async () => {
    const { message } = await customerSendsMedia({
      type: 'document',
      media: { text: 'invoice body', mimeType: 'application/pdf', filename: 'Fatura nº 12.pdf' },
    });
    const res = await settledMedia(message.id);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="Fatura n_ 12.pdf"; filename*=UTF-8''Fatura%20n%C2%BA%2012.pdf`,
    );
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers 409 while the download waits, then 410 when Meta dropped the media before we got it', async () => {
    // Meta is briefly unavailable (503), so the download keeps being retried...
    w.meta.injectFailure({ code: 2, endpoint: 'all', times: null });
    const { message, mediaId } = await customerSendsMedia({ type: 'image' });
    const pending = await media(message.id).expect(409);
    expect(pending.body).toMatchObject({ code: 'media_not_ready', retry_after_seconds: 2 });

    // ...and when it is back, the media is gone.
    expect(w.meta.expireMedia(mediaId)).toBe(true);
    w.meta.clearFailures();
    const gone = await settledMedia(message.id);
    expect(gone.status).toBe(410);
    expect(gone.body).toMatchObject({ status_code: 410, code: 'media_expired' });
    expect((gone.body as { message: string }).message).toMatch(
      /expired before No Lose could download it/,
    );
    expect(await mediaStatus(message.id)).toBe('expired');
  });

  it('answers 404 for a message without media and for a message of another workspace', async () => {
    const from = newCustomer();
    await w.meta.sendInbound({ type: 'text', from, text: 'no attachment' });
    const conversationId = await conversationOf(w, from);
    const list = await w.t.http
      .get(`/api/conversations/${conversationId}/messages`)
      .set(w.owner.auth)
      .expect(200);
    const text = (list.body as { messages: MessageBody[] }).messages[0];
    expect((await media(text.id).expect(404)).body).toMatchObject({
      message: 'This message has no media',
    });

    const { message } = await customerSendsMedia({ type: 'sticker' });
    const stranger = await createUser(w.t);
    await w.t.http.get(`/api/messages/${message.id}/media`).set(stranger.auth).expect(404);
    await w.t.http.get(`/api/messages/${message.id}/media`).expect(401);
  });
});
