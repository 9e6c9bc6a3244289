import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { Subject } from 'rxjs';

import {
  getButton,
  getByLabel,
  normalize,
  spokenText,
  typeInto,
  visibleText,
} from '../../../testing/dom-queries';
import { AuthStore } from '../../core/auth/auth-store';
import { FakeAuthStore } from '../../core/auth/testing/fake-auth-store';
import { User } from '../../core/auth/user.model';
import { EventsService } from '../../core/events/events-service';
import { LiveEvent } from '../../core/events/live-event.model';
import { errorInterceptor } from '../../core/http/error-interceptor';
import {
  Contact,
  Conversation,
  ConversationAssignee,
  Message,
  Note,
} from '../../core/http/messaging.model';
import { Member } from '../team/team.model';
import { ConversationThread } from './conversation-thread';
import { InboxStore } from './inbox-store';
import { ANA, conversationOf } from './testing/conversation-fixture';
import { validationFailure } from '../../../testing/api-errors';

const conversation = (
  id: number,
  contact: Contact,
  assignee: ConversationAssignee | null = null,
): Conversation => ({ ...conversationOf(id, contact), assignee });

/** The signed-in operator. */
const ADA: User = {
  id: 1,
  email: 'ada@example.com',
  name: 'Ada',
  is_active: true,
  created_at: '2026-11-01T00:00:00Z',
};
const BOB: ConversationAssignee = { id: 2, name: 'Bob', email: 'bob@example.com' };
const ZOE: ConversationAssignee = { id: 3, name: 'Zoe', email: 'zoe@example.com' };

/** The workspace's members, in the order the server lists them (by joining). */
const MEMBERS: Member[] = [ZOE, { ...ADA }, BOB].map((person) => ({
  user_id: person.id,
  email: person.email,
  name: person.name,
  role: person.id === ADA.id ? 'owner' : 'agent',
  joined_at: '2026-11-01T00:00:00Z',
}));

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
    sent_by_user_id: null,
    conversation_id: 7,
  };
}

/** A reply a minute old, sent by the member `sentBy` (null: before the server recorded it). */
function outbound(id: number, sentBy: number | null): Message {
  return {
    ...inbound(id),
    content: `Reply ${id}`,
    is_outbound: true,
    status: 'delivered',
    sent_by_user_id: sentBy,
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

  /**
   * Opens conversation 7 of `contact` (assigned to `assignee`) showing `messages`, signed
   * in as Ada with `members` loaded (null: not loaded yet); conversation 9 (listed too) is
   * also theirs.
   */
  async function render(
    contact: Contact = ANA,
    assignee: ConversationAssignee | null = null,
    messages: Message[] = [inbound(100)],
    members: Member[] | null = MEMBERS,
  ): Promise<void> {
    const auth = new FakeAuthStore();
    auth.settle('signed-in', ADA);
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
      conversations: [conversation(7, contact, assignee), conversation(9, contact)],
      next_before_id: null,
    });
    if (members) {
      // The inbox page loads them on entry.
      store.loadMembers();
      http.expectOne('/api/workspace/members').flush(members);
    }

    fixture = TestBed.createComponent(ConversationThread);
    root = fixture.nativeElement as HTMLElement;
    fixture.componentRef.setInput('conversationId', '7');
    await fixture.whenStable();
    http
      .expectOne('/api/conversations/7/messages?limit=100')
      .flush({ messages, next_before_id: null });
    http
      .expectOne({ method: 'PATCH', url: '/api/conversations/7' })
      .flush(conversation(7, contact, assignee));
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

  describe('who sent each reply', () => {
    function bubble(content: string): HTMLElement {
      const found = Array.from(root.querySelectorAll<HTMLElement>('nl-message-bubble')).find(
        (b) => b.querySelector('p')?.textContent?.trim() === content,
      );
      if (!found) {
        throw new Error(`No bubble "${content}"`);
      }
      return found;
    }

    /** What a sighted operator reads on the line with the time and ticks. */
    function metaLine(content: string): string {
      return visibleText(bubble(content).querySelector('time')!.parentElement!);
    }

    /** What a screen reader says for the bubble. */
    function spoken(content: string): string {
      return spokenText(bubble(content));
    }

    const TIME = String.raw`\d{1,2}:\d{2}\s?[AP]M`;

    it("shows a teammate's name beside the time of their reply", async () => {
      await render(ANA, null, [inbound(100), outbound(101, BOB.id)]);
      expect(metaLine('Reply 101')).toMatch(new RegExp(`^Bob · ${TIME} ✓✓$`));
      expect(spoken('Reply 101')).toMatch(new RegExp(`^Bob: Reply 101 ${TIME} Delivered$`));
    });

    it('names the teammate whose reply a customer quotes, and "You" for my own', async () => {
      const quoting = (id: number, quoted: number): Message => ({
        ...inbound(id),
        content: `About ${quoted}`,
        reply_to_wa_message_id: `wamid.${quoted}`,
      });
      await render(ANA, null, [
        outbound(101, BOB.id),
        outbound(102, ADA.id),
        quoting(103, 101),
        quoting(104, 102),
      ]);
      expect(spoken('About 101')).toMatch(/^Ana: In reply to: Bob Reply 101 About 101 /);
      expect(spoken('About 102')).toMatch(/^Ana: In reply to: You Reply 102 About 102 /);
    });

    it('shows no name on my own replies', async () => {
      await render(ANA, null, [inbound(100), outbound(101, ADA.id)]);
      expect(metaLine('Reply 101')).toMatch(new RegExp(`^${TIME} ✓✓$`));
      expect(spoken('Reply 101')).toMatch(new RegExp(`^You: Reply 101 ${TIME} Delivered$`));
    });

    it('says "Former teammate" for a sender who is no longer a member', async () => {
      await render(ANA, null, [inbound(100), outbound(101, 99)]);
      expect(metaLine('Reply 101')).toMatch(new RegExp(`^Former teammate · ${TIME} ✓✓$`));
      expect(spoken('Reply 101')).toMatch(/^Former teammate: Reply 101 /);
    });

    it('shows no name on inbound messages nor on replies without a recorded sender', async () => {
      await render(ANA, null, [inbound(100), outbound(101, null)]);
      expect(metaLine('Hello')).toMatch(new RegExp(`^${TIME}$`));
      expect(spoken('Hello')).toMatch(new RegExp(`^Ana: Hello ${TIME}$`));
      expect(metaLine('Reply 101')).toMatch(new RegExp(`^${TIME} ✓✓$`));
      expect(spoken('Reply 101')).toMatch(/^You: Reply 101 /);
    });

    it('waits for the members before naming anyone, then shows the name', async () => {
      await render(ANA, null, [inbound(100), outbound(101, BOB.id)], null);
      expect(metaLine('Reply 101')).toMatch(new RegExp(`^${TIME} ✓✓$`));

      store.loadMembers();
      http.expectOne('/api/workspace/members').flush(MEMBERS);
      await fixture.whenStable();
      expect(metaLine('Reply 101')).toMatch(new RegExp(`^Bob · ${TIME} ✓✓$`));
    });

    it('asks for the members again when someone who just joined replies', async () => {
      await render();
      const tia: Member = {
        user_id: 4,
        email: 'tia@example.com',
        name: 'Tia Assignee',
        role: 'agent',
        joined_at: '2026-11-20T00:00:00Z',
      };
      events.next({
        type: 'message.created',
        id: '3',
        data: {
          message: outbound(102, tia.user_id),
          conversation: conversation(7, ANA, { id: 4, name: tia.name, email: tia.email }),
        },
      });
      http.expectOne('/api/workspace/members').flush([...MEMBERS, tia]);
      await fixture.whenStable();
      expect(metaLine('Reply 102')).toMatch(new RegExp(`^Tia Assignee · ${TIME} ✓✓$`));
    });
  });

  describe('assigning', () => {
    function picker(): HTMLSelectElement {
      return getByLabel<HTMLSelectElement>(header(), 'Assign conversation');
    }

    function shown(): string {
      return normalize(picker().selectedOptions[0]?.textContent);
    }

    function pick(label: string): void {
      const option = Array.from(picker().options).find((o) => normalize(o.text) === label);
      if (!option) {
        throw new Error(`No option ${label}`);
      }
      picker().value = option.value;
      picker().dispatchEvent(new Event('change'));
    }

    /** After the server answered: the save finishes, then the view settles. */
    async function answered(): Promise<void> {
      await vi.waitFor(() => expect(picker().disabled).toBe(false));
      await fixture.whenStable();
    }

    it('offers Unassigned, me, then the others by name, and shows the assignee', async () => {
      await render(ANA, BOB);
      expect(Array.from(picker().options).map((o) => normalize(o.text))).toEqual([
        'Unassigned',
        'Me (Ada)',
        'Bob',
        'Zoe',
      ]);
      expect(shown()).toBe('Bob');
      expect(picker().title).toBe('Assigned to Bob');
    });

    it('shows "Unassigned" for a conversation nobody handles', async () => {
      await render();
      expect(shown()).toBe('Unassigned');
      expect(picker().value).toBe('');
    });

    it('assigns: PATCH assignee_id, disabled while saving, then the header and list follow', async () => {
      await render();
      pick('Zoe');
      const request = http.expectOne({ method: 'PATCH', url: '/api/conversations/7' });
      expect(request.request.body).toEqual({ assignee_id: 3 });
      await fixture.whenStable();
      expect(picker().disabled).toBe(true);
      expect(getButton(header(), 'Close conversation').disabled).toBe(true);

      request.flush(conversation(7, ANA, ZOE));
      await answered();
      expect(shown()).toBe('Zoe');
      expect(picker().title).toBe('Assigned to Zoe');
      expect(store.conversations().find((c) => c.id === 7)?.assignee).toEqual(ZOE);
      expect(root.querySelector('[role="alert"]')).toBeNull();
    });

    it('assigns to me, and unassigns with "Unassigned" (assignee_id: null)', async () => {
      await render(ANA, BOB);
      pick('Me (Ada)');
      const assigning = http.expectOne({ method: 'PATCH', url: '/api/conversations/7' });
      expect(assigning.request.body).toEqual({ assignee_id: 1 });
      assigning.flush(conversation(7, ANA, { id: ADA.id, name: ADA.name, email: ADA.email }));
      await answered();
      expect(shown()).toBe('Me (Ada)');

      pick('Unassigned');
      const unassigning = http.expectOne({ method: 'PATCH', url: '/api/conversations/7' });
      expect(unassigning.request.body).toEqual({ assignee_id: null });
      unassigning.flush(conversation(7, ANA, null));
      await answered();
      expect(shown()).toBe('Unassigned');
    });

    it("shows the server's message when it refuses, and puts the picker back", async () => {
      await render(ANA, BOB);
      pick('Zoe');
      http
        .expectOne({ method: 'PATCH', url: '/api/conversations/7' })
        .flush(...validationFailure('assignee_id', 'Zoe is no longer a member of this workspace'));
      await answered();
      expect(normalize(root.querySelector('[role="alert"]')?.textContent)).toBe(
        'Zoe is no longer a member of this workspace',
      );
      expect(shown()).toBe('Bob');
      expect(store.conversations().find((c) => c.id === 7)?.assignee).toEqual(BOB);
    });

    it("follows a teammate's assignment (conversation.updated)", async () => {
      await render();
      events.next({
        type: 'conversation.updated',
        id: '2',
        data: { conversation: conversation(7, ANA, BOB) },
      });
      await fixture.whenStable();
      expect(shown()).toBe('Bob');
    });
  });

  describe('internal notes', () => {
    const NOTES_URL = '/api/conversations/7/notes';

    function note(id: number, overrides: Partial<Note> = {}): Note {
      return {
        id,
        conversation_id: 7,
        author: { id: BOB.id, name: BOB.name },
        body: `Note ${id}`,
        // Half a minute more, so the minutes shown do not depend on how long the test runs.
        created_at: new Date(Date.now() - (10 - id) * 60_000 - 30_000).toISOString(),
        ...overrides,
      };
    }

    function toggle(): HTMLButtonElement {
      return getButton(header(), /^Notes( \(\d+\))?$/);
    }

    function panel(): HTMLElement | null {
      return root.querySelector('#conversation-notes');
    }

    function noteBox(): HTMLTextAreaElement {
      return getByLabel<HTMLTextAreaElement>(panel()!, 'Add a note');
    }

    function addButton(): HTMLButtonElement {
      return getButton(panel()!, /^Add(ing…| note)$/);
    }

    /** Each note as a sighted operator reads it: author, time, body. */
    function shownNotes(): string[] {
      return Array.from(panel()!.querySelectorAll('li')).map((li) => visibleText(li));
    }

    function pressCtrlEnter(): void {
      noteBox().dispatchEvent(
        new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true }),
      );
    }

    /** Opens the panel and answers the notes request with `notes`. */
    async function openNotes(notes: Note[] = [note(1), note(2)]): Promise<void> {
      toggle().click();
      await fixture.whenStable();
      http.expectOne({ method: 'GET', url: NOTES_URL }).flush({ notes });
      await fixture.whenStable();
    }

    it('opens and closes the panel from the header, loading the notes the first time', async () => {
      await render();
      expect(toggle().getAttribute('aria-expanded')).toBe('false');
      expect(normalize(toggle().textContent)).toBe('Notes');
      expect(panel()).toBeNull();
      http.expectNone(NOTES_URL);

      toggle().click();
      await fixture.whenStable();
      expect(toggle().getAttribute('aria-expanded')).toBe('true');
      expect(toggle().getAttribute('aria-controls')).toBe('conversation-notes');
      expect(normalize(panel()?.textContent)).toContain('Loading notes…');
      http.expectOne({ method: 'GET', url: NOTES_URL }).flush({ notes: [note(1), note(2)] });
      await fixture.whenStable();
      expect(normalize(toggle().textContent)).toBe('Notes (2)');
      expect(shownNotes()).toHaveLength(2);

      toggle().click();
      await fixture.whenStable();
      expect(toggle().getAttribute('aria-expanded')).toBe('false');
      expect(panel()).toBeNull();
      // The count stays; opening again shows the notes without asking again.
      expect(normalize(toggle().textContent)).toBe('Notes (2)');
      toggle().click();
      await fixture.whenStable();
      http.expectNone(NOTES_URL);
      expect(shownNotes()).toHaveLength(2);
    });

    it('lists notes oldest first with their author, or "Former teammate"', async () => {
      await render();
      const first = note(1, { body: 'Customer wants a refund' });
      await openNotes([
        first,
        note(2, { author: null, body: 'Asked the warehouse' }),
        note(3, { author: { id: ADA.id, name: 'Ada' }, body: 'Waiting for Maria’s OK' }),
      ]);
      expect(shownNotes()).toEqual([
        'Bob · 9m Customer wants a refund',
        'Former teammate · 8m Asked the warehouse',
        'Ada · 7m Waiting for Maria’s OK',
      ]);
      // The exact time is there for machines and on hover.
      const time = panel()!.querySelector('time')!;
      expect(time.getAttribute('datetime')).toBe(first.created_at);
      expect(time.title).toMatch(/\d{4}, \d{1,2}:\d{2}:\d{2}\s?[AP]M$/);
    });

    it('says when there are no notes yet', async () => {
      await render();
      await openNotes([]);
      expect(normalize(toggle().textContent)).toBe('Notes (0)');
      expect(normalize(panel()?.textContent)).toContain('No notes yet.');
    });

    it('shows a note that looks like HTML as text, keeping its line breaks', async () => {
      await render();
      const body = '<b>Refund</b> <img src=x onerror="alert(1)">\nline two';
      await openNotes([note(1, { body })]);
      const text = panel()!.querySelector('li p:last-child')!;
      expect(text.textContent).toBe(body);
      expect(text.querySelector('b, img')).toBeNull();
      expect(text.classList).toContain('whitespace-pre-wrap');
    });

    it('shows the error with Retry when the notes cannot be loaded', async () => {
      await render();
      toggle().click();
      await fixture.whenStable();
      http
        .expectOne(NOTES_URL)
        .flush(
          { status_code: 500, error: 'Internal Server Error', message: 'Something broke' },
          { status: 500, statusText: 'Internal Server Error' },
        );
      await fixture.whenStable();
      expect(normalize(panel()!.querySelector('[role="alert"]')?.textContent)).toContain(
        'Something broke',
      );
      expect(normalize(toggle().textContent)).toBe('Notes');
      getButton(panel()!, 'Retry').click();
      http.expectOne(NOTES_URL).flush({ notes: [note(1)] });
      await fixture.whenStable();
      expect(shownNotes()).toHaveLength(1);
    });

    it('adds a note with Ctrl+Enter: busy meanwhile, then shown and the box cleared', async () => {
      await render();
      await openNotes();
      expect(noteBox().placeholder).toBe('Only your team sees notes');
      expect(addButton().disabled).toBe(true);

      typeInto(noteBox(), '  Customer wants a refund,\nwaiting for Maria  ');
      await fixture.whenStable();
      expect(addButton().disabled).toBe(false);
      // Plain Enter is a new line, not a submit.
      noteBox().dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
      http.expectNone(NOTES_URL);

      pressCtrlEnter();
      const request = http.expectOne({ method: 'POST', url: NOTES_URL });
      expect(request.request.body).toEqual({ body: 'Customer wants a refund,\nwaiting for Maria' });
      await fixture.whenStable();
      expect(addButton().disabled).toBe(true);
      expect(normalize(addButton().textContent)).toBe('Adding…');
      expect(noteBox().readOnly).toBe(true);

      request.flush(
        note(3, {
          author: { id: ADA.id, name: 'Ada' },
          body: 'Customer wants a refund,\nwaiting for Maria',
        }),
        { status: 201, statusText: 'Created' },
      );
      await vi.waitFor(() => expect(noteBox().readOnly).toBe(false));
      await fixture.whenStable();
      expect(noteBox().value).toBe('');
      expect(shownNotes()).toHaveLength(3);
      expect(shownNotes()[2]).toBe('Ada · 7m Customer wants a refund, waiting for Maria');
      expect(normalize(toggle().textContent)).toBe('Notes (3)');

      // Our own note.created echoes back: still one copy.
      events.next({
        type: 'note.created',
        id: '80',
        data: { note: note(3, { body: 'Customer wants a refund,\nwaiting for Maria' }) },
      });
      await fixture.whenStable();
      expect(shownNotes()).toHaveLength(3);
    });

    it('adds a note with the Add note button (⌘+Enter works too)', async () => {
      await render();
      await openNotes([]);
      typeInto(noteBox(), 'First');
      await fixture.whenStable();
      addButton().click();
      http
        .expectOne({ method: 'POST', url: NOTES_URL })
        .flush(note(1, { body: 'First' }), { status: 201, statusText: 'Created' });
      await vi.waitFor(() => expect(shownNotes()).toHaveLength(1));

      typeInto(noteBox(), 'Second');
      noteBox().dispatchEvent(
        new KeyboardEvent('keydown', { key: 'Enter', metaKey: true, bubbles: true }),
      );
      http
        .expectOne({ method: 'POST', url: NOTES_URL })
        .flush(note(2, { body: 'Second' }), { status: 201, statusText: 'Created' });
      await vi.waitFor(() => expect(shownNotes()).toHaveLength(2));
    });

    it("shows the server's message for body under the field and keeps the text", async () => {
      await render();
      await openNotes();
      const long = 'x'.repeat(4100);
      typeInto(noteBox(), long);
      pressCtrlEnter();
      http
        .expectOne({ method: 'POST', url: NOTES_URL })
        .flush(
          ...validationFailure('body', 'body must be shorter than or equal to 4096 characters'),
        );
      await vi.waitFor(() => expect(noteBox().readOnly).toBe(false));
      await fixture.whenStable();
      const error = panel()!.querySelector('#conversation-note-error');
      expect(normalize(error?.textContent)).toBe(
        'body must be shorter than or equal to 4096 characters',
      );
      expect(error?.getAttribute('role')).toBe('alert');
      expect(noteBox().getAttribute('aria-invalid')).toBe('true');
      expect(noteBox().getAttribute('aria-describedby')).toContain('conversation-note-error');
      expect(noteBox().value).toBe(long);
      expect(shownNotes()).toHaveLength(2);

      // Editing the text clears the error.
      typeInto(noteBox(), 'x');
      await fixture.whenStable();
      expect(panel()!.querySelector('#conversation-note-error')).toBeNull();
    });

    it("shows a teammate's note as it is written (note.created)", async () => {
      await render();
      await openNotes();
      events.next({
        type: 'note.created',
        id: '81',
        data: { note: note(5, { author: { id: ZOE.id, name: 'Zoe' }, body: 'Refund approved' }) },
      });
      await fixture.whenStable();
      expect(shownNotes().at(-1)).toBe('Zoe · 5m Refund approved');
      expect(normalize(toggle().textContent)).toBe('Notes (3)');
    });

    it('loads the notes of the next conversation while the panel stays open', async () => {
      await render();
      await openNotes();
      typeInto(noteBox(), 'Meant for Ana’s first conversation');
      await fixture.whenStable();
      fixture.componentRef.setInput('conversationId', '9');
      await fixture.whenStable();
      http
        .expectOne('/api/conversations/9/messages?limit=100')
        .flush({ messages: [{ ...inbound(200), conversation_id: 9 }] });
      http.expectOne({ method: 'PATCH', url: '/api/conversations/9' }).flush(conversation(9, ANA));
      http
        .expectOne('/api/conversations/9/notes')
        .flush({ notes: [note(6, { conversation_id: 9, body: 'Other one' })] });
      await fixture.whenStable();
      expect(toggle().getAttribute('aria-expanded')).toBe('true');
      expect(shownNotes()).toEqual(['Bob · 4m Other one']);
      expect(noteBox().value).toBe('');
    });
  });
});
