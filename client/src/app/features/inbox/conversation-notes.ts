import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  Injector,
  afterNextRender,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
  viewChild,
} from '@angular/core';

import { ApiError } from '../../core/http/api-error';
import { Note } from '../../core/http/messaging.model';
import { Clock } from '../../core/time/clock';
import { formatRelativeTime } from '../../core/time/relative-time';
import { Spinner } from '../../shared/ui/spinner';
import { InboxStore } from './inbox-store';

/**
 * The internal notes of a conversation, opened from the thread header: what teammates
 * wrote, oldest first, and a box to add one. The customer never sees them, so they look
 * like sticky notes rather than messages. Ctrl+Enter (⌘+Enter on a Mac) adds the note;
 * plain Enter starts a new line, as in any long text.
 */
@Component({
  selector: 'nl-conversation-notes',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, Spinner],
  templateUrl: './conversation-notes.html',
  host: { class: 'flex min-h-0 flex-col' },
})
export class ConversationNotes {
  private readonly store = inject(InboxStore);
  private readonly clock = inject(Clock);
  private readonly injector = inject(Injector);

  readonly conversationId = input.required<number>();

  protected readonly state = computed(() => this.store.notesFor(this.conversationId()));
  protected readonly draft = signal('');
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly canAdd = computed(() => this.draft().trim() !== '' && !this.saving());

  private readonly list = viewChild<ElementRef<HTMLElement>>('list');

  constructor() {
    effect(() => {
      const id = this.conversationId();
      untracked(() => this.open(id));
    });
    effect(() => {
      if (this.state().notes.length > 0) {
        untracked(() => this.showNewest());
      }
    });
  }

  protected authorOf(note: Note): string {
    return note.author?.name ?? 'Former teammate';
  }

  protected when(note: Note): string {
    return formatRelativeTime(note.created_at, this.clock.now());
  }

  protected reload(): void {
    this.store.loadNotes(this.conversationId());
  }

  protected onInput(value: string): void {
    this.draft.set(value);
    this.error.set(null);
  }

  /** Ctrl+Enter or ⌘+Enter adds the note; IME composition keeps its Enter. */
  protected addOnShortcut(event: Event): void {
    if ((event as KeyboardEvent).isComposing) {
      return;
    }
    event.preventDefault();
    void this.add();
  }

  protected onSubmit(event: Event): void {
    event.preventDefault();
    void this.add();
  }

  protected async add(): Promise<void> {
    const body = this.draft().trim();
    if (!body || this.saving()) {
      return;
    }
    const conversationId = this.conversationId();
    this.saving.set(true);
    this.error.set(null);
    try {
      await this.store.addNote(conversationId, body);
      if (this.conversationId() === conversationId) {
        this.draft.set('');
      }
    } catch (error: unknown) {
      if (this.conversationId() === conversationId) {
        const apiError = ApiError.from(error);
        this.error.set(apiError.messageFor('body') ?? apiError.message);
      }
    } finally {
      this.saving.set(false);
    }
  }

  /**
   * Another conversation: its notes load the first time the panel shows them, and a note
   * half-written for the previous one is dropped rather than added to this one.
   */
  private open(id: number): void {
    this.draft.set('');
    this.error.set(null);
    if (this.store.notesFor(id).status === 'idle') {
      this.store.loadNotes(id);
    }
  }

  /** The newest note is the one at the bottom; keep it in view as notes arrive. */
  private showNewest(): void {
    afterNextRender(
      {
        write: () => {
          const list = this.list()?.nativeElement;
          if (list) {
            list.scrollTop = list.scrollHeight;
          }
        },
      },
      { injector: this.injector },
    );
  }
}
