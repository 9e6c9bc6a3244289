import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';

import { InboxStore } from './inbox-store';
import { MessageTemplate, WindowState } from './inbox.model';

/**
 * Reply box of a thread. Enter sends, Shift+Enter starts a new line. Outside WhatsApp's
 * 24-hour window only approved templates may be sent, so a template picker replaces it.
 */
@Component({
  selector: 'nl-composer',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule],
  templateUrl: './composer.html',
  host: { class: 'block' },
})
export class Composer {
  private readonly store = inject(InboxStore);

  readonly conversationId = input.required<number>();
  readonly window = input<WindowState>('unknown');
  /** The server's explanation when it refused a free-form message. */
  readonly windowMessage = input<string | null>(null);

  protected readonly text = new FormControl('', { nonNullable: true });
  protected readonly templateKey = new FormControl('', { nonNullable: true });
  /** Form groups so (ngSubmit) handles submit (a bare <form> would navigate). */
  protected readonly textForm = new FormGroup({ text: this.text });
  protected readonly templateForm = new FormGroup({ template: this.templateKey });
  protected readonly templates = this.store.templates;
  protected readonly sendingTemplate = signal(false);
  protected readonly error = signal<string | null>(null);

  private readonly textValue = toSignal(this.text.valueChanges, { initialValue: '' });
  protected readonly canSend = computed(() => this.textValue().trim() !== '');

  protected readonly approvedTemplates = computed<readonly MessageTemplate[]>(() => {
    const state = this.templates();
    return state.status === 'ready' ? state.data : [];
  });

  /** The conversation whose draft is in the box. */
  private draftOwner: number | null = null;

  constructor() {
    effect(() => {
      if (this.window() === 'closed') {
        untracked(() => this.store.loadTemplates());
      }
    });
    effect(() => {
      const first = this.approvedTemplates()[0];
      if (first && !untracked(() => this.templateKey.value)) {
        this.templateKey.setValue(templateKeyOf(first));
      }
    });
    effect(() => {
      const id = this.conversationId();
      untracked(() => this.switchDraft(id));
    });
    inject(DestroyRef).onDestroy(() => this.keepDraft());
  }

  /** Drafts stay with their conversation, so text typed for one is never sent to another. */
  private switchDraft(id: number): void {
    if (this.draftOwner === id) {
      return;
    }
    this.keepDraft();
    this.text.setValue(this.store.takeDraft(id));
    this.draftOwner = id;
    this.error.set(null);
  }

  private keepDraft(): void {
    if (this.draftOwner !== null) {
      this.store.saveDraft(this.draftOwner, this.text.value);
    }
  }

  protected templateKeyOf(template: MessageTemplate): string {
    return templateKeyOf(template);
  }

  /** Enter sends; Shift+Enter and IME composition keep their usual meaning. */
  protected sendOnEnter(event: Event): void {
    const key = event as KeyboardEvent;
    if (key.shiftKey || key.isComposing) {
      return;
    }
    event.preventDefault();
    void this.sendText();
  }

  protected async sendText(): Promise<void> {
    const text = this.text.value.trim();
    if (!text) {
      return;
    }
    const id = this.conversationId();
    this.error.set(null);
    this.text.setValue('');
    const outcome = await this.store.sendText(id, text);
    if (outcome.kind === 'window-closed') {
      // Keep the draft: it can be sent once the customer writes again.
      if (this.draftOwner === id) {
        this.text.setValue(text);
      } else {
        this.store.saveDraft(id, text);
      }
    }
  }

  protected async sendTemplate(): Promise<void> {
    const template = this.approvedTemplates().find(
      (t) => templateKeyOf(t) === this.templateKey.value,
    );
    if (!template || this.sendingTemplate()) {
      return;
    }
    this.sendingTemplate.set(true);
    this.error.set(null);
    try {
      const outcome = await this.store.sendTemplate(this.conversationId(), template);
      if (outcome.kind !== 'sent') {
        this.error.set(outcome.message);
      }
    } finally {
      this.sendingTemplate.set(false);
    }
  }

  protected reloadTemplates(): void {
    this.store.loadTemplates(true);
  }
}

function templateKeyOf(template: MessageTemplate): string {
  return `${template.name}|${template.language}`;
}
