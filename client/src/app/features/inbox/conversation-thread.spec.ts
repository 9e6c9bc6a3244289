import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { Subject } from 'rxjs';

import { getButton, getByLabel, normalize, typeInto } from '../../../testing/dom-queries';
import { AuthStore } from '../../core/auth/auth-store';
import { FakeAuthStore } from '../../core/auth/testing/fake-auth-store';
import { EventsService } from '../../core/events/events-service';
import { LiveEvent } from '../../core/events/live-event.model';
import { errorInterceptor } from '../../core/http/error-interceptor';
import { Contact, Message } from '../../core/http/messaging.model';
import { ConversationThread } from './conversation-thread';
import { InboxStore } from './inbox-store';
import { ANA, conversationOf } from './testing/conversation-fixture';

const conversation = (id: number, contact: Contact) => conversationOf(id, contact);

/** A customer message a minute old: the reply window is open, no templates are needed. */
function inbound(id: number): Message {
  return {
    id,
    wa_message_id: `wamid.${id}`,
    contact_id: ANA.id,
    type: 'text',
    content: 'Hello',
    is_outbound: false,
    status: 'received',
    timestamp: new Date(Date.now() - 60_000).toISOString(),
    conversation_id: 7,
  };
}

describe(ConversationThread.name, () => {
  let http: HttpTestingController;
  let events: Subject<LiveEvent>;
  let store: InboxStore;
  let fixture: ComponentFixture<ConversationThread>;
  let root: HTMLElement;
  const scrollTo = Element.prototype.scrollTo;

  // jsdom has no scrolling; the thread's virtual scroll calls it after each render.
  beforeAll(() => {
    Element.prototype.scrollTo ??= () => undefined;
  });

  afterAll(() => {
    Element.prototype.scrollTo = scrollTo;
  });

  /** Opens conversation 7 of `contact`; conversation 9 (listed too) is also theirs. */
  async function render(contact: Contact = ANA): Promise<void> {
    const auth = new FakeAuthStore();
    auth.settle('signed-in');
    events = new Subject<LiveEvent>();
    TestBed.configureTestingModule({
      imports: [ConversationThread],
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        { provide: AuthStore, useValue: auth },
        { provide: EventsService, useValue: { events$: events.asObservable() } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    store = TestBed.inject(InboxStore);
    store.loadConversations();
    http.expectOne('/api/conversations?status=open&limit=50').flush({
      conversations: [conversation(7, contact), conversation(9, contact)],
      next_before_id: null,
    });

    fixture = TestBed.createComponent(ConversationThread);
    root = fixture.nativeElement as HTMLElement;
    fixture.componentRef.setInput('conversationId', '7');
    await fixture.whenStable();
    http
      .expectOne('/api/conversations/7/messages?limit=100')
      .flush({ messages: [inbound(100)], next_before_id: null });
    http
      .expectOne({ method: 'PATCH', url: '/api/conversations/7' })
      .flush(conversation(7, contact));
    await fixture.whenStable();
  }

  afterEach(() => http.verify());

  function header(): HTMLElement {
    return root.querySelector('header')!;
  }

  function heading(): string {
    return normalize(header().querySelector('h2')?.textContent);
  }

  it("shows the contact's name in the header with a Rename contact button", async () => {
    await render({ ...ANA, name: 'Ana (VIP order)' });
    expect(heading()).toBe('Ana (VIP order)');
    expect(normalize(header().textContent)).toContain('WhatsApp: Ana');
    expect(normalize(header().textContent)).toContain('+37125550070');
    expect(getButton(header(), 'Rename contact')).toBeTruthy();
  });

  it('renames the contact from the header: the header and the list show it at once', async () => {
    await render();
    getButton(header(), 'Rename contact').click();
    await fixture.whenStable();
    const box = getByLabel(header(), 'Contact name');
    expect(box.value).toBe('Ana');
    typeInto(box, 'Ana (VIP order)');
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));

    const request = http.expectOne({ method: 'PATCH', url: '/api/contacts/70' });
    expect(request.request.body).toEqual({ name: 'Ana (VIP order)' });
    request.flush({ ...ANA, name: 'Ana (VIP order)' });
    await vi.waitFor(() => expect(heading()).toBe('Ana (VIP order)'));

    expect(normalize(header().textContent)).toContain('WhatsApp: Ana');
    expect(store.conversations().map((c) => c.contact?.name)).toEqual([
      'Ana (VIP order)',
      'Ana (VIP order)',
    ]);
    expect(root.querySelector('[role="region"]')?.getAttribute('aria-label')).toBe(
      'Chat with Ana (VIP order)',
    );
  });

  it("shows another operator's rename (conversation.updated) in the header", async () => {
    await render();
    events.next({
      type: 'conversation.updated',
      id: '1',
      data: { conversation: conversation(7, { ...ANA, name: 'Pedro – supplier' }) },
    });
    await fixture.whenStable();
    expect(heading()).toBe('Pedro – supplier');
    expect(normalize(header().textContent)).toContain('WhatsApp: Ana');
  });
});
