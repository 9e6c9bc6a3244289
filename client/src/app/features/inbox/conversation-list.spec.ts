import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { Subject } from 'rxjs';

import { getButton, getByLabel, normalize, queryButton } from '../../../testing/dom-queries';
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
} from '../../core/http/messaging.model';
import {
  NOTIFICATIONS_KEY,
  NOTIFICATION_API,
  NotificationApi,
} from '../../core/notifications/desktop-notifications';
import {
  FakeNotificationApi,
  fakeNotificationApi,
} from '../../core/notifications/testing/fake-notification-api';
import { ConversationList } from './conversation-list';
import { InboxStore } from './inbox-store';
import { ANA, conversationOf } from './testing/conversation-fixture';

const PEDRO: Contact = { ...ANA, id: 80, wa_id: '37125550080', name: 'Pedro', profile_name: null };

/** The signed-in operator. */
const ADA: User = {
  id: 1,
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  is_active: true,
  created_at: '2026-11-01T00:00:00Z',
};
const ME: ConversationAssignee = { id: ADA.id, name: ADA.name, email: ADA.email };
const BOB: ConversationAssignee = { id: 2, name: 'Bob van Dijk', email: 'bob@example.com' };

const conversation = (
  id: number,
  contact: Contact,
  assignee: ConversationAssignee | null = null,
): Conversation => ({ ...conversationOf(id, contact), assignee });

describe(ConversationList.name, () => {
  let http: HttpTestingController;
  let events: Subject<LiveEvent>;
  let store: InboxStore;
  let fixture: ComponentFixture<ConversationList>;
  let root: HTMLElement;

  async function render(
    list: Conversation[],
    notificationApi: NotificationApi | null = null,
  ): Promise<void> {
    const auth = new FakeAuthStore();
    auth.settle('signed-in', ADA);
    events = new Subject<LiveEvent>();
    TestBed.configureTestingModule({
      imports: [ConversationList],
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        { provide: AuthStore, useValue: auth },
        { provide: EventsService, useValue: { events$: events.asObservable() } },
        { provide: NOTIFICATION_API, useValue: notificationApi },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    store = TestBed.inject(InboxStore);
    fixture = TestBed.createComponent(ConversationList);
    root = fixture.nativeElement as HTMLElement;
    store.loadConversations();
    http
      .expectOne('/api/conversations?status=open&limit=50')
      .flush({ conversations: list, next_before_id: null });
    await fixture.whenStable();
  }

  afterEach(() => http.verify());

  /** The names of the listed conversations, top to bottom. */
  function rows(): string[] {
    return Array.from(root.querySelectorAll('ul[aria-label="Conversations"] > li')).map((li) =>
      normalize(li.querySelector('.font-medium')?.textContent),
    );
  }

  function badges(): { label: string | null; title: string; text: string }[] {
    return Array.from(root.querySelectorAll<HTMLElement>('li [role="img"]')).map((badge) => ({
      label: badge.getAttribute('aria-label'),
      title: badge.title,
      text: normalize(badge.textContent),
    }));
  }

  async function choose(label: string): Promise<void> {
    getByLabel(root, label).click();
    await fixture.whenStable();
  }

  it('previews a reply with who sent it: You for mine and older ones, else the teammate', async () => {
    const reply = (id: number, text: string, sentBy: number | null): Message => ({
      id,
      wa_message_id: `wamid.${id}`,
      contact_id: ANA.id,
      type: 'text',
      content: text,
      is_outbound: true,
      status: 'sent',
      timestamp: '2026-11-24T10:00:00Z',
      conversation_id: id,
      sent_by_user_id: sentBy,
    });
    const withLast = (c: Conversation, last: Message): Conversation => ({
      ...c,
      last_message: last,
    });
    await render([
      withLast(conversation(1, ANA), reply(1, 'On my way', BOB.id)),
      withLast(conversation(2, PEDRO), reply(2, 'Done', ADA.id)),
      withLast(conversation(3, { ...PEDRO, id: 81, name: 'Old' }), reply(3, 'Hello', null)),
      withLast(conversation(4, { ...PEDRO, id: 82, name: 'Gone' }), reply(4, 'Bye', 99)),
    ]);
    const previews = (): string[] =>
      Array.from(root.querySelectorAll('ul[aria-label="Conversations"] > li')).map((li) =>
        normalize(li.querySelectorAll('.truncate.text-sm')[0]?.textContent),
      );
    // Until the members are known, nobody is named (everyone would be a former teammate).
    expect(previews()).toEqual(['You: On my way', 'You: Done', 'You: Hello', 'You: Bye']);

    store.loadMembers();
    http.expectOne('/api/workspace/members').flush([
      { user_id: ADA.id, name: ADA.name, email: ADA.email, role: 'owner', joined_at: '' },
      { user_id: BOB.id, name: BOB.name, email: BOB.email, role: 'agent', joined_at: '' },
    ]);
    await fixture.whenStable();
    expect(previews()).toEqual([
      'Bob van Dijk: On my way',
      'You: Done',
      'You: Hello',
      'Former teammate: Bye',
    ]);
  });

  it("shows the assignee's initials on assigned rows only", async () => {
    await render([conversation(1, ANA, BOB), conversation(2, PEDRO)]);
    expect(rows()).toEqual(['Ana', 'Pedro']);
    expect(badges()).toEqual([
      { label: 'Assigned to Bob van Dijk', title: 'Assigned to Bob van Dijk', text: 'BV' },
    ]);
    const pedro = root.querySelectorAll('ul[aria-label="Conversations"] > li')[1];
    expect(pedro.querySelector('[role="img"]')).toBeNull();
  });

  it('filters by assignee: Mine, Unassigned, then Everyone again', async () => {
    await render([conversation(1, ANA, BOB), conversation(2, PEDRO)]);
    expect(getByLabel(root, 'Everyone').checked).toBe(true);

    await choose('Mine');
    http
      .expectOne('/api/conversations?status=open&limit=50&assignee=me')
      .flush({ conversations: [conversation(3, PEDRO, ME)], next_before_id: null });
    await fixture.whenStable();
    expect(getByLabel(root, 'Mine').checked).toBe(true);
    expect(rows()).toEqual(['Pedro']);
    expect(badges().map((b) => b.text)).toEqual(['AL']);

    await choose('Unassigned');
    http
      .expectOne('/api/conversations?status=open&limit=50&assignee=none')
      .flush({ conversations: [conversation(2, PEDRO)], next_before_id: null });
    await fixture.whenStable();
    expect(rows()).toEqual(['Pedro']);
    expect(badges()).toEqual([]);

    await choose('Everyone');
    http
      .expectOne('/api/conversations?status=open&limit=50')
      .flush({ conversations: [conversation(1, ANA, BOB)], next_before_id: null });
    await fixture.whenStable();
    expect(rows()).toEqual(['Ana']);
  });

  it('combines the assignee filter with the status filter', async () => {
    await render([]);
    await choose('Closed');
    http.expectOne('/api/conversations?status=closed&limit=50').flush({ conversations: [] });
    await choose('Mine');
    http
      .expectOne('/api/conversations?status=closed&limit=50&assignee=me')
      .flush({ conversations: [] });
    await fixture.whenStable();
    expect(normalize(root.textContent)).toContain('No conversations assigned to you.');
  });

  it('with Mine, a conversation leaves when a teammate takes it and comes back when given back', async () => {
    await render([]);
    await choose('Mine');
    http.expectOne('/api/conversations?status=open&limit=50&assignee=me').flush({
      conversations: [conversation(1, ANA, ME), conversation(2, PEDRO, ME)],
      next_before_id: null,
    });
    await fixture.whenStable();
    expect(rows()).toEqual(['Ana', 'Pedro']);

    events.next({
      type: 'conversation.updated',
      id: '1',
      data: { conversation: conversation(1, ANA, BOB) },
    });
    await fixture.whenStable();
    expect(rows()).toEqual(['Pedro']);

    events.next({
      type: 'conversation.updated',
      id: '2',
      data: { conversation: conversation(1, ANA, ME) },
    });
    await fixture.whenStable();
    expect(rows()).toEqual(['Ana', 'Pedro']);
  });

  it('says so when no conversation is unassigned', async () => {
    await render([]);
    await choose('Unassigned');
    http
      .expectOne('/api/conversations?status=open&limit=50&assignee=none')
      .flush({ conversations: [] });
    await fixture.whenStable();
    expect(normalize(root.textContent)).toContain('No unassigned conversations.');
  });

  describe('desktop notifications prompt', () => {
    const PROMPT = 'Get a desktop notification when a customer writes.';
    let notifications: FakeNotificationApi;

    beforeEach(() => {
      localStorage.clear();
      notifications = fakeNotificationApi('default');
    });
    afterEach(() => localStorage.clear());

    it('"Turn on" asks the browser, turns them on and goes away', async () => {
      await render([], notifications.api);
      expect(normalize(root.textContent)).toContain(PROMPT);

      getButton(root, 'Turn on').click();
      await fixture.whenStable();

      expect(notifications.requests).toBe(1);
      expect(localStorage.getItem(NOTIFICATIONS_KEY)).toBe('on');
      expect(normalize(root.textContent)).not.toContain(PROMPT);
      expect(queryButton(root, 'Turn on')).toBeNull();
    });

    it('"Not now" goes away without asking the browser, and stays away', async () => {
      await render([], notifications.api);
      getButton(root, 'Not now').click();
      await fixture.whenStable();

      expect(notifications.requests).toBe(0);
      expect(localStorage.getItem(NOTIFICATIONS_KEY)).toBe('off');
      expect(normalize(root.textContent)).not.toContain(PROMPT);
    });

    it('is not offered once the browser has an answer', async () => {
      notifications.setPermission('denied');
      await render([], notifications.api);
      expect(normalize(root.textContent)).not.toContain(PROMPT);
    });

    it('is not offered after "Not now" in an earlier visit', async () => {
      localStorage.setItem(NOTIFICATIONS_KEY, 'off');
      await render([], notifications.api);
      expect(normalize(root.textContent)).not.toContain(PROMPT);
    });

    it('is not offered where the browser has no notifications', async () => {
      await render([], null);
      expect(normalize(root.textContent)).not.toContain(PROMPT);
    });
  });
});
