import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { QueueService } from '../queue/queue.service.js';

export const MARK_READ_JOB = 'mark_read';

export interface MarkReadPayload {
  workspaceId: number;
  /** wamid of the inbound message to mark read (Meta marks earlier ones read too). */
  waMessageId: string;
}

/**
 * Read receipts towards the customer (the blue ticks). When an operator opens a
 * conversation, the inbox calls enqueueFor() in its transaction with the wamid of the
 * latest inbound message; Meta then marks that message and every earlier one read. The job
 * is keyed by the wamid, so opening the conversation again sends nothing new.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/guides/mark-message-as-read
 */
@Injectable()
export class ReadReceiptsService {
  constructor(private readonly queue: QueueService) {}

  /** Queues the receipt in the caller's transaction; false when it was queued before. */
  async enqueueFor(manager: EntityManager, input: MarkReadPayload): Promise<boolean> {
    const payload: MarkReadPayload = {
      workspaceId: input.workspaceId,
      waMessageId: input.waMessageId,
    };
    const id = await this.queue.enqueue(manager, MARK_READ_JOB, payload, {
      dedupeKey: `${MARK_READ_JOB}:${input.workspaceId}:${input.waMessageId}`,
      maxAttempts: 5,
    });
    return id !== null;
  }
}
