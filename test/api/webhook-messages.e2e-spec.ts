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
  wamid,
} from '../support/meta.js';

// Every message type Meta documents, posted as Meta sends it, and what the inbox keeps of it.

let t: TestApp;
let user: RegisteredUser;

beforeAll(async () => {
  t = await createTestApp(webhookEnv());
  user = await createUser(t);
});
afterAll(async () => {
  await t.close();
});

interface StoredMessage {
  id: number;
  message_type: string;
  content: string | null;
  media_id: string | null;
  mime_type: string | null;
  sha256: string | null;
  file_name: string | null;
  reply_to_wa_message_id: string | null;
  forwarded: boolean;
  referral: Record<string, unknown> | null;
  error_code: number | null;
  error_title: string | null;
  error_details: string | null;
  is_outbound: boolean;
  status: string;
  timestamp: Date;
  raw_data: Record<string, unknown>;
}

/** Posts one customer message and returns the stored row. */
async function deliver(
  typeBody: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Promise<StoredMessage> {
  const from = customerWaId();
  const message = metaMessage(from, typeBody, extra);
  const res = await postWebhook(t, inboundNotification(from, 'Sheena Nelson', message)).expect(200);
  const rows = await t.db.query<StoredMessage[]>(
    `SELECT * FROM messages WHERE wa_message_id = $1`,
    [message.id],
  );
  expect(rows).toHaveLength(1);
  expect(res.body).toEqual({ status: 'ok', message_id: rows[0].id });
  expect(rows[0].raw_data).toEqual(message);
  expect(rows[0]).toMatchObject({ is_outbound: false, status: 'received' });
  expect(rows[0].timestamp.getTime()).toBe(Number(message.timestamp) * 1000);
  return rows[0];
}

const none = {
  media_id: null,
  mime_type: null,
  sha256: null,
  file_name: null,
  reply_to_wa_message_id: null,
  error_code: null,
  error_title: null,
};

describe('POST /api/webhook stores every message type', () => {
  it('text', async () => {
    expect(await deliver(META_TYPES.text('Hello! Is my order on its way?'))).toMatchObject({
      ...none,
      message_type: 'text',
      content: 'Hello! Is my order on its way?',
    });
  });

  it('image with caption', async () => {
    expect(await deliver(META_TYPES.image())).toMatchObject({
      message_type: 'image',
      content: 'Parcel arrived damaged',
      media_id: '1003383421387256',
      mime_type: 'image/jpeg',
      sha256: 'tFLt5tGdcBZBTQAnE2fpQ4D8+1Ct2xAg2iv3l8wEFfw=',
      file_name: null,
    });
  });

  it('video', async () => {
    expect(await deliver(META_TYPES.video())).toMatchObject({
      message_type: 'video',
      content: 'Unboxing',
      media_id: '1240218634214312',
      mime_type: 'video/mp4',
    });
  });

  it('audio', async () => {
    expect(await deliver(META_TYPES.audio())).toMatchObject({
      message_type: 'audio',
      content: null,
      media_id: '1156312519473519',
      mime_type: 'audio/mpeg',
    });
  });

  it('voice note (audio flagged voice)', async () => {
    const stored = await deliver(META_TYPES.voice());
    expect(stored).toMatchObject({
      message_type: 'audio',
      media_id: '1780219242830371',
      mime_type: 'audio/ogg; codecs=opus',
    });
    expect((stored.raw_data.audio as { voice: boolean }).voice).toBe(true);
  });

  it('document, with its file name', async () => {
    expect(await deliver(META_TYPES.document())).toMatchObject({
      message_type: 'document',
      content: 'invoice-0042.pdf',
      file_name: 'invoice-0042.pdf',
      media_id: '1003383421387257',
      mime_type: 'application/pdf',
      sha256: 'fCxS7oZEH+ZoIhS5mUBvTXq1N8Ot1dr5eN3jOyD3Jb0=',
    });
  });

  it('sticker', async () => {
    expect(await deliver(META_TYPES.sticker())).toMatchObject({
      message_type: 'sticker',
      content: null,
      media_id: '1240218634214313',
      mime_type: 'image/webp',
    });
  });

  it('location: the place name and address', async () => {
    expect(await deliver(META_TYPES.location())).toMatchObject({
      ...none,
      message_type: 'location',
      content: 'Main Office, 1 Hacker Way, Menlo Park, CA 94025',
    });
  });

  it('location pin without a name: the coordinates', async () => {
    expect(await deliver(META_TYPES.pin())).toMatchObject({
      message_type: 'location',
      content: '38.7077507, -9.1365919',
    });
  });

  it('contacts: the shared names', async () => {
    expect(await deliver(META_TYPES.contacts())).toMatchObject({
      message_type: 'contacts',
      content: 'Barbara J. Johnson, Pablo Morales',
    });
  });

  it('interactive button_reply: the tapped title and the message it answers', async () => {
    const context = wamid();
    expect(await deliver(META_TYPES.buttonReply(context))).toMatchObject({
      message_type: 'interactive',
      content: 'Cancel',
      reply_to_wa_message_id: context,
    });
  });

  it('interactive list_reply: the chosen row', async () => {
    const context = wamid();
    expect(await deliver(META_TYPES.listReply(context))).toMatchObject({
      message_type: 'interactive',
      content: 'Priority Mail Express',
      reply_to_wa_message_id: context,
    });
  });

  it('interactive nfm_reply (WhatsApp Flow): the answers', async () => {
    const context = wamid();
    expect(await deliver(META_TYPES.nfmReply(context))).toMatchObject({
      message_type: 'interactive',
      content: 'rating: 5, comment: Quick delivery',
      reply_to_wa_message_id: context,
    });
  });

  it('button (template quick reply): the button text', async () => {
    const context = wamid();
    expect(await deliver(META_TYPES.button(context))).toMatchObject({
      message_type: 'button',
      content: 'Unsubscribe from Promos',
      reply_to_wa_message_id: context,
    });
  });

  it('reaction: the emoji and the message reacted to', async () => {
    const target = wamid();
    expect(await deliver(META_TYPES.reaction(target, '❤️'))).toMatchObject({
      message_type: 'reaction',
      content: '❤️',
      reply_to_wa_message_id: target,
    });
  });

  it('reaction removed: no content, still the message reacted to', async () => {
    const target = wamid();
    expect(await deliver(META_TYPES.reaction(target, ''))).toMatchObject({
      message_type: 'reaction',
      content: null,
      reply_to_wa_message_id: target,
    });
  });

  it('order: a summary of the items', async () => {
    expect(await deliver(META_TYPES.order())).toMatchObject({
      message_type: 'order',
      content: 'Order: 3 items, 34.98 USD — Love these!',
    });
  });

  it('system (customer changed number): the system text', async () => {
    expect(await deliver(META_TYPES.system('16505551234', '12195555358'))).toMatchObject({
      message_type: 'system',
      content: 'User Sheena Nelson changed from 16505551234 to 12195555358',
    });
  });

  it('click-to-WhatsApp ad referral: the text plus the referral', async () => {
    const stored = await deliver(META_TYPES.referral());
    expect(stored).toMatchObject({
      message_type: 'text',
      content: 'Can I get more info about this?',
    });
    expect(stored.referral).toMatchObject({
      source_type: 'ad',
      source_id: '120226305854810726',
      headline: 'New Succulents!',
    });
  });

  it('unsupported: Meta’s error code, title and details', async () => {
    expect(await deliver(META_TYPES.unsupported())).toMatchObject({
      message_type: 'unsupported',
      content: null,
      error_code: 131051,
      error_title: 'Message type unknown',
      error_details: 'Message type is currently not supported.',
    });
  });

  it('unknown (older API versions): Meta’s error', async () => {
    expect(await deliver(META_TYPES.unknown())).toMatchObject({
      message_type: 'unknown',
      error_code: 131051,
      error_title: 'Unsupported message type',
      error_details: 'Message type is not currently supported',
    });
  });

  it('a type newer than this code: kept with its type and raw JSON', async () => {
    expect(
      await deliver({ type: 'poll_vote', poll_vote: { title: 'Tuesday works', option_ids: [2] } }),
    ).toMatchObject({
      message_type: 'poll_vote',
      content: 'Tuesday works',
    });
  });

  it('a forwarded message with a reply context', async () => {
    const context = wamid();
    expect(
      await deliver(META_TYPES.text('look at this'), {
        context: { from: '15550783881', id: context, forwarded: true },
      }),
    ).toMatchObject({ forwarded: true, reply_to_wa_message_id: context });
  });
});

describe('stored webhook messages through the API and the live events', () => {
  it('appear in GET /api/messages with their media and reply fields', async () => {
    const stored = await deliver(META_TYPES.document());
    const res = await t.http.get('/api/messages').query({ limit: 100 }).set(user.auth).expect(200);
    const listed = (res.body as { messages: Record<string, unknown>[] }).messages.find(
      (m) => m.id === stored.id,
    );
    expect(listed).toMatchObject({
      type: 'document',
      content: 'invoice-0042.pdf',
      is_outbound: false,
      status: 'received',
      media_id: '1003383421387257',
      mime_type: 'application/pdf',
      file_name: 'invoice-0042.pdf',
      has_media: true,
    });
  });

  it('publish message.created with the message and its conversation, in the same transaction', async () => {
    const stored = await deliver(META_TYPES.text('live please'));
    const events = await t.db.query<
      {
        type: string;
        data: { message: Record<string, unknown>; conversation: Record<string, unknown> };
      }[]
    >(
      `SELECT type, data FROM events WHERE type = 'message.created' AND (data->'message'->>'id')::int = $1`,
      [stored.id],
    );
    expect(events).toHaveLength(1);
    expect(events[0].data.message).toMatchObject({
      id: stored.id,
      content: 'live please',
      type: 'text',
    });
    expect(events[0].data.conversation).toMatchObject({
      is_active: true,
      unread_count: 1,
      contact: expect.objectContaining({ profile_name: 'Sheena Nelson' }),
      last_message: expect.objectContaining({ id: stored.id }),
    });
    // PostgreSQL writes the event's conversation: exactly what the API answers for it.
    const conversationId = events[0].data.message.conversation_id as number;
    const api = await t.http.get(`/api/conversations/${conversationId}`).set(user.auth).expect(200);
    expect(events[0].data.conversation).toEqual(api.body);
  });
});
