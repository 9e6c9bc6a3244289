import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import { InputValidationException } from '../common/errors/validation.js';
import { EventsService } from '../events/events.service.js';
import { lockMembership } from '../workspaces/membership-lock.js';
import { ReadReceiptsService } from '../whatsapp/read-receipts.service.js';
import { Conversation } from './conversation.entity.js';
import type { ConversationResponseDto } from './dto/conversation-response.dto.js';
import type { UpdateConversationDto } from './dto/update-conversation.dto.js';
import { InboxQueryService } from './inbox-query.service.js';

const ONE_OPEN_PER_CONTACT = 'conversations_one_open_per_contact';

function isOneOpenViolation(err: unknown): boolean {
  if (!(err instanceof QueryFailedError)) return false;
  const driverError = err.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' && driverError.constraint === ONE_OPEN_PER_CONTACT;
}

/** Operator actions on a conversation: close, reopen, mark read, assign. */
@Injectable()
export class ConversationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly query: InboxQueryService,
    private readonly events: EventsService,
    private readonly readReceipts: ReadReceiptsService,
  ) {}

  /**
   * Applies the change and publishes `conversation.updated` in one transaction, so
   * operators watching the live stream see exactly what was committed. Reopening is
   * refused (409) while the contact has another open conversation: the partial unique
   * index allows one, and an inbound message may have opened a new one since.
   */
  async update(
    workspaceId: number,
    conversationId: number,
    dto: UpdateConversationDto,
  ): Promise<ConversationResponseDto> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        // Membership first, then the conversation: the order removeMember takes them in.
        if (typeof dto.assignee_id === 'number') {
          await this.requireAssignable(manager, workspaceId, dto.assignee_id);
        }
        const conversation = await manager.findOne(Conversation, {
          where: { id: conversationId, workspaceId },
          lock: { mode: 'pessimistic_write' },
        });
        if (!conversation) throw new NotFoundException('Conversation not found');
        // Nothing to change: answer the conversation as it is, and tell nobody.
        if (
          dto.is_active === undefined &&
          dto.read === undefined &&
          dto.assignee_id === undefined
        ) {
          return this.query.getConversation(workspaceId, conversationId, manager);
        }
        if (dto.is_active === true && !conversation.isActive) {
          await this.refuseIfAnotherIsOpen(manager, conversation);
        }
        if (dto.is_active !== undefined) {
          await manager.update(Conversation, { id: conversation.id }, { isActive: dto.is_active });
        }
        if (dto.read) await this.markRead(manager, workspaceId, conversation.id);
        if (dto.assignee_id !== undefined) {
          await manager.update(
            Conversation,
            { id: conversation.id },
            { assigneeId: dto.assignee_id },
          );
        }
        const response = await this.query.getConversation(workspaceId, conversationId, manager);
        await this.events.publish(manager, workspaceId, 'conversation.updated', {
          conversation: response,
        });
        return response;
      });
    } catch (err) {
      if (isOneOpenViolation(err)) {
        throw new ConflictException(
          'This contact already has an open conversation; close it before reopening this one',
        );
      }
      throw err;
    }
  }

  /**
   * Moves the read watermark to the newest message (only forward: a slow "mark read" must
   * not unread what a later one read) and queues the blue ticks for the customer, in the
   * same transaction: Meta marks the latest inbound message and every earlier one read.
   */
  private async markRead(
    manager: EntityManager,
    workspaceId: number,
    conversationId: number,
  ): Promise<void> {
    await manager.query(
      `UPDATE conversations c
          SET last_read_message_id = GREATEST(
                coalesce(c.last_read_message_id, 0),
                coalesce((SELECT max(m.id) FROM messages m WHERE m.conversation_id = c.id), 0))
        WHERE c.id = $1`,
      [conversationId],
    );
    const [latest] = await manager.query<{ wa_message_id: string }[]>(
      `SELECT wa_message_id FROM messages
        WHERE conversation_id = $1 AND NOT is_outbound AND wa_message_id IS NOT NULL
        ORDER BY id DESC LIMIT 1`,
      [conversationId],
    );
    if (latest) {
      await this.readReceipts.enqueueFor(manager, {
        workspaceId,
        waMessageId: latest.wa_message_id,
      });
    }
  }

  /** 422 unless the user is a member of the workspace (locked: see lockMembership). */
  private async requireAssignable(
    manager: EntityManager,
    workspaceId: number,
    userId: number,
  ): Promise<void> {
    if (!(await lockMembership(manager, workspaceId, userId))) {
      throw new InputValidationException([
        {
          field: 'assignee_id',
          message: `assignee_id ${userId} is not a member of this workspace (GET /api/workspace/members)`,
        },
      ]);
    }
  }

  private async refuseIfAnotherIsOpen(
    manager: EntityManager,
    conversation: Conversation,
  ): Promise<void> {
    const open = await manager.findOneBy(Conversation, {
      contactId: conversation.contactId,
      isActive: true,
    });
    if (open && open.id !== conversation.id) {
      throw new ConflictException(
        `This contact already has an open conversation (id ${open.id}); close it before reopening this one`,
      );
    }
  }
}
