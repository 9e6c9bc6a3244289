import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component, computed, inject } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { Subject } from 'rxjs';

import {
  getButton,
  getByLabel,
  normalize,
  queryButton,
  typeInto,
} from '../../../testing/dom-queries';
import { AuthStore } from '../../core/auth/auth-store';
import { FakeAuthStore } from '../../core/auth/testing/fake-auth-store';
import { MAX_NAME_LENGTH } from '../../core/auth/user-name';
import { EventsService } from '../../core/events/events-service';
import { LiveEvent } from '../../core/events/live-event.model';
import { errorInterceptor } from '../../core/http/error-interceptor';
import { Contact, contactDisplayName } from '../../core/http/messaging.model';
import { ContactName } from './contact-name';
import { InboxStore } from './inbox-store';
import { ANA, conversationOf } from './testing/conversation-fixture';
import { validationFailure } from '../../../testing/api-errors';

const PEDRO: Contact = {
  id: 80,
  wa_id: '37125550080',
  name: 'Pedro',
  profile_name: 'Pedro',
  created_at: '2026-11-01T00:00:00Z',
};

const conversation = (id: number, contact: Contact) =>
  conversationOf(id, contact, Date.parse('2026-11-24T12:00:00Z'));

/** The thread header's use of the component: the open conversation's contact. */
@Component({
  imports: [ContactName],
  template: `@if (contact(); as contact) {
    <header><nl-contact-name [contact]="contact" /></header>
  }`,
})
class Host {
  private readonly store = inject(InboxStore);
  readonly contact = computed(() => this.store.selectedConversation()?.contact);
}

describe(ContactName.name, () => {
  let http: HttpTestingController;
  let store: InboxStore;
  let fixture: ComponentFixture<Host>;
  let root: HTMLElement;

  /**
   * Opens conversation 7 of `contact`; the list also holds conversation 9 of the same
   * contact (an older one) and conversation 8 of someone else.
   */
  async function render(contact: Contact = ANA): Promise<void> {
    const auth = new FakeAuthStore();
    auth.settle('signed-in');
    TestBed.configureTestingModule({
      imports: [Host],
      providers: [
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        { provide: AuthStore, useValue: auth },
        { provide: EventsService, useValue: { events$: new Subject<LiveEvent>() } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    store = TestBed.inject(InboxStore);
    store.loadConversations();
    http.expectOne('/api/conversations?status=open&limit=50').flush({
      conversations: [conversation(7, contact), conversation(8, PEDRO), conversation(9, contact)],
      next_before_id: null,
    });
    open(7, contact);
    fixture = TestBed.createComponent(Host);
    root = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  }

  /** Selects a conversation the way the thread does (messages, then marked read). */
  function open(id: number, contact: Contact): void {
    store.select(id);
    http
      .expectOne(`/api/conversations/${id}/messages?limit=100`)
      .flush({ messages: [], next_before_id: null });
    http
      .expectOne({ method: 'PATCH', url: `/api/conversations/${id}` })
      .flush(conversation(id, contact));
  }

  afterEach(() => http.verify());

  function heading(): string {
    return normalize(root.querySelector('header h2')?.textContent);
  }

  function nameBox(): HTMLInputElement {
    return getByLabel(root, 'Contact name');
  }

  function press(target: HTMLElement, key: string): KeyboardEvent {
    const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true });
    target.dispatchEvent(event);
    return event;
  }

  function alertText(): string {
    return normalize(root.querySelector('header [role="alert"]')?.textContent);
  }

  /** Names in the conversation list, by conversation id. */
  function listedNames(): Record<number, string> {
    return Object.fromEntries(
      store.conversations().map((c) => [c.id, contactDisplayName(c.contact)]),
    );
  }

  /** After the server answered: the save finishes, then the view settles. */
  async function answered(): Promise<void> {
    await vi.waitFor(() => expect(root.querySelector('#contact-name-input:disabled')).toBeNull());
    await fixture.whenStable();
  }

  async function startRenaming(): Promise<HTMLInputElement> {
    getButton(root, 'Rename contact').click();
    await fixture.whenStable();
    return nameBox();
  }

  it('shows the contact name with a "Rename contact" button', async () => {
    await render();
    expect(heading()).toBe('Ana');
    expect(queryButton(root, 'Rename contact')).not.toBeNull();
    expect(normalize(root.querySelector('header')?.textContent)).not.toContain('WhatsApp:');
  });

  it('shows the WhatsApp profile name next to a name the team gave', async () => {
    await render({ ...ANA, name: 'Ana (VIP order)' });
    expect(heading()).toBe('Ana (VIP order)');
    expect(normalize(root.querySelector('header')?.textContent)).toContain('WhatsApp: Ana');
  });

  it('turns the name into a field prefilled with it, and saves on Enter', async () => {
    await render();
    const box = await startRenaming();
    expect(box.value).toBe('Ana');
    expect(document.activeElement).toBe(box);
    expect(queryButton(root, 'Use WhatsApp name')).toBeNull();

    typeInto(box, '  Ana (VIP order)  ');
    const enter = press(box, 'Enter');
    expect(enter.defaultPrevented).toBe(true);
    const request = http.expectOne({ method: 'PATCH', url: '/api/contacts/70' });
    expect(request.request.body).toEqual({ name: 'Ana (VIP order)' });

    await fixture.whenStable();
    expect(box.disabled).toBe(true);
    expect(getButton(root, /^Sav/).disabled).toBe(true);
    expect(getButton(root, 'Cancel').disabled).toBe(true);

    request.flush({ ...ANA, name: 'Ana (VIP order)' });
    await answered();
    expect(root.querySelector('#contact-name-input')).toBeNull();
    expect(heading()).toBe('Ana (VIP order)');
    expect(normalize(root.querySelector('header')?.textContent)).toContain('WhatsApp: Ana');
    expect(document.activeElement).toBe(getButton(root, 'Rename contact'));
    // The list shows the new name on every conversation of the contact, at once.
    expect(listedNames()).toEqual({ 7: 'Ana (VIP order)', 8: 'Pedro', 9: 'Ana (VIP order)' });
  });

  it('saves with the Save button without submitting the page', async () => {
    await render();
    typeInto(await startRenaming(), 'Pedro – supplier');
    await fixture.whenStable();
    const submit = new Event('submit', { cancelable: true });
    root.querySelector('header form')!.dispatchEvent(submit);
    expect(submit.defaultPrevented).toBe(true);
    http
      .expectOne({ method: 'PATCH', url: '/api/contacts/70' })
      .flush({ ...ANA, name: 'Pedro – supplier' });
    await answered();
    expect(heading()).toBe('Pedro – supplier');
  });

  it('cancels on Escape and with Cancel, sending nothing', async () => {
    await render();
    const box = await startRenaming();
    typeInto(box, 'Somebody else');
    press(box, 'Escape');
    await fixture.whenStable();
    expect(root.querySelector('#contact-name-input')).toBeNull();
    expect(heading()).toBe('Ana');

    typeInto(await startRenaming(), 'Somebody else');
    expect(nameBox().value).toBe('Somebody else');
    getButton(root, 'Cancel').click();
    await fixture.whenStable();
    expect(heading()).toBe('Ana');
    // Opening again starts from the current name, not the abandoned text.
    expect((await startRenaming()).value).toBe('Ana');
    http.expectNone('/api/contacts/70');
  });

  it('asks for a name when the field is blank', async () => {
    await render();
    const box = await startRenaming();
    typeInto(box, '   ');
    press(box, 'Enter');
    await fixture.whenStable();
    expect(alertText()).toBe('Enter a name');
    expect(box.getAttribute('aria-invalid')).toBe('true');
    expect(box.getAttribute('aria-describedby')).toBe('contact-name-error');
    http.expectNone('/api/contacts/70');

    typeInto(box, 'Ana B.');
    await fixture.whenStable();
    expect(alertText()).toBe('');
  });

  it('refuses a name longer than 200 characters and sends nothing', async () => {
    await render();
    const box = await startRenaming();
    typeInto(box, 'a'.repeat(MAX_NAME_LENGTH + 1));
    press(box, 'Enter');
    await fixture.whenStable();
    expect(alertText()).toBe('Name must be at most 200 characters');
    expect(root.querySelector('#contact-name-input')).not.toBeNull();
    http.expectNone('/api/contacts/70');
  });

  it('counts characters as the server does: 200 emoji are a valid name', async () => {
    await render();
    const emoji = '😀'.repeat(MAX_NAME_LENGTH);
    const box = await startRenaming();
    typeInto(box, emoji);
    press(box, 'Enter');
    const request = http.expectOne({ method: 'PATCH', url: '/api/contacts/70' });
    expect(request.request.body).toEqual({ name: emoji });
    request.flush({ ...ANA, name: emoji });
    await answered();
    expect(heading()).toBe(emoji);
  });

  it('"Use WhatsApp name" goes back to the profile name (name: null)', async () => {
    await render({ ...ANA, name: 'Ana (VIP order)' });
    await startRenaming();
    expect(nameBox().value).toBe('Ana (VIP order)');
    getButton(root, 'Use WhatsApp name').click();
    const request = http.expectOne({ method: 'PATCH', url: '/api/contacts/70' });
    expect(request.request.body).toEqual({ name: null });
    request.flush({ ...ANA, name: 'Ana' });
    await answered();
    expect(heading()).toBe('Ana');
    expect(normalize(root.querySelector('header')?.textContent)).not.toContain('WhatsApp:');
    expect(listedNames()).toEqual({ 7: 'Ana', 8: 'Pedro', 9: 'Ana' });
  });

  it("shows the server's message when it refuses the name, and keeps the field", async () => {
    await render();
    const box = await startRenaming();
    typeInto(box, 'Ana <script>');
    press(box, 'Enter');
    http
      .expectOne({ method: 'PATCH', url: '/api/contacts/70' })
      .flush(...validationFailure('name', 'name contains characters that are not allowed'));
    await answered();
    expect(alertText()).toBe('name contains characters that are not allowed');
    expect(nameBox().value).toBe('Ana <script>');
    expect(nameBox().disabled).toBe(false);
    expect(listedNames()).toEqual({ 7: 'Ana', 8: 'Pedro', 9: 'Ana' });

    // Typing again clears the server's message.
    typeInto(nameBox(), 'Ana');
    await fixture.whenStable();
    expect(alertText()).toBe('');
  });

  it('closes the field when another conversation opens', async () => {
    await render();
    typeInto(await startRenaming(), 'Half typed');
    open(8, PEDRO);
    await fixture.whenStable();
    expect(root.querySelector('#contact-name-input')).toBeNull();
    expect(heading()).toBe('Pedro');
  });
});
