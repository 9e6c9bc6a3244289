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

import { NAME_TOO_LONG, nameProblem } from '../../core/auth/user-name';
import { ApiError } from '../../core/http/api-error';
import { Contact, contactDisplayName } from '../../core/http/messaging.model';
import { InboxStore } from './inbox-store';

export const CONTACT_NAME_REQUIRED = 'Enter a name';

/**
 * Why a contact name cannot be saved, checked as the server does (PATCH
 * `/api/contacts/:id`): trimmed, then 1 to 200 characters; null when it can.
 */
export function contactNameError(value: string): string | null {
  switch (nameProblem(value)) {
    case 'required':
      return CONTACT_NAME_REQUIRED;
    case 'maxlength':
      return NAME_TOO_LONG;
    case null:
      return null;
  }
}

/** The name operators gave the contact, if any (else the inbox follows the profile name). */
function customName(contact: Contact): string | null {
  return contact.name?.trim() || null;
}

/**
 * The contact's name in the thread header, and renaming it: "Rename contact" turns the
 * name into a field (Enter saves, Escape cancels). A name given here replaces the WhatsApp
 * profile name everywhere in the inbox; the profile name stays visible as a hint, and
 * "Use WhatsApp name" goes back to it.
 */
@Component({
  selector: 'nl-contact-name',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './contact-name.html',
  host: { class: 'block min-w-0' },
})
export class ContactName {
  private readonly store = inject(InboxStore);
  private readonly injector = inject(Injector);

  readonly contact = input.required<Contact>();

  protected readonly displayName = computed(() => contactDisplayName(this.contact()));
  /** The WhatsApp profile name, when a name given by the team hides it. */
  protected readonly profileHint = computed(() => {
    const contact = this.contact();
    const custom = customName(contact);
    const profile = contact.profile_name?.trim();
    return custom && profile && profile !== custom ? profile : null;
  });
  /** Whether the contact has a name of its own that "Use WhatsApp name" would undo. */
  protected readonly canUseProfileName = computed(() => {
    const contact = this.contact();
    const custom = customName(contact);
    return custom !== null && custom !== contact.profile_name?.trim();
  });

  protected readonly editing = signal(false);
  protected readonly draft = signal('');
  protected readonly saving = signal(false);
  /** Validation shows once Save was tried, then follows the typing. */
  private readonly attempted = signal(false);
  private readonly serverError = signal<string | null>(null);
  protected readonly error = computed(
    () => (this.attempted() ? contactNameError(this.draft()) : null) ?? this.serverError(),
  );

  private readonly nameBox = viewChild<ElementRef<HTMLInputElement>>('nameBox');
  private readonly renameButton = viewChild<ElementRef<HTMLButtonElement>>('renameButton');

  constructor() {
    // Another conversation opened: its contact is not the one being renamed.
    const contactId = computed(() => this.contact().id);
    effect(() => {
      contactId();
      untracked(() => this.close(false));
    });
  }

  protected startEditing(): void {
    const contact = this.contact();
    this.draft.set(customName(contact) ?? contact.profile_name?.trim() ?? '');
    this.attempted.set(false);
    this.serverError.set(null);
    this.editing.set(true);
    afterNextRender(
      {
        write: () => {
          const box = this.nameBox()?.nativeElement;
          box?.focus();
          box?.select();
        },
      },
      { injector: this.injector },
    );
  }

  protected onInput(value: string): void {
    this.draft.set(value);
    this.serverError.set(null);
  }

  /** Enter saves; IME composition keeps its Enter. */
  protected saveOnEnter(event: Event): void {
    if ((event as KeyboardEvent).isComposing) {
      return;
    }
    event.preventDefault();
    void this.save();
  }

  protected onSubmit(event: Event): void {
    event.preventDefault();
    void this.save();
  }

  protected cancel(): void {
    if (!this.saving()) {
      this.close(true);
    }
  }

  protected async save(): Promise<void> {
    if (this.saving()) {
      return;
    }
    this.attempted.set(true);
    if (contactNameError(this.draft()) !== null) {
      this.nameBox()?.nativeElement.focus();
      return;
    }
    const name = this.draft().trim();
    const contact = this.contact();
    // Unchanged: saving the shown profile name would stop it following WhatsApp.
    if (name === (customName(contact) ?? contact.profile_name?.trim())) {
      this.close(true);
      return;
    }
    await this.rename(name);
  }

  /** Back to the WhatsApp profile name (`{name: null}`). */
  protected useProfileName(): Promise<void> {
    return this.rename(null);
  }

  private async rename(name: string | null): Promise<void> {
    if (this.saving()) {
      return;
    }
    const contactId = this.contact().id;
    this.saving.set(true);
    this.serverError.set(null);
    try {
      await this.store.renameContact(contactId, name);
      if (this.editing() && this.contact().id === contactId) {
        this.close(true);
      }
    } catch (error: unknown) {
      if (this.editing() && this.contact().id === contactId) {
        const apiError = ApiError.from(error);
        this.serverError.set(apiError.messageFor('name') ?? apiError.message);
        // The field was disabled while saving, which took the focus away from it.
        afterNextRender(
          { write: () => this.nameBox()?.nativeElement.focus() },
          { injector: this.injector },
        );
      }
    } finally {
      this.saving.set(false);
    }
  }

  private close(restoreFocus: boolean): void {
    if (!this.editing()) {
      return;
    }
    this.editing.set(false);
    this.attempted.set(false);
    this.serverError.set(null);
    if (restoreFocus) {
      afterNextRender(
        { write: () => this.renameButton()?.nativeElement.focus() },
        { injector: this.injector },
      );
    }
  }
}
