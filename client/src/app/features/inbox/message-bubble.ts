import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';

import { Message, messagePreview } from '../../core/http/messaging.model';
import { ThreadMessage } from './inbox.model';
import { MessageMedia } from './message-media';

/** Types whose `content` is a caption or label shown under the media, not the message. */
const MEDIA_TYPES = new Set(['image', 'video', 'audio', 'document', 'sticker']);

/**
 * One message in a thread: inbound on the left, outbound on the right, with the quoted
 * message it answers, its media, time and delivery ticks, and the teammate who sent it
 * when that was not the signed-in operator.
 */
@Component({
  selector: 'nl-message-bubble',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, MessageMedia],
  template: `
    @let m = message();
    <div class="flex" [class.justify-end]="m.is_outbound">
      <div
        class="max-w-[85%] rounded-2xl px-3 py-2 shadow-sm sm:max-w-[70%]"
        [class]="
          m.is_outbound
            ? 'rounded-br-sm bg-indigo-600 text-white dark:bg-indigo-700'
            : 'rounded-bl-sm bg-white text-gray-900 ring-1 ring-gray-200 dark:bg-gray-800 dark:text-gray-100 dark:ring-gray-700'
        "
      >
        <span class="sr-only">{{
          (m.is_outbound ? (sender() ?? 'You') : contactName()) + ':'
        }}</span>
        @if (m.reply_to_wa_message_id) {
          <div
            class="mb-1 rounded-md border-l-4 px-2 py-1 text-xs"
            [class]="
              m.is_outbound
                ? 'border-indigo-200 bg-indigo-500/40 text-indigo-50'
                : 'border-indigo-400 bg-gray-100 text-gray-700 dark:bg-gray-700 dark:text-gray-200'
            "
          >
            <span class="sr-only">In reply to:</span>
            @if (quoted(); as q) {
              <span class="block font-semibold">{{
                q.is_outbound ? (quotedSender() ?? 'You') : contactName()
              }}</span>
              <span class="line-clamp-2">{{ quotedPreview() }}</span>
            } @else {
              <span class="italic">An earlier message</span>
            }
          </div>
        }

        @if (hasMedia()) {
          <nl-message-media [message]="m" />
        }

        @if (text(); as body) {
          <p class="break-words whitespace-pre-wrap">{{ body }}</p>
        }

        <div
          class="mt-1 flex items-center justify-end gap-1 text-[11px]"
          [class]="m.is_outbound ? 'text-indigo-100' : 'text-gray-500 dark:text-gray-400'"
        >
          @if (sender(); as name) {
            <!-- Screen readers hear the name first, in place of "You:"; not twice. -->
            <span class="min-w-0 truncate" aria-hidden="true" [title]="name">{{ name }}</span>
            <span aria-hidden="true">·</span>
          }
          <time [attr.datetime]="m.timestamp">{{ m.timestamp | date: 'shortTime' }}</time>
          @if (m.is_outbound) {
            @switch (m.status) {
              @case ('pending') {
                <span aria-hidden="true">🕓</span><span class="sr-only">Sending</span>
              }
              @case ('sent') {
                <span aria-hidden="true">✓</span><span class="sr-only">Sent</span>
              }
              @case ('delivered') {
                <span aria-hidden="true">✓✓</span><span class="sr-only">Delivered</span>
              }
              @case ('read') {
                <span aria-hidden="true" class="font-bold text-sky-300">✓✓</span
                ><span class="sr-only">Read</span>
              }
              @case ('failed') {
                <span aria-hidden="true" class="text-red-200">⚠</span
                ><span class="sr-only">Failed</span>
              }
            }
          }
        </div>

        @if (failure(); as reason) {
          <div
            class="mt-1 rounded-md bg-red-50 px-2 py-1 text-xs text-red-800 dark:bg-red-950 dark:text-red-200"
          >
            <p>Not delivered: {{ reason }}</p>
            @if (m.local_error && m.local_body) {
              <button
                type="button"
                class="mt-1 font-semibold underline"
                (click)="retry.emit(m.client_key)"
              >
                Retry
              </button>
            }
          </div>
        }
      </div>
    </div>
  `,
})
export class MessageBubble {
  readonly message = input.required<ThreadMessage>();
  /** The message this one answers, when it is loaded; null when it is not. */
  readonly quoted = input<Message | null>(null);
  readonly contactName = input('Customer');
  /**
   * Who sent an outbound message when it was a teammate ("Former teammate" for someone
   * who left); null when it was the signed-in operator or nobody knows.
   */
  readonly sender = input<string | null>(null);
  /** `sender` for the quoted message, when it is an outbound one a teammate sent. */
  readonly quotedSender = input<string | null>(null);
  readonly retry = output<string>();

  protected readonly hasMedia = computed(() => {
    const m = this.message();
    return m.id > 0 && (m.has_media === true || !!m.media_id || MEDIA_TYPES.has(m.type));
  });

  protected readonly text = computed(() => {
    const m = this.message();
    if (m.type === 'text' || m.type === 'template' || MEDIA_TYPES.has(m.type)) {
      return m.content?.trim() || null;
    }
    return messagePreview(m) || null;
  });

  protected readonly quotedPreview = computed(() => messagePreview(this.quoted()));

  protected readonly failure = computed(() => {
    const m = this.message();
    if (m.local_error) {
      return m.local_error;
    }
    if (m.status === 'failed') {
      return (
        m.error_title || (m.error_code ? `error ${m.error_code}` : 'WhatsApp could not deliver it')
      );
    }
    return null;
  });
}
