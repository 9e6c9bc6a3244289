import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';

import { ApiError } from '../../core/http/api-error';
import { Message } from '../../core/http/messaging.model';
import { MediaCache } from './media-cache';

const PREVIEWABLE = new Set(['image', 'sticker']);

/** The media of one message: an image preview, or a file card; both with a download link. */
@Component({
  selector: 'nl-message-media',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (previewable()) {
      @if (preview(); as src) {
        <img
          [src]="src"
          [alt]="altText()"
          class="max-h-72 w-auto max-w-full rounded-lg object-contain"
          [class.max-h-32]="message().type === 'sticker'"
        />
      } @else if (error(); as message) {
        <p class="rounded-lg bg-black/5 px-3 py-6 text-center text-sm dark:bg-white/10">
          {{ message }}
        </p>
      } @else {
        <div
          class="flex h-40 w-56 max-w-full animate-pulse items-center justify-center rounded-lg bg-black/5 text-xs dark:bg-white/10"
          role="status"
        >
          Loading image…
        </div>
      }
    } @else {
      <div class="flex items-center gap-2 rounded-lg bg-black/5 px-3 py-2 text-sm dark:bg-white/10">
        <span aria-hidden="true">{{ icon() }}</span>
        <span class="min-w-0 truncate">{{ fileName() }}</span>
      </div>
    }
    <button
      type="button"
      class="mt-1 text-xs font-medium underline underline-offset-2 opacity-90 hover:opacity-100"
      [disabled]="downloading()"
      (click)="download()"
    >
      {{ downloading() ? 'Downloading…' : 'Download'
      }}<span class="sr-only"> {{ fileName() }}</span>
    </button>
    @if (downloadError(); as message) {
      <p role="alert" class="text-xs text-red-700 dark:text-red-300">{{ message }}</p>
    }
  `,
})
export class MessageMedia {
  private readonly media = inject(MediaCache);

  readonly message = input.required<Message>();

  protected readonly preview = signal<string | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly downloading = signal(false);
  protected readonly downloadError = signal<string | null>(null);

  protected readonly previewable = computed(() => PREVIEWABLE.has(this.message().type));
  protected readonly fileName = computed(() => fileNameOf(this.message()));
  protected readonly altText = computed(() => {
    const m = this.message();
    return m.content?.trim() || (m.type === 'sticker' ? 'Sticker' : 'Image');
  });
  protected readonly icon = computed(() => {
    switch (this.message().type) {
      case 'video':
        return '🎥';
      case 'audio':
        return '🎤';
      default:
        return '📄';
    }
  });

  constructor() {
    effect(() => {
      const message = this.message();
      if (PREVIEWABLE.has(message.type) && message.id > 0) {
        untracked(() => void this.loadPreview(message.id));
      }
    });
  }

  protected async download(): Promise<void> {
    this.downloading.set(true);
    this.downloadError.set(null);
    try {
      await this.media.download(this.message().id, this.fileName());
    } catch (error: unknown) {
      this.downloadError.set(mediaErrorMessage(ApiError.from(error)));
    } finally {
      this.downloading.set(false);
    }
  }

  private async loadPreview(id: number): Promise<void> {
    this.preview.set(null);
    this.error.set(null);
    try {
      const url = await this.media.preview(id);
      if (this.message().id === id) {
        this.preview.set(url);
      }
    } catch (error: unknown) {
      if (this.message().id === id) {
        this.error.set(mediaErrorMessage(ApiError.from(error)));
      }
    }
  }
}

function mediaErrorMessage(error: ApiError): string {
  switch (error.status) {
    case 404:
      return 'Media not available';
    case 410:
      return 'Media expired';
    default:
      return error.message;
  }
}

function fileNameOf(message: Message): string {
  if (message.file_name) {
    return message.file_name;
  }
  const extension = message.mime_type?.split('/')[1]?.split(';')[0] ?? 'bin';
  return `${message.type}-${message.id}.${extension}`;
}
