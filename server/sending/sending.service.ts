import { ForbiddenException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { InputValidationException } from '../common/errors/validation.js';
import { toMessageResponse, type MessageResponseDto } from '../inbox/dto/message-response.dto.js';
import { InboxOutboundService, type SendTarget } from '../inbox/inbox-outbound.service.js';
import { QueueService } from '../queue/queue.service.js';
import { lockMembership } from '../workspaces/membership-lock.js';
import { GraphCredentialsProvider } from '../whatsapp/graph-credentials.provider.js';
import { kindsOf, type MessageKind, type SendMessageDto } from './dto/send-message.dto.js';
import { buildOutbound, type ResolvedReferences } from './outbound-request.js';
import { SEND_MESSAGE_JOB, type SendMessagePayload } from './send-message.handler.js';
import { WindowClosedError } from './sending.errors.js';

/** Meta's customer service window. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;
/** With QUEUE_RETRY_BASE_MS 2 s, ten attempts span about a quarter of an hour. */
const SEND_MAX_ATTEMPTS = 10;

/**
 * An operator's message: checked (window, references), stored as `pending` and queued, in
 * one transaction — the message exists exactly when its send job does. The queue then
 * sends it (send-message.handler.ts).
 */
@Injectable()
export class SendingService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbound: InboxOutboundService,
    private readonly queue: QueueService,
    private readonly credentials: GraphCredentialsProvider,
  ) {}

  async send(
    user: AuthUser,
    conversationId: number,
    dto: SendMessageDto,
  ): Promise<MessageResponseDto> {
    const [kind] = kindsOf(dto) as [MessageKind];
    return this.dataSource.transaction(async (manager) => {
      // Sending can assign the conversation to the sender (createPending): a member removed
      // since this request was authorised must neither send nor be assigned.
      if (!(await lockMembership(manager, user.workspaceId, user.id))) {
        throw new ForbiddenException('You are no longer a member of this workspace');
      }
      const target = await this.outbound.sendTarget(manager, user.workspaceId, conversationId);
      // Refuse what cannot be sent now, before anything is stored or queued.
      await this.credentials.forWorkspace(user.workspaceId);
      if (kind !== 'template' && !isWindowOpen(target.lastInboundAt)) {
        throw new WindowClosedError(target.lastInboundAt);
      }
      const refs = await this.resolveReferences(manager, user.workspaceId, target, dto);
      const built = buildOutbound(kind, dto, target.contact.waId, refs);
      const message = await this.outbound.createPending(manager, {
        workspaceId: user.workspaceId,
        conversationId: target.conversation.id,
        contactId: target.contact.id,
        messageType: built.messageType,
        content: built.content,
        mediaId: built.mediaId,
        mediaUrl: built.mediaUrl,
        fileName: built.fileName,
        replyToWaMessageId: built.replyToWaMessageId,
        rawData: built.request,
        sentByUserId: user.id,
        // Templates are mostly sent by integrations (order updates, reminders): an
        // integration's account must not take every conversation it writes to.
        assignToSender: kind !== 'template',
      });
      const payload: SendMessagePayload = {
        messageId: message.id,
        workspaceId: user.workspaceId,
        request: built.request,
      };
      await this.queue.enqueue(manager, SEND_MESSAGE_JOB, payload, {
        dedupeKey: `${SEND_MESSAGE_JOB}:${message.id}`,
        maxAttempts: SEND_MAX_ATTEMPTS,
      });
      return toMessageResponse(message);
    });
  }

  /** The wamids a reply quotes or a reaction targets: messages exchanged with this contact. */
  private async resolveReferences(
    manager: EntityManager,
    workspaceId: number,
    target: SendTarget,
    dto: SendMessageDto,
  ): Promise<ResolvedReferences> {
    const refs: ResolvedReferences = {};
    if (dto.reply_to_message_id !== undefined) {
      if (dto.reaction) {
        throw new InputValidationException([
          {
            field: 'reply_to_message_id',
            message: 'reply_to_message_id cannot be used with a reaction',
          },
        ]);
      }
      refs.replyTo = await this.wamidOf(
        manager,
        workspaceId,
        target,
        dto.reply_to_message_id,
        'reply_to_message_id',
      );
    }
    if (dto.reaction) {
      refs.reactTo = await this.wamidOf(
        manager,
        workspaceId,
        target,
        dto.reaction.message_id,
        'reaction.message_id',
      );
    }
    return refs;
  }

  private async wamidOf(
    manager: EntityManager,
    workspaceId: number,
    target: SendTarget,
    messageId: number,
    field: string,
  ): Promise<string> {
    const message = await this.outbound.findContactMessage(
      manager,
      workspaceId,
      target.contact.id,
      messageId,
    );
    if (!message) {
      throw new InputValidationException([
        { field, message: `${field} must be a message exchanged with this contact` },
      ]);
    }
    if (!message.waMessageId) {
      throw new InputValidationException([
        {
          field,
          message: `${field} refers to a message WhatsApp has not accepted yet; try again in a moment`,
        },
      ]);
    }
    return message.waMessageId;
  }
}

export function isWindowOpen(lastInboundAt: Date | null, now = Date.now()): boolean {
  return lastInboundAt !== null && now - lastInboundAt.getTime() < SERVICE_WINDOW_MS;
}
