import { createHash } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  FETCH_MEDIA_JOB,
  InboxMediaService,
  type FetchMediaPayload,
} from '../inbox/inbox-media.service.js';
import type { ClaimedJob, JobCommit, JobHandler } from '../queue/job-handler.js';
import { QueueService } from '../queue/queue.service.js';
import { GraphApiClient } from '../whatsapp/graph-api.client.js';
import { GraphCredentialsProvider } from '../whatsapp/graph-credentials.provider.js';
import { GraphApiError } from '../whatsapp/whatsapp.errors.js';
import { MediaChecksumError } from './media.errors.js';
import { MediaService } from './media.service.js';

/** GET /{media-id} (Cloud API "Retrieve Media URL"). */
interface MediaUrlAnswer {
  url?: string;
  mime_type?: string;
  /** Hex here; the webhook reports base64. */
  sha256?: string;
  file_size?: number | string;
}

/**
 * Graph's answer for a media id it no longer has: code 100, subcode 33 ("Object with ID …
 * does not exist"), or a plain 404.
 */
function isGone(err: unknown): boolean {
  return (
    err instanceof GraphApiError &&
    ((err.metaCode === 100 && err.metaSubcode === 33) || err.httpStatus === 404)
  );
}

/**
 * Downloads an inbound message's media while Meta still has it: GET /{media-id} for a
 * short-lived URL, then the bytes with the same bearer token, checked against Meta's
 * digest, stored with media_status `stored` in the job's transaction. A media id Meta no
 * longer knows is `expired` (not retried); other failures are retried, then `failed`.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media
 */
@Injectable()
export class FetchMediaHandler implements JobHandler<FetchMediaPayload>, OnModuleInit {
  readonly type = FETCH_MEDIA_JOB;

  constructor(
    private readonly queue: QueueService,
    private readonly graph: GraphApiClient,
    private readonly credentials: GraphCredentialsProvider,
    private readonly inboxMedia: InboxMediaService,
    private readonly media: MediaService,
  ) {}

  onModuleInit(): void {
    this.queue.register(this);
  }

  async run(job: ClaimedJob<FetchMediaPayload>): Promise<JobCommit | void> {
    const { messageId, workspaceId } = job.payload;
    const message = await this.inboxMedia.mediaOf(workspaceId, messageId);
    if (!message?.mediaId || message.isOutbound || message.mediaStatus === 'expired') return;
    if (await this.media.exists(messageId)) return;
    const creds = await this.credentials.forWorkspace(workspaceId);

    let info: MediaUrlAnswer;
    try {
      info = await this.graph.get<MediaUrlAnswer>(creds, message.mediaId);
    } catch (err) {
      if (isGone(err)) {
        return (manager) =>
          this.inboxMedia.setMediaStatus(manager, workspaceId, messageId, 'expired');
      }
      throw err;
    }
    if (!info.url) throw new Error(`GET /${message.mediaId} returned no download URL`);

    let file;
    try {
      file = await this.graph.download(creds, info.url);
    } catch (err) {
      // The URL lives for minutes: a refused download is retried with a fresh URL, and if
      // the media itself is gone by then, the next GET /{media-id} says so.
      if (err instanceof GraphApiError && !err.retryable) {
        throw Object.assign(new Error(`The media download was refused: ${err.message}`), {
          retryable: true,
        });
      }
      throw err;
    }

    const hex = createHash('sha256').update(file.bytes).digest('hex');
    const base64 = Buffer.from(hex, 'hex').toString('base64');
    if (info.sha256 && info.sha256.toLowerCase() !== hex) {
      throw new MediaChecksumError(info.sha256, hex);
    }
    if (!info.sha256 && message.sha256 && message.sha256 !== base64) {
      throw new MediaChecksumError(message.sha256, base64);
    }

    const mimeType =
      message.mimeType ?? info.mime_type ?? file.contentType ?? 'application/octet-stream';
    return async (manager) => {
      await this.media.store(manager, {
        messageId,
        workspaceId,
        bytes: file.bytes,
        mimeType,
        sha256: hex,
        fileName: message.fileName,
      });
      await this.inboxMedia.setMediaStatus(manager, workspaceId, messageId, 'stored', mimeType);
    };
  }

  async onFailed(manager: EntityManager, job: ClaimedJob<FetchMediaPayload>): Promise<void> {
    await this.inboxMedia.setMediaStatus(
      manager,
      job.payload.workspaceId,
      job.payload.messageId,
      'failed',
    );
  }
}
