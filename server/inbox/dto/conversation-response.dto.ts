import { ApiProperty } from '@nestjs/swagger';
import { jsonObjectSql, isoTimestampSql } from '../../database/sql-json.js';
import { ContactResponseDto, contactResponseSql } from './contact-response.dto.js';
import { MessageResponseDto, messageResponseSql } from './message-response.dto.js';

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

/** The teammate a conversation is assigned to (a member of its workspace). */
export class ConversationAssigneeDto {
  @ApiProperty({ description: 'User id (GET /api/workspace/members: user_id)', example: 7 })
  id: number;

  @ApiProperty({ example: 'Jane Doe' })
  name: string;

  @ApiProperty({ example: 'jane@example.com' })
  email: string;
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

  @ApiProperty({
    description:
      'The teammate handling it (PATCH with `assignee_id`); null when nobody is assigned',
    type: ConversationAssigneeDto,
    nullable: true,
  })
  assignee: ConversationAssigneeDto | null;
}

/**
 * A conversation's response built in PostgreSQL (every conversation the API or a live event
 * shows comes from here), for a `conversations` row aliased `c`; everything else it shows is
 * a subquery of its own, so callers need no joins. Built in Node instead, hydrating entities
 * and mapping them back took about a fifth of a page's server CPU. The contact is a
 * subquery, not a join: joined, a page made the planner hash the whole contacts table (5 of
 * a list's 6 ms at 10,000 contacts).
 */
export function conversationResponseSql(c: string): string {
  const whatsappNumber: Record<keyof ConversationNumberDto, string> = {
    id: 'n.id',
    phone_number_id: 'n.phone_number_id',
    display_phone_number: 'n.display_phone_number',
  };
  const assignee: Record<keyof ConversationAssigneeDto, string> = {
    id: 'u.id',
    name: 'u.name',
    email: 'u.email',
  };
  const fields: Record<keyof ConversationResponseDto, string> = {
    id: `${c}.id`,
    contact_id: `${c}.contact_id`,
    started_at: isoTimestampSql(`${c}.started_at`),
    last_message_at: isoTimestampSql(`${c}.last_message_at`),
    is_active: `${c}.is_active`,
    unread_count: `(SELECT count(*) FROM messages um
        WHERE um.conversation_id = ${c}.id AND NOT um.is_outbound
          AND um.id > coalesce(${c}.last_read_message_id, 0))::int`,
    contact: `(SELECT ${contactResponseSql('ct')} FROM contacts ct
        WHERE ct.id = ${c}.contact_id AND ct.workspace_id = ${c}.workspace_id)`,
    last_message: `(SELECT ${messageResponseSql('lm')} FROM messages lm
        WHERE lm.conversation_id = ${c}.id ORDER BY lm.id DESC LIMIT 1)`,
    whatsapp_number: `(SELECT ${jsonObjectSql(whatsappNumber)} FROM whatsapp_numbers n
        WHERE n.id = ${c}.whatsapp_number_id AND n.workspace_id = ${c}.workspace_id)`,
    assignee: `(SELECT ${jsonObjectSql(assignee)} FROM users u WHERE u.id = ${c}.assignee_id)`,
  };
  return jsonObjectSql(fields);
}
