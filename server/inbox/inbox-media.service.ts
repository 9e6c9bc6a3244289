import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { hydrateRows } from '../database/hydrate-rows.js';
import { EventsService } from '../events/events.service.js';
import { QueueService } from '../queue/queue.service.js';
import { toMessageResponse } from './dto/message-response.dto.js';
import { Message } from './message.entity.js';

/**
 * messages.media_status, owned by the media fetcher (docs/queue.md):
 * null — not fetched yet; `stored` — the bytes are in media_files; `expired` — Meta no
 * longer had the file when we asked; `failed` — the download kept failing.
 */
export const MEDIA_STATUSES = ['stored', 'expired', 'failed'] as const;
export type MediaStatus = (typeof MEDIA_STATUSES)[number];

/** What the media module needs to know about a message's media. */
export interface MessageMedia {
  id: number;
  workspaceId: number;
  isOutbound: boolean;
  mediaId: string | null;
  mediaUrl: string | null;
  mimeType: string | null;
  /** As Meta reported it in the webhook (base64). */
  sha256: string | null;
  fileName: string | null;
  mediaStatus: string | null;
}

type Row = Record<string, unknown>;

/** The job that downloads a message's media (handled by media/fetch-media.handler.ts). */
export const FETCH_MEDIA_JOB = 'fetch_media';

export interface FetchMediaPayload {
  messageId: number;
  workspaceId: number;
}

/** The inbox's side of media: which message has which file, and how its download went. */
@Injectable()
export class InboxMediaService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly queue: QueueService,
  ) {}

  /**
   * Queues the download of each message's media in the caller's transaction — the one
   * that stores the inbound messages, so a media message never exists without its
   * download queued. Once per message: asking again is a no-op.
   */
  async queueFetch(
    manager: EntityManager,
    messages: Pick<Message, 'id' | 'workspaceId' | 'mediaId'>[],
  ): Promise<void> {
    for (const m of messages) {
      if (!m.mediaId) continue;
      const payload: FetchMediaPayload = { messageId: m.id, workspaceId: m.workspaceId };
      await this.queue.enqueue(manager, FETCH_MEDIA_JOB, payload, {
        dedupeKey: `${FETCH_MEDIA_JOB}:${m.id}`,
      });
    }
  }

  /** The message's media facts; null when the message is not in the workspace. */
  async mediaOf(workspaceId: number, messageId: number): Promise<MessageMedia | null> {
    const message = await this.dataSource.manager.findOne(Message, {
      where: { id: messageId, workspaceId },
      select: {
        id: true,
        workspaceId: true,
        isOutbound: true,
        mediaId: true,
        mediaUrl: true,
        mimeType: true,
        sha256: true,
        fileName: true,
        mediaStatus: true,
      },
    });
    if (!message) return null;
    return {
      id: message.id,
      workspaceId: message.workspaceId,
      isOutbound: message.isOutbound,
      mediaId: message.mediaId,
      mediaUrl: message.mediaUrl,
      mimeType: message.mimeType,
      sha256: message.sha256,
      fileName: message.fileName,
      mediaStatus: message.mediaStatus,
    };
  }

  /**
   * Records the download's outcome and announces it (`message.updated`), in the caller's
   * transaction — the one that stores the bytes, or fails the job.
   */
  async setMediaStatus(
    manager: EntityManager,
    workspaceId: number,
    messageId: number,
    status: MediaStatus,
    mimeType?: string,
  ): Promise<void> {
    const [rows] = await manager.query<[Row[], number]>(
      `UPDATE messages SET media_status = $3, mime_type = coalesce(mime_type, $4)
        WHERE id = $1 AND workspace_id = $2 AND media_status IS DISTINCT FROM $3
        RETURNING *`,
      [messageId, workspaceId, status, mimeType ?? null],
    );
    if (rows.length === 0) return;
    const [message] = hydrateRows(manager, Message, rows);
    await this.events.publish(manager, workspaceId, 'message.updated', {
      message: toMessageResponse(message),
    });
  }
}
