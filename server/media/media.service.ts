import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository, type EntityManager } from 'typeorm';
import { InboxMediaService } from '../inbox/inbox-media.service.js';
import { MediaFile } from './media-file.entity.js';
import { MediaDownloadFailedError, MediaExpiredError, MediaNotReadyError } from './media.errors.js';

export type NewMediaFile = Pick<
  MediaFile,
  'messageId' | 'workspaceId' | 'bytes' | 'mimeType' | 'sha256' | 'fileName'
>;

/** Owner of media_files: stores what the fetcher downloaded and serves it back. */
@Injectable()
export class MediaService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(MediaFile) private readonly files: Repository<MediaFile>,
    private readonly inboxMedia: InboxMediaService,
  ) {}

  /**
   * The stored file of a message. 404 without such a message or media; 410 when Meta
   * dropped it before we fetched it; 502 when every download failed; 409 while it is
   * being fetched — and if no fetch was ever queued (a message stored before the queue
   * existed), asking queues one.
   */
  async find(workspaceId: number, messageId: number): Promise<MediaFile> {
    const media = await this.inboxMedia.mediaOf(workspaceId, messageId);
    if (!media) throw new NotFoundException('Message not found');
    if (!media.mediaId && !media.mediaUrl) throw new NotFoundException('This message has no media');
    const file = await this.files.findOneBy({ messageId, workspaceId });
    if (file) return file;
    if (media.isOutbound || !media.mediaId) {
      throw new NotFoundException(
        'No Lose keeps the media customers send; media sent by id or link is not stored',
      );
    }
    if (media.mediaStatus === 'expired') throw new MediaExpiredError();
    if (media.mediaStatus === 'failed') throw new MediaDownloadFailedError();
    if (media.mediaStatus === 'stored') {
      throw new NotFoundException('The media file of this message is missing');
    }
    await this.dataSource.transaction((manager) =>
      this.inboxMedia.queueFetch(manager, [{ id: messageId, workspaceId, mediaId: media.mediaId }]),
    );
    throw new MediaNotReadyError();
  }

  async exists(messageId: number): Promise<boolean> {
    return this.files.existsBy({ messageId });
  }

  async store(manager: EntityManager, file: NewMediaFile): Promise<void> {
    await manager.query(
      `INSERT INTO media_files (message_id, workspace_id, bytes, mime_type, sha256, file_size, file_name)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (message_id) DO NOTHING`,
      [
        file.messageId,
        file.workspaceId,
        file.bytes,
        file.mimeType,
        file.sha256,
        file.bytes.length,
        file.fileName,
      ],
    );
  }
}
