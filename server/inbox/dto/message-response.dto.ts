import { ApiProperty } from '@nestjs/swagger';
import { MESSAGE_STATUSES, type Message, type MessageStatus } from '../message.entity.js';
import { isoTimestampSql, jsonObjectSql } from '../../database/sql-json.js';

/**
 * A message: SPEC's fields first (`id` … `timestamp`), then the inbox's extras
 * (docs/inbox-api.md "Message").
 */
export class MessageResponseDto {
  @ApiProperty({ description: 'Message id; larger ids were stored later', example: 42 })
  id: number;

  @ApiProperty({
    description:
      "Meta's message id (wamid); null only for an outbound message Meta has not accepted yet",
    example: 'wamid.HBgLMTU1NTEyMzQ1NjcVAgASGBQzQUZCMDdGNEY5NzA2ODQxQjc0QQA=',
    nullable: true,
    type: String,
  })
  wa_message_id: string | null;

  @ApiProperty({ description: 'The contact the message was exchanged with', example: 5 })
  contact_id: number;

  @ApiProperty({
    description:
      "Meta's message type: text, image, video, audio, document, sticker, location, contacts, interactive, button, reaction, order, system, unsupported…",
    example: 'text',
  })
  type: string;

  @ApiProperty({
    description:
      'Readable content: the text, a caption, a file name, a place, the chosen reply, the reaction emoji…',
    example: 'Hello, is my order on its way?',
    nullable: true,
    type: String,
  })
  content: string | null;

  @ApiProperty({
    description: 'True when an operator sent it, false when the customer did',
    example: false,
  })
  is_outbound: boolean;

  @ApiProperty({
    description:
      '`received` for inbound; `pending`, `sent`, `delivered`, `read` or `failed` for outbound',
    enum: MESSAGE_STATUSES,
    example: 'received',
  })
  status: MessageStatus;

  @ApiProperty({
    description: "When the message was sent (Meta's clock for inbound messages)",
    example: '2026-01-24T10:30:00.000Z',
    format: 'date-time',
  })
  timestamp: string;

  @ApiProperty({ description: 'The conversation the message belongs to', example: 7 })
  conversation_id: number;

  @ApiProperty({
    description: "Meta's media id for image, video, audio, document and sticker messages",
    example: '1234567890123456',
    nullable: true,
    type: String,
  })
  media_id: string | null;

  @ApiProperty({
    description: 'MIME type of the media',
    example: 'image/jpeg',
    nullable: true,
    type: String,
  })
  mime_type: string | null;

  @ApiProperty({
    description: 'File name of a document',
    example: 'invoice.pdf',
    nullable: true,
    type: String,
  })
  file_name: string | null;

  @ApiProperty({
    description: 'True when the message carries media (GET /api/messages/:id/media)',
    example: false,
  })
  has_media: boolean;

  @ApiProperty({
    description: 'wamid of the message this one replies to (or reacts to)',
    example: null,
    nullable: true,
    type: String,
  })
  reply_to_wa_message_id: string | null;

  @ApiProperty({
    description: "Meta's error code when delivery failed (or the message type is unsupported)",
    example: null,
    nullable: true,
    type: Number,
  })
  error_code: number | null;

  @ApiProperty({
    description: "Meta's error title when delivery failed",
    example: null,
    nullable: true,
    type: String,
  })
  error_title: string | null;

  @ApiProperty({
    description:
      'User id of the teammate who sent an outbound message (from the inbox or the API); null ' +
      'for inbound messages and for those sent before senders were recorded',
    example: 7,
    nullable: true,
    type: Number,
  })
  sent_by_user_id: number | null;

  @ApiProperty({
    description: 'When No Lose stored the message',
    example: '2026-01-24T10:30:01.000Z',
    format: 'date-time',
  })
  created_at: string;
}

export function toMessageResponse(message: Message): MessageResponseDto {
  return {
    id: message.id,
    wa_message_id: message.waMessageId,
    contact_id: message.contactId,
    type: message.messageType,
    content: message.content,
    is_outbound: message.isOutbound,
    status: message.status,
    timestamp: message.timestamp.toISOString(),
    conversation_id: message.conversationId,
    media_id: message.mediaId,
    mime_type: message.mimeType,
    file_name: message.fileName,
    has_media: message.mediaId !== null || message.mediaUrl !== null,
    reply_to_wa_message_id: message.replyToWaMessageId,
    error_code: message.errorCode,
    error_title: message.errorTitle,
    sent_by_user_id: message.sentByUserId,
    created_at: message.createdAt.toISOString(),
  };
}

/**
 * `toMessageResponse` in SQL, for a `messages` row aliased `m` (the conversation list's last
 * message is built in PostgreSQL; test/api/inbox-conversations checks the two agree).
 */
export function messageResponseSql(m: string): string {
  const fields: Record<keyof MessageResponseDto, string> = {
    id: `${m}.id`,
    wa_message_id: `${m}.wa_message_id`,
    contact_id: `${m}.contact_id`,
    type: `${m}.message_type`,
    content: `${m}.content`,
    is_outbound: `${m}.is_outbound`,
    status: `${m}.status`,
    timestamp: isoTimestampSql(`${m}.timestamp`),
    conversation_id: `${m}.conversation_id`,
    media_id: `${m}.media_id`,
    mime_type: `${m}.mime_type`,
    file_name: `${m}.file_name`,
    has_media: `(${m}.media_id IS NOT NULL OR ${m}.media_url IS NOT NULL)`,
    reply_to_wa_message_id: `${m}.reply_to_wa_message_id`,
    error_code: `${m}.error_code`,
    error_title: `${m}.error_title`,
    sent_by_user_id: `${m}.sent_by_user_id`,
    created_at: isoTimestampSql(`${m}.created_at`),
  };
  return jsonObjectSql(fields);
}
