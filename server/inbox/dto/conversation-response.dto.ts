import { ApiProperty } from '@nestjs/swagger';
import type { Contact } from '../contact.entity.js';
import type { Conversation } from '../conversation.entity.js';
import type { Message } from '../message.entity.js';
import { ContactResponseDto, toContactResponse } from './contact-response.dto.js';
import { MessageResponseDto, toMessageResponse } from './message-response.dto.js';

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
}

/** Everything a conversation response is built from (InboxQueryService loads it). */
export interface ConversationView {
  conversation: Conversation;
  contact: Contact;
  lastMessage: Message | null;
  unreadCount: number;
}

export function toConversationResponse(view: ConversationView): ConversationResponseDto {
  const { conversation, contact, lastMessage, unreadCount } = view;
  return {
    id: conversation.id,
    contact_id: conversation.contactId,
    started_at: conversation.startedAt.toISOString(),
    last_message_at: conversation.lastMessageAt.toISOString(),
    is_active: conversation.isActive,
    unread_count: unreadCount,
    contact: toContactResponse(contact),
    last_message: lastMessage ? toMessageResponse(lastMessage) : null,
  };
}
