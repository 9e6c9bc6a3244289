import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { hydrateRows } from '../database/hydrate-rows.js';
import { EventsService } from '../events/events.service.js';
import { Contact } from './contact.entity.js';
import { Conversation } from './conversation.entity.js';
import { toMessageResponse } from './dto/message-response.dto.js';
import { InboxIngestService } from './inbox-ingest.service.js';
import { Message } from './message.entity.js';

/** Where an operator's message goes, and when the customer last wrote. */
export interface SendTarget {
  conversation: Conversation;
  contact: Contact;
  /** Meta's time of the contact's latest inbound message; null when they never wrote. */
  lastInboundAt: Date | null;
}

/** A new outbound message, before Meta has seen it. */
export interface OutboundMessageInput {
  workspaceId: number;
  conversationId: number;
  contactId: number;
  messageType: string;
  content: string | null;
  mediaId: string | null;
  mediaUrl: string | null;
  fileName: string | null;
  replyToWaMessageId: string | null;
  /** The Graph API request that will send it (kept as the message's raw data). */
  rawData: unknown;
  /** The teammate sending it. */
  sentByUserId: number;
  /** Give the conversation to the sender when nobody has it (a reply; not a template). */
  assignToSender: boolean;
}

/** Meta's reason for refusing a send. */
export interface SendFailure {
  code: number | null;
  title: string;
  details: string | null;
}

type Row = Record<string, unknown>;

/**
 * Write side of the inbox for operators' messages: stores them (`pending`), records Meta's
 * acceptance (the wamid) or refusal (`failed` with Meta's reason), and publishes the live
 * events for each change in the caller's transaction. Statuses after acceptance arrive by
 * webhook (InboxIngestService).
 */
@Injectable()
export class InboxOutboundService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ingest: InboxIngestService,
    private readonly events: EventsService,
  ) {}

  /** The conversation (404 when not the workspace's), its contact and their last message time. */
  async sendTarget(
    manager: EntityManager,
    workspaceId: number,
    conversationId: number,
  ): Promise<SendTarget> {
    const conversation = await manager.findOneBy(Conversation, { id: conversationId, workspaceId });
    if (!conversation) throw new NotFoundException('Conversation not found');
    const contact = await manager.findOneByOrFail(Contact, {
      id: conversation.contactId,
      workspaceId,
    });
    // The 24-hour window runs from the customer's last message by Meta's clock.
    const rows = await manager.query<{ last: Date | null }[]>(
      `SELECT max(timestamp) AS last FROM messages WHERE workspace_id = $1 AND contact_id = $2 AND NOT is_outbound`,
      [workspaceId, contact.id],
    );
    const last = rows[0]?.last ?? null;
    return { conversation, contact, lastInboundAt: last === null ? null : new Date(last) };
  }

  /** A message exchanged with the contact (what a reply or reaction refers to), or null. */
  findContactMessage(
    manager: EntityManager,
    workspaceId: number,
    contactId: number,
    messageId: number,
  ): Promise<Message | null> {
    return manager.findOneBy(Message, { id: messageId, workspaceId, contactId });
  }

  /**
   * Stores the message as `pending`, moves the conversation's last_message_at forward and
   * publishes `message.created`, all in the caller's transaction (the one that also queues
   * the send).
   */
  async createPending(manager: EntityManager, input: OutboundMessageInput): Promise<Message> {
    const rows = await manager.query<Row[]>(
      `INSERT INTO messages (workspace_id, contact_id, conversation_id, message_type, content, media_id, media_url,
                             file_name, reply_to_wa_message_id, raw_data, sent_by_user_id, is_outbound, status,
                             timestamp)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, true, 'pending', now())
       RETURNING *`,
      [
        input.workspaceId,
        input.contactId,
        input.conversationId,
        input.messageType,
        input.content,
        input.mediaId,
        input.mediaUrl,
        input.fileName,
        input.replyToWaMessageId,
        JSON.stringify(input.rawData),
        input.sentByUserId,
      ],
    );
    const [message] = hydrateRows(manager, Message, rows);
    // Replying takes an unassigned conversation (as Help Scout and Front do): the team sees
    // who handles the customer without a second click. The sender acts in this workspace,
    // so they are a member.
    await manager.query(
      `UPDATE conversations
          SET last_message_at = GREATEST(last_message_at, $2), assignee_id = coalesce(assignee_id, $3)
        WHERE id = $1`,
      [input.conversationId, message.timestamp, input.assignToSender ? input.sentByUserId : null],
    );
    // Its conversation is added by PostgreSQL as the event is written, as for inbound ones.
    await this.events.publishMany(manager, input.workspaceId, [
      {
        type: 'message.created',
        data: { message: toMessageResponse(message) },
        conversationId: input.conversationId,
      },
    ]);
    return message;
  }

  /** True while the message still waits for Meta to accept it (no wamid, not failed). */
  async awaitsAcceptance(messageId: number): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM messages WHERE id = $1 AND is_outbound AND wa_message_id IS NULL AND status = 'pending'`,
      [messageId],
    );
    return rows.length > 0;
  }

  /** The WhatsApp number the message's conversation is on (replies leave from it). */
  async numberOf(messageId: number): Promise<number | null> {
    const rows = await this.dataSource.query<{ whatsapp_number_id: number | null }[]>(
      `SELECT c.whatsapp_number_id FROM messages m JOIN conversations c ON c.id = m.conversation_id
        WHERE m.id = $1`,
      [messageId],
    );
    return rows[0]?.whatsapp_number_id ?? null;
  }

  /**
   * Meta accepted the message: stores its wamid (the status stays `pending` until Meta's
   * `sent` webhook, see docs/queue.md), then applies statuses that raced ahead of us.
   */
  async markAccepted(
    manager: EntityManager,
    workspaceId: number,
    messageId: number,
    waMessageId: string,
  ): Promise<void> {
    const [rows] = await manager.query<[Row[], number]>(
      `UPDATE messages SET wa_message_id = $3
        WHERE id = $1 AND workspace_id = $2 AND is_outbound AND wa_message_id IS NULL
        RETURNING *`,
      [messageId, workspaceId, waMessageId],
    );
    if (rows.length === 0) return;
    const applied = await this.ingest.applyPendingStatuses(manager, workspaceId, waMessageId);
    // applyPendingStatuses announced the message if a status moved it; otherwise we do.
    if (!applied) {
      const [message] = hydrateRows(manager, Message, rows);
      await this.events.publish(manager, workspaceId, 'message.updated', {
        message: toMessageResponse(message),
      });
    }
  }

  /** Meta refused the message for good: `failed` with Meta's code and title. */
  async markFailed(
    manager: EntityManager,
    workspaceId: number,
    messageId: number,
    failure: SendFailure,
  ): Promise<void> {
    const [rows] = await manager.query<[Row[], number]>(
      `UPDATE messages SET status = 'failed', error_code = $3, error_title = $4, error_details = $5
        WHERE id = $1 AND workspace_id = $2 AND is_outbound AND status = 'pending' AND wa_message_id IS NULL
        RETURNING *`,
      [messageId, workspaceId, failure.code, failure.title, failure.details],
    );
    if (rows.length === 0) return;
    const [message] = hydrateRows(manager, Message, rows);
    await this.events.publish(manager, workspaceId, 'message.updated', {
      message: toMessageResponse(message),
    });
  }
}
