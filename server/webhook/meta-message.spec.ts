import { describe, expect, it } from '@jest/globals';
import type { ContactProfile } from '../inbox/ingest-input.js';
import {
  normalizeContact,
  normalizeMessage,
  normalizeStatus,
  parseMetaTimestamp,
} from './meta-message.js';

const receivedAt = new Date('2026-11-24T10:00:00.000Z');
const sender: ContactProfile = {
  waId: '16505551234',
  userId: null,
  profileName: 'Sheena Nelson',
  username: null,
};
const context = { contacts: [sender], receivedAt };

function normalize(typeBody: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return normalizeMessage(
    { from: '16505551234', id: 'wamid.1', timestamp: '1749416383', ...typeBody, ...extra },
    context,
  );
}

describe(normalizeMessage.name, () => {
  it('reads the envelope: id, sender with profile, Meta timestamp, raw message', () => {
    const raw = {
      from: '16505551234',
      id: 'wamid.1',
      timestamp: '1749416383',
      type: 'text',
      text: { body: 'hi' },
    };
    const { value, problems } = normalizeMessage(raw, context);
    expect(problems).toEqual([]);
    expect(value).toMatchObject({
      waMessageId: 'wamid.1',
      contact: sender,
      timestamp: new Date(1749416383 * 1000),
      messageType: 'text',
      content: 'hi',
      raw,
    });
  });

  it.each([
    ['text', { type: 'text', text: { body: 'Hello' } }, { content: 'Hello' }],
    [
      'image',
      {
        type: 'image',
        image: { caption: 'Look', mime_type: 'image/jpeg', sha256: 'abc=', id: '111' },
      },
      { content: 'Look', mediaId: '111', mimeType: 'image/jpeg', sha256: 'abc=', fileName: null },
    ],
    [
      'video',
      { type: 'video', video: { mime_type: 'video/mp4', id: '222' } },
      { content: null, mediaId: '222' },
    ],
    [
      'voice',
      { type: 'audio', audio: { mime_type: 'audio/ogg; codecs=opus', id: '333', voice: true } },
      { messageType: 'audio', mimeType: 'audio/ogg; codecs=opus', mediaId: '333' },
    ],
    [
      'document',
      {
        type: 'document',
        document: { filename: 'a.pdf', mime_type: 'application/pdf', id: '444' },
      },
      { content: 'a.pdf', fileName: 'a.pdf' },
    ],
    [
      'document with caption',
      { type: 'document', document: { caption: 'Your invoice', filename: 'a.pdf', id: '445' } },
      { content: 'Your invoice', fileName: 'a.pdf' },
    ],
    [
      'sticker',
      { type: 'sticker', sticker: { mime_type: 'image/webp', id: '555', animated: true } },
      { content: null, mediaId: '555' },
    ],
    [
      'location',
      {
        type: 'location',
        location: { latitude: 1.5, longitude: 2.5, name: 'Shop', address: 'Main St 1' },
      },
      { content: 'Shop, Main St 1' },
    ],
    [
      'location pin',
      { type: 'location', location: { latitude: '1.5', longitude: 2.5 } },
      { content: '1.5, 2.5' },
    ],
    [
      'contacts',
      {
        type: 'contacts',
        contacts: [
          { name: { formatted_name: 'A B' } },
          { name: { first_name: 'C', last_name: 'D' } },
          { phones: [{ phone: '+1 555' }] },
        ],
      },
      { content: 'A B, C D, +1 555' },
    ],
    [
      'button_reply',
      {
        type: 'interactive',
        context: { id: 'wamid.q' },
        interactive: { type: 'button_reply', button_reply: { id: 'y', title: 'Yes' } },
      },
      { content: 'Yes', replyToWaMessageId: 'wamid.q' },
    ],
    [
      'list_reply',
      {
        type: 'interactive',
        interactive: {
          type: 'list_reply',
          list_reply: { id: 'r1', title: 'Row 1', description: 'd' },
        },
      },
      { content: 'Row 1' },
    ],
    [
      'nfm_reply',
      {
        type: 'interactive',
        interactive: {
          type: 'nfm_reply',
          nfm_reply: { name: 'flow', body: 'Sent', response_json: '{"flow_token":"t","size":"M"}' },
        },
      },
      { content: 'size: M' },
    ],
    [
      'nfm_reply with an unreadable response',
      {
        type: 'interactive',
        interactive: { type: 'nfm_reply', nfm_reply: { body: 'Sent', response_json: '{oops' } },
      },
      { content: 'Sent' },
    ],
    [
      'button',
      { type: 'button', button: { text: 'Stop promotions', payload: 'STOP' } },
      { content: 'Stop promotions' },
    ],
    [
      'reaction',
      { type: 'reaction', reaction: { message_id: 'wamid.t', emoji: '👍' } },
      { content: '👍', replyToWaMessageId: 'wamid.t' },
    ],
    [
      'reaction removed',
      { type: 'reaction', reaction: { message_id: 'wamid.t', emoji: '' } },
      { content: null },
    ],
    [
      'order',
      {
        type: 'order',
        order: {
          text: 'Thanks',
          product_items: [
            { quantity: 2, item_price: 1.1, currency: 'EUR' },
            { quantity: '1', item_price: '0.7', currency: 'EUR' },
          ],
        },
      },
      { content: 'Order: 3 items, 2.9 EUR — Thanks' },
    ],
    [
      'order of one',
      { type: 'order', order: { product_items: [{ quantity: 1 }] } },
      { content: 'Order: 1 item' },
    ],
    [
      'system',
      { type: 'system', system: { body: 'User changed number', type: 'user_changed_number' } },
      { content: 'User changed number' },
    ],
    [
      'unsupported',
      {
        type: 'unsupported',
        errors: [
          {
            code: 131051,
            title: 'Message type unknown',
            error_data: { details: 'Not supported.' },
          },
        ],
      },
      {
        content: null,
        errorCode: 131051,
        errorTitle: 'Message type unknown',
        errorDetails: 'Not supported.',
      },
    ],
    [
      'unknown',
      { type: 'unknown', errors: [{ code: '131051', title: 'Unsupported', details: 'Old style' }] },
      { errorCode: 131051, errorDetails: 'Old style' },
    ],
    [
      'a newer type',
      { type: 'poll_vote', poll_vote: { title: 'Tuesday' } },
      { messageType: 'poll_vote', content: 'Tuesday' },
    ],
  ])('%s', (_name, typeBody, expected) => {
    const { value, problems } = normalize(typeBody);
    expect(problems).toEqual([]);
    expect(value).toMatchObject(expected);
  });

  it('keeps the referral of a click-to-WhatsApp ad and the forwarded flag', () => {
    const referral = { source_type: 'ad', source_id: '1', headline: 'Sale' };
    const { value } = normalize(
      { type: 'text', text: { body: 'hi' } },
      { referral, context: { frequently_forwarded: true } },
    );
    expect(value).toMatchObject({ referral, forwarded: true, replyToWaMessageId: null });
  });

  it('finds the sender by business-scoped user id when Meta withholds the number', () => {
    const bsuidUser: ContactProfile = {
      waId: null,
      userId: 'US.123',
      profileName: 'Ana',
      username: '@ana',
    };
    const { value } = normalizeMessage(
      {
        from_user_id: 'US.123',
        id: 'wamid.2',
        timestamp: '1749416383',
        type: 'text',
        text: { body: 'x' },
      },
      { contacts: [sender, bsuidUser], receivedAt },
    );
    expect(value?.contact).toEqual(bsuidUser);
  });

  it('completes the sender from contacts[]: the BSUID beside the number', () => {
    const both: ContactProfile = {
      waId: '16505551234',
      userId: 'US.9',
      profileName: 'Sheena',
      username: null,
    };
    const { value } = normalizeMessage(
      {
        from: '16505551234',
        id: 'wamid.3',
        timestamp: '1749416383',
        type: 'text',
        text: { body: 'x' },
      },
      { contacts: [both], receivedAt },
    );
    expect(value?.contact).toEqual(both);
  });

  it('stores a message whose sender has no contacts[] entry, without a profile', () => {
    const { value } = normalizeMessage(
      {
        from: '15550000000',
        id: 'wamid.4',
        timestamp: '1749416383',
        type: 'system',
        system: { body: 'b' },
      },
      { contacts: [], receivedAt },
    );
    expect(value?.contact).toEqual({
      waId: '15550000000',
      userId: null,
      profileName: null,
      username: null,
    });
  });

  it('skips what cannot be stored, saying why', () => {
    expect(normalizeMessage(null, context)).toEqual({ problems: ['not an object: skipped'] });
    expect(normalizeMessage({ type: 'text' }, context).problems).toEqual([
      'no message id: skipped',
    ]);
    const noSender = normalizeMessage(
      { id: 'wamid.5', type: 'text', text: { body: 'x' } },
      { contacts: [], receivedAt },
    );
    expect(noSender.value).toBeUndefined();
    expect(noSender.problems[0]).toMatch(/no sender/);
  });

  it('survives fields of the wrong type, keeping what is valid', () => {
    const { value, problems } = normalize(
      { type: 'image', image: { caption: { nested: true }, id: 12345, mime_type: ['image/png'] } },
      { timestamp: 'yesterday', context: 'not-an-object', errors: 'none' },
    );
    expect(value).toMatchObject({
      timestamp: receivedAt,
      content: null,
      mediaId: '12345',
      mimeType: null,
      replyToWaMessageId: null,
      errorCode: null,
    });
    expect(problems).toEqual([expect.stringMatching(/unreadable timestamp/)]);
    const text = normalize({ type: 'text', text: 'flat' });
    expect(text.value?.content).toBeNull();
    expect(text.problems).toEqual([expect.stringMatching(/text.body/)]);
  });

  it('treats a missing type as unknown', () => {
    expect(normalize({}).value?.messageType).toBe('unknown');
  });
});

describe(normalizeStatus.name, () => {
  it('reads a delivery status with its recipient', () => {
    const raw = {
      id: 'wamid.9',
      status: 'DELIVERED',
      timestamp: '1749416383',
      recipient_id: '1650',
      recipient_user_id: 'US.1',
    };
    expect(normalizeStatus(raw, receivedAt)).toEqual({
      value: {
        waMessageId: 'wamid.9',
        status: 'delivered',
        timestamp: new Date(1749416383 * 1000),
        recipientId: '1650',
        recipientUserId: 'US.1',
        errorCode: null,
        errorTitle: null,
        errorDetails: null,
        raw,
      },
      problems: [],
    });
  });

  it('keeps the error of a failed status', () => {
    const { value } = normalizeStatus(
      {
        id: 'w',
        status: 'failed',
        timestamp: '1',
        errors: [{ code: 131026, title: 'Message undeliverable', message: 'm' }],
      },
      receivedAt,
    );
    expect(value).toMatchObject({
      errorCode: 131026,
      errorTitle: 'Message undeliverable',
      errorDetails: 'm',
    });
  });

  it('skips a status without id or status', () => {
    expect(normalizeStatus({ status: 'read' }, receivedAt).value).toBeUndefined();
    expect(normalizeStatus({ id: 'w' }, receivedAt).value).toBeUndefined();
    expect(normalizeStatus('read', receivedAt).value).toBeUndefined();
  });
});

describe(normalizeContact.name, () => {
  it('reads number, BSUID, profile name and username', () => {
    expect(
      normalizeContact({ profile: { name: 'Ana', username: '@ana' }, wa_id: '1', user_id: 'US.1' }),
    ).toEqual({
      waId: '1',
      userId: 'US.1',
      profileName: 'Ana',
      username: '@ana',
    });
    expect(normalizeContact({ wa_id: '2' })).toEqual({
      waId: '2',
      userId: null,
      profileName: null,
      username: null,
    });
  });

  it('refuses an entry with neither number nor BSUID', () => {
    expect(normalizeContact({ profile: { name: 'x' } })).toBeNull();
    expect(normalizeContact(7)).toBeNull();
  });
});

describe(parseMetaTimestamp.name, () => {
  it('reads Unix seconds as a string or number, refusing nonsense', () => {
    expect(parseMetaTimestamp('1749416383')).toEqual(new Date(1749416383000));
    expect(parseMetaTimestamp(1749416383)).toEqual(new Date(1749416383000));
    expect(parseMetaTimestamp('')).toBeNull();
    expect(parseMetaTimestamp('abc')).toBeNull();
    expect(parseMetaTimestamp(-5)).toBeNull();
    expect(parseMetaTimestamp(1e20)).toBeNull();
    expect(parseMetaTimestamp(null)).toBeNull();
  });
});
