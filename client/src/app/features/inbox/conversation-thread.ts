import { ScrollingModule, VIRTUAL_SCROLL_STRATEGY } from '@angular/cdk/scrolling';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  Injector,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';

import { AuthStore } from '../../core/auth/auth-store';
import { ApiError } from '../../core/http/api-error';
import {
  Message,
  contactDisplayName,
  formatPhone,
  messagePreview,
  numberLabel,
} from '../../core/http/messaging.model';
import { Clock } from '../../core/time/clock';
import { ErrorState } from '../../shared/ui/error-state';
import { Spinner } from '../../shared/ui/spinner';
import { assigneeOptions } from './assignee-options';
import { Composer } from './composer';
import { ContactName } from './contact-name';
import { ConversationNotes } from './conversation-notes';
import { InboxStore } from './inbox-store';
import { ThreadMessage } from './inbox.model';
import { MessageBubble } from './message-bubble';
import { ThreadRow, buildThreadRows } from './thread-rows';
import { ThreadScrollStrategy } from './thread-scroll-strategy';

/** `/inbox/:conversationId`: the thread of one conversation and its composer. */
@Component({
  selector: 'nl-conversation-thread',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ScrollingModule,
    RouterLink,
    MessageBubble,
    Composer,
    ContactName,
    ConversationNotes,
    Spinner,
    ErrorState,
  ],
  providers: [
    {
      provide: ThreadScrollStrategy,
      useFactory: () => new ThreadScrollStrategy(inject(Injector)),
    },
    { provide: VIRTUAL_SCROLL_STRATEGY, useExisting: ThreadScrollStrategy },
  ],
  templateUrl: './conversation-thread.html',
  // A container: the header lays out by the thread's width, not the window's.
  host: { class: '@container flex h-full min-h-0 flex-col' },
})
export class ConversationThread {
  protected readonly store = inject(InboxStore);
  protected readonly scroll = inject(ThreadScrollStrategy);
  private readonly clock = inject(Clock);
  private readonly auth = inject(AuthStore);

  /** Route parameter (withComponentInputBinding). */
  readonly conversationId = input.required<string>();

  protected readonly id = computed(() => {
    const id = Number(this.conversationId());
    return Number.isInteger(id) && id > 0 ? id : null;
  });
  protected readonly conversation = this.store.selectedConversation;
  protected readonly thread = this.store.selectedThread;
  protected readonly contactName = computed(() => contactDisplayName(this.conversation()?.contact));
  protected readonly phone = computed(() => {
    const waId = this.conversation()?.contact?.wa_id;
    return waId ? formatPhone(waId) : '';
  });

  protected readonly assigneeOptions = computed(() =>
    assigneeOptions(this.store.members(), this.auth.user(), this.conversation()?.assignee),
  );
  protected readonly assigneeId = computed(() => this.conversation()?.assignee?.id ?? null);

  protected readonly rows = computed(() =>
    buildThreadRows(this.thread()?.messages ?? [], this.clock.now()),
  );

  /** Messages by WhatsApp id, to show the message a reply quotes. */
  private readonly byWaId = computed(() => {
    const map = new Map<string, ThreadMessage>();
    for (const message of this.thread()?.messages ?? []) {
      if (message.wa_message_id) {
        map.set(message.wa_message_id, message);
      }
    }
    return map;
  });

  protected readonly numberLabel = numberLabel;
  protected readonly busy = signal(false);
  protected readonly actionError = signal<string | null>(null);
  protected readonly announcement = signal('');
  /** The internal notes panel; stays open from one conversation to the next. */
  protected readonly notesOpen = signal(false);
  /** "Notes", with how many once they are loaded: "Notes (2)". */
  protected readonly notesLabel = computed(() => {
    const id = this.id();
    const notes = id === null ? null : this.store.notesFor(id);
    return notes?.status === 'loaded' ? `Notes (${notes.notes.length})` : 'Notes';
  });

  private lastKeys: readonly string[] = [];
  private lastAnnouncedId: number | null = null;

  constructor() {
    effect(() => {
      const id = this.id();
      untracked(() => this.open(id));
    });
    // Runs before the view renders the new rows, so the layout is ready for them.
    effect(() => {
      const keys = this.rows().map((row) => row.key);
      untracked(() => this.layoutRows(keys));
    });
    effect(() => {
      const messages = this.thread()?.messages;
      untracked(() => this.announceNewest(messages));
    });
    this.scroll.nearTop.pipe(takeUntilDestroyed()).subscribe(() => this.loadOlder());
    inject(DestroyRef).onDestroy(() => {
      this.scroll.dispose();
      this.store.select(null);
    });
  }

  protected trackRow(_index: number, row: ThreadRow): string {
    return row.key;
  }

  protected quotedFor(message: ThreadMessage): Message | null {
    return message.reply_to_wa_message_id
      ? (this.byWaId().get(message.reply_to_wa_message_id) ?? null)
      : null;
  }

  protected senderFor(message: Message | null): string | null {
    return message ? this.store.senderName(message) : null;
  }

  protected loadOlder(): void {
    const id = this.id();
    if (id !== null) {
      this.store.loadOlder(id);
    }
  }

  protected reload(): void {
    const id = this.id();
    if (id !== null) {
      this.store.loadThread(id);
    }
  }

  protected retry(clientKey: string): void {
    const id = this.id();
    if (id !== null) {
      void this.store.retry(id, clientKey);
    }
  }

  protected toggleNotes(): void {
    this.notesOpen.update((open) => !open);
  }

  /** Close or reopen the conversation (PATCH `{is_active}`). */
  protected async toggleActive(): Promise<void> {
    const conversation = this.conversation();
    if (!conversation || this.busy()) {
      return;
    }
    this.busy.set(true);
    this.actionError.set(null);
    try {
      await this.store.setActive(conversation.id, !conversation.is_active);
    } catch (error: unknown) {
      this.actionError.set(ApiError.from(error).message);
    } finally {
      this.busy.set(false);
    }
  }

  /** Assign to the member picked (`assignee_id`), or unassign with the empty value. */
  protected async assign(picker: HTMLSelectElement): Promise<void> {
    const conversation = this.conversation();
    const assigneeId = picker.value === '' ? null : Number(picker.value);
    if (!conversation || this.busy() || assigneeId === this.assigneeId()) {
      return;
    }
    this.busy.set(true);
    this.actionError.set(null);
    try {
      await this.store.assign(conversation.id, assigneeId);
    } catch (error: unknown) {
      const apiError = ApiError.from(error);
      this.actionError.set(apiError.messageFor('assignee_id') ?? apiError.message);
      // The options did not change, so nothing else puts the picker back.
      picker.value = String(this.assigneeId() ?? '');
    } finally {
      this.busy.set(false);
    }
  }

  private open(id: number | null): void {
    this.scroll.reset();
    this.lastAnnouncedId = null;
    this.actionError.set(null);
    this.store.select(id);
  }

  private layoutRows(keys: readonly string[]): void {
    if (keys.length === this.lastKeys.length && keys.every((key, i) => key === this.lastKeys[i])) {
      return; // Only labels changed (e.g. "Today" became "Yesterday").
    }
    this.lastKeys = keys;
    this.scroll.setKeys(keys);
  }

  /** Screen readers hear new customer messages; the virtual list itself is not live. */
  private announceNewest(messages: readonly ThreadMessage[] | undefined): void {
    const newest = messages?.[messages.length - 1];
    if (!newest) {
      return;
    }
    if (
      this.lastAnnouncedId !== null &&
      newest.id !== this.lastAnnouncedId &&
      !newest.is_outbound
    ) {
      this.announcement.set(`New message from ${this.contactName()}: ${messagePreview(newest)}`);
    }
    this.lastAnnouncedId = newest.id;
  }
}
