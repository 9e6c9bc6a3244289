import { ApiProperty } from '@nestjs/swagger';
import type { Contact } from '../contact.entity.js';
import type { Conversation } from '../conversation.entity.js';
import type { Message } from '../message.entity.js';
import { ContactResponseDto, toContactResponse } from './contact-response.dto.js';
import { MessageResponseDto, toMessageResponse } from './message-response.dto.js';

/**
 * The WhatsApp number a conversation is on (replies leave from it): the operator-facing
 * half of a number (GET /api/whatsapp/numbers), never its credentials.
 */
export class ConversationNumberDto {
  @ApiProperty({ description: 'whatsapp_numbers id (GET /api/whatsapp/numbers)', example: 2 })
  id: number;

  @ApiProperty({ description: "Meta's phone number id", example: '106540352242922' })
  phone_number_id: string;

  @ApiProperty({
    description: 'The number as customers see it; null until set or learned from a webhook',
    example: '15550783881',
    nullable: true,
    type: String,
  })
  display_phone_number: string | null;
}

/** A conversation: SPEC's fields first, then what the inbox list needs in one request. */
export class ConversationResponseDto {
  @ApiProperty({ description: 'Conversation id', example: 7 })
  id: number;

  @ApiProperty({ description: 'The contact this conversation is with', example: 5 })
  contact_id: number;

  @ApiProperty({
    description: 'When the conversation was opened',
    example: '2026-01-24T10:30:00.000Z',
    format: 'date-time',
  })
  started_at: string;

  @ApiProperty({
    description: 'Time of the latest message (only moves forward)',
    example: '2026-01-24T11:02:00.000Z',
    format: 'date-time',
  })
  last_message_at: string;

  @ApiProperty({
    description: 'True while open; a contact has at most one open conversation',
    example: true,
  })
  is_active: boolean;

  @ApiProperty({
    description: 'Inbound messages newer than the last one an operator marked read',
    example: 2,
  })
  unread_count: number;

  @ApiProperty({ description: 'The contact', type: ContactResponseDto })
  contact: ContactResponseDto;

  @ApiProperty({
    description: 'The newest message (a preview for the list), null before the first one',
    type: MessageResponseDto,
    nullable: true,
  })
  last_message: MessageResponseDto | null;

  @ApiProperty({
    description:
      'The WhatsApp number the customer wrote to; null before the first inbound message is ' +
      'assigned one, or after the number was disconnected',
    type: ConversationNumberDto,
    nullable: true,
  })
  whatsapp_number: ConversationNumberDto | null;
}

/** Everything a conversation response is built from (InboxQueryService loads it). */
export interface ConversationView {
  conversation: Conversation;
  contact: Contact;
  lastMessage: Message | null;
  unreadCount: number;
  whatsappNumber: ConversationNumberDto | null;
}

export function toConversationResponse(view: ConversationView): ConversationResponseDto {
  const { conversation, contact, lastMessage, unreadCount, whatsappNumber } = view;
  return {
    id: conversation.id,
    contact_id: conversation.contactId,
    started_at: conversation.startedAt.toISOString(),
    last_message_at: conversation.lastMessageAt.toISOString(),
    is_active: conversation.isActive,
    unread_count: unreadCount,
    contact: toContactResponse(contact),
    last_message: lastMessage ? toMessageResponse(lastMessage) : null,
    whatsapp_number: whatsappNumber,
  };
}
