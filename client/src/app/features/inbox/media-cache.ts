import { Injectable, inject } from '@angular/core';
import { firstValueFrom } from 'rxjs';

import { ApiError } from '../../core/http/api-error';
import { InboxApi } from './inbox-api';

/** Enough previews for a screenful of scrolling back and forth. */
const MAX_PREVIEWS = 60;

/**
 * Fetches media through `GET /api/messages/:id/media` (the token rides on HttpClient).
 *
 * Image previews become data: URLs rather than blob: URLs because the server's default
 * Content-Security-Policy (helmet: `img-src 'self' data:`) allows the former only. They
 * are cached because virtual scrolling re-creates bubbles as they come back into view.
 */
@Injectable({ providedIn: 'root' })
export class MediaCache {
  private readonly api = inject(InboxApi);
  private readonly previews = new Map<number, Promise<string>>();

  /** A data: URL for an image message; rejects with an ApiError (404 none, 410 expired). */
  preview(messageId: number): Promise<string> {
    const cached = this.previews.get(messageId);
    if (cached) {
      // Refresh its place in the LRU order.
      this.previews.delete(messageId);
      this.previews.set(messageId, cached);
      return cached;
    }
    const loading = firstValueFrom(this.api.media(messageId))
      .then(readAsDataUrl)
      .catch((error: unknown) => {
        this.previews.delete(messageId);
        throw ApiError.from(error);
      });
    this.previews.set(messageId, loading);
    if (this.previews.size > MAX_PREVIEWS) {
      const oldest = this.previews.keys().next().value;
      if (oldest !== undefined) {
        this.previews.delete(oldest);
      }
    }
    return loading;
  }

  /** Saves the media as a file, named after the message's file name when it has one. */
  async download(messageId: number, fileName: string): Promise<void> {
    let blob: Blob;
    try {
      blob = await firstValueFrom(this.api.media(messageId));
    } catch (error: unknown) {
      throw ApiError.from(error);
    }
    const url = URL.createObjectURL(blob);
    try {
      const link = document.createElement('a');
      link.href = url;
      link.download = fileName;
      link.rel = 'noopener';
      document.body.appendChild(link);
      link.click();
      link.remove();
    } finally {
      // Give the browser a moment to start the download before the URL goes away.
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    }
  }
}

function readAsDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () =>
      typeof reader.result === 'string'
        ? resolve(reader.result)
        : reject(new ApiError(0, 'Could not read the media.'));
    reader.onerror = () => reject(new ApiError(0, 'Could not read the media.'));
    reader.readAsDataURL(blob);
  });
}
