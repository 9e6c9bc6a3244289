import { describe, expect, it } from '@jest/globals';
import { Message } from '../message.entity.js';
import { toMessageResponse } from './message-response.dto.js';

function message(overrides: Partial<Message> = {}): Message {
  return Object.assign(new Message(), {
    id: 42,
    workspaceId: 1,
    waMessageId: 'wamid.1',
    contactId: 5,
    conversationId: 7,
    messageType: 'document',
    content: 'invoice.pdf',
    mediaUrl: null,
    mediaId: 'media-9',
    isOutbound: true,
    status: 'failed',
    timestamp: new Date('2026-11-24T10:00:00Z'),
    createdAt: new Date('2026-11-24T10:00:01Z'),
    rawData: { secret: 'raw' },
    mimeType: 'application/pdf',
    sha256: 'abc',
    fileName: 'invoice.pdf',
    mediaStatus: null,
    replyToWaMessageId: 'wamid.0',
    forwarded: false,
    referral: null,
    errorCode: 131047,
    errorTitle: 'Re-engagement message',
    errorDetails: null,
    ...overrides,
  });
}

describe('toMessageResponse', () => {
  it('maps SPEC fields first, then the extras, and never the raw payload', () => {
    const out = toMessageResponse(message());
    expect(Object.keys(out).slice(0, 8)).toEqual([
      'id',
      'wa_message_id',
      'contact_id',
      'type',
      'content',
      'is_outbound',
      'status',
      'timestamp',
    ]);
    expect(out).toEqual({
      id: 42,
      wa_message_id: 'wamid.1',
      contact_id: 5,
      type: 'document',
      content: 'invoice.pdf',
      is_outbound: true,
      status: 'failed',
      timestamp: '2026-11-24T10:00:00.000Z',
      conversation_id: 7,
      media_id: 'media-9',
      mime_type: 'application/pdf',
      file_name: 'invoice.pdf',
      has_media: true,
      reply_to_wa_message_id: 'wamid.0',
      error_code: 131047,
      error_title: 'Re-engagement message',
      created_at: '2026-11-24T10:00:01.000Z',
    });
  });

  it('says has_media false when there is neither a media id nor a URL', () => {
    expect(toMessageResponse(message({ mediaId: null, mediaUrl: null })).has_media).toBe(false);
  });
});
