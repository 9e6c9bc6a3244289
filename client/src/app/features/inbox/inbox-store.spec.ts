import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Subject } from 'rxjs';

import { AuthStore } from '../../core/auth/auth-store';
import { FakeAuthStore } from '../../core/auth/testing/fake-auth-store';
import { User } from '../../core/auth/user.model';
import { EventsService } from '../../core/events/events-service';
import { LiveEvent } from '../../core/events/live-event.model';
import { ApiError } from '../../core/http/api-error';
import { errorInterceptor } from '../../core/http/error-interceptor';
import { Conversation, ConversationAssignee, Message, Note } from '../../core/http/messaging.model';
import { Member } from '../team/team.model';
import {
  InboxStore,
  MESSAGE_PAGE_SIZE,
  SERVICE_WINDOW_MS,
  isWindowClosed,
  laterStatus,
  matchesAssignee,
  mergeNotes,
  matchesQuery,
  nextCursor,
  windowStateOf,
} from './inbox-store';
import { validationFailure } from '../../../testing/api-errors';

const NOW = Date.parse('2026-11-24T12:00:00Z');

/** The signed-in operator. */
const ME: User = {
  id: 1,
  email: 'ada@example.com',
  name: 'Ada',
  is_active: true,
  created_at: '2026-11-01T00:00:00Z',
};
const ADA: ConversationAssignee = { id: 1, name: 'Ada', email: 'ada@example.com' };
const BOB: ConversationAssignee = { id: 2, name: 'Bob', email: 'bob@example.com' };

function message(id: number, overrides: Partial<Message> = {}): Message {
  return {
    id,
    wa_message_id: `wamid.${id}`,
    contact_id: 5,
    type: 'text',
    content: `message ${id}`,
    is_outbound: false,
    status: 'received',
    timestamp: new Date(NOW - (1000 - id) * 60_000).toISOString(),
    conversation_id: 7,
    sent_by_user_id: null,
    ...overrides,
  };
}

function conversation(id: number, overrides: Partial<Conversation> = {}): Conversation {
  return {
    id,
    contact_id: id * 10,
    started_at: '2026-11-01T00:00:00Z',
    last_message_at: new Date(NOW - id * 60_000).toISOString(),
    is_active: true,
    unread_count: 0,
    contact: {
      id: id * 10,
      wa_id: `3712555${id}`,
      name: `Customer ${id}`,
      profile_name: null,
      created_at: '2026-11-01T00:00:00Z',
    },
    last_message: null,
    ...overrides,
  };
}

function note(id: number, overrides: Partial<Note> = {}): Note {
  return {
    id,
    conversation_id: 7,
    author: { id: BOB.id, name: BOB.name },
    body: `note ${id}`,
    created_at: new Date(NOW - (100 - id) * 60_000).toISOString(),
    ...overrides,
  };
}

/** `count` messages, newest first, ids ending at `newest`. */
function page(newest: number, count: number): Message[] {
  return Array.from({ length: count }, (_, i) => message(newest - i));
}

describe(InboxStore.name, () => {
  let http: HttpTestingController;
  let events: Subject<LiveEvent>;
  let auth: FakeAuthStore;
  let store: InboxStore;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    vi.setSystemTime(NOW);
    events = new Subject<LiveEvent>();
    auth = new FakeAuthStore();
    auth.settle('signed-in', ME);
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        { provide: AuthStore, useValue: auth },
        { provide: EventsService, useValue: { events$: events.asObservable() } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    store = TestBed.inject(InboxStore);
  });

  afterEach(() => {
    http.verify();
    vi.useRealTimers();
  });

  function loadList(list: Conversation[]): void {
    store.loadConversations();
    http.expectOne('/api/conversations?status=open&limit=50').flush({
      conversations: list,
      next_before_id: null,
    });
  }

  /** Opens conversation 7 with one page of messages ending at `newest`. */
  function openThread(newest = 500, count = MESSAGE_PAGE_SIZE, nextBeforeId: number | null = 400) {
    loadList([conversation(7, { unread_count: 2 }), conversation(8)]);
    store.select(7);
    http
      .expectOne('/api/conversations/7/messages?limit=100')
      .flush({ messages: page(newest, count), next_before_id: nextBeforeId });
    const read = http.expectOne({ method: 'PATCH', url: '/api/conversations/7' });
    expect(read.request.body).toEqual({ read: true });
    read.flush(conversation(7, { unread_count: 0 }));
  }

  describe('conversation list', () => {
    it('loads open conversations, newest activity first', () => {
      loadList([conversation(8), conversation(3)]);
      expect(store.listStatus()).toBe('ready');
      expect(store.conversations().map((c) => c.id)).toEqual([3, 8]);
      expect(store.hasMoreConversations()).toBe(false);
    });

    it('asks the server again when the filter or search changes', () => {
      loadList([]);
      store.setFilter('closed');
      http.expectOne('/api/conversations?status=closed&limit=50').flush({ conversations: [] });
      store.setQuery('ada');
      http
        .expectOne('/api/conversations?status=closed&limit=50&q=ada')
        .flush({ conversations: [] });
    });

    it('pages with the before_id cursor', () => {
      store.loadConversations();
      http
        .expectOne('/api/conversations?status=open&limit=50')
        .flush({ conversations: [conversation(1)], next_before_id: 1 });
      expect(store.hasMoreConversations()).toBe(true);
      store.loadMoreConversations();
      http
        .expectOne('/api/conversations?status=open&limit=50&before_id=1')
        .flush({ conversations: [conversation(2), conversation(1)], next_before_id: null });
      expect(store.conversations().map((c) => c.id)).toEqual([1, 2]);
      expect(store.hasMoreConversations()).toBe(false);
    });

    it('shows the error with the server message', () => {
      store.loadConversations();
      http
        .expectOne('/api/conversations?status=open&limit=50')
        .flush({ message: 'Database unavailable' }, { status: 503, statusText: 'Unavailable' });
      expect(store.listStatus()).toBe('error');
      expect(store.listError()).toBe('Database unavailable');
    });
  });

  describe('threads', () => {
    it('opens a conversation: loads the newest page oldest-first and marks it read', () => {
      openThread();
      const thread = store.selectedThread()!;
      expect(thread.status).toBe('ready');
      expect(thread.messages).toHaveLength(100);
      expect(thread.messages[0].id).toBe(401);
      expect(thread.messages[99].id).toBe(500);
      expect(thread.nextBeforeId).toBe(400);
      expect(store.conversations().find((c) => c.id === 7)?.unread_count).toBe(0);
    });

    it('loads older pages with before_id and prepends them', () => {
      openThread();
      store.loadOlder(7);
      store.loadOlder(7); // ignored while the first request runs
      http
        .expectOne('/api/conversations/7/messages?limit=100&before_id=400')
        .flush({ messages: page(400, 100), next_before_id: 300 });
      const thread = store.selectedThread()!;
      expect(thread.messages).toHaveLength(200);
      expect(thread.messages[0].id).toBe(301);
      expect(thread.messages[199].id).toBe(500);
      expect(thread.nextBeforeId).toBe(300);
      expect(thread.loadingOlder).toBe(false);
    });

    it('stops at the first message', () => {
      openThread(500, 100, 400);
      store.loadOlder(7);
      http
        .expectOne('/api/conversations/7/messages?limit=100&before_id=400')
        .flush({ messages: page(400, 20), next_before_id: null });
      store.loadOlder(7);
      http.expectNone(() => true);
      expect(store.selectedThread()!.messages[0].id).toBe(381);
    });

    it('keeps a failed older page retryable', () => {
      openThread();
      store.loadOlder(7);
      http
        .expectOne('/api/conversations/7/messages?limit=100&before_id=400')
        .flush({ message: 'boom' }, { status: 500, statusText: 'Server Error' });
      expect(store.selectedThread()!.olderError).toBe('boom');
      store.loadOlder(7);
      http
        .expectOne('/api/conversations/7/messages?limit=100&before_id=400')
        .flush({ messages: [], next_before_id: null });
      expect(store.selectedThread()!.olderError).toBeNull();
    });
  });

  describe('live events', () => {
    it('message.created appends to the open thread, moves the conversation up and marks read', () => {
      openThread();
      const incoming = message(501, { timestamp: new Date(NOW).toISOString() });
      events.next({
        type: 'message.created',
        id: '10',
        data: {
          message: incoming,
          conversation: conversation(7, {
            unread_count: 1,
            last_message_at: incoming.timestamp,
            last_message: incoming,
          }),
        },
      });
      const thread = store.selectedThread()!;
      expect(thread.messages.at(-1)!.id).toBe(501);
      expect(store.conversations()[0].id).toBe(7);
      // The open conversation shows no unread badge, and is marked read after a pause.
      expect(store.conversations()[0].unread_count).toBe(0);
      vi.advanceTimersByTime(1_000);
      http.expectOne({ method: 'PATCH', url: '/api/conversations/7' }).flush(conversation(7));
    });

    it('message.created for another conversation adds it to the list with its unread count', () => {
      openThread();
      events.next({
        type: 'message.created',
        id: '11',
        data: {
          message: message(900, { conversation_id: 42 }),
          conversation: conversation(42, {
            unread_count: 3,
            last_message_at: new Date(NOW).toISOString(),
          }),
        },
      });
      expect(store.conversations()[0]).toMatchObject({ id: 42, unread_count: 3 });
      expect(store.selectedThread()!.messages.at(-1)!.id).toBe(500);
    });

    it('shows the number a live event names for a new conversation, without asking for it', () => {
      const sales = { id: 1, phone_number_id: '1065', display_phone_number: '+1 555 0001' };
      const support = { id: 2, phone_number_id: '1066', display_phone_number: null };
      loadList([conversation(7, { whatsapp_number: sales })]);
      events.next({
        type: 'message.created' as const,
        id: '902',
        data: {
          message: message(902, { conversation_id: 42 }),
          conversation: conversation(42, { whatsapp_number: support }),
        },
      });
      http.expectNone('/api/conversations/42');
      expect(store.conversations().find((c) => c.id === 42)?.whatsapp_number).toEqual(support);
      expect(store.showNumbers()).toBe(true);
    });

    it('shows numbers in the list only when conversations are on more than one', () => {
      const one = { id: 1, phone_number_id: '1065', display_phone_number: null };
      loadList([
        conversation(7, { whatsapp_number: one }),
        conversation(8, { whatsapp_number: one }),
      ]);
      expect(store.showNumbers()).toBe(false);
    });

    it('message.updated changes the status in place and never goes backwards', () => {
      openThread();
      events.next({
        type: 'message.updated',
        id: '12',
        data: { message: message(500, { is_outbound: true, status: 'read' }) },
      });
      events.next({
        type: 'message.updated',
        id: '13',
        data: { message: message(500, { is_outbound: true, status: 'delivered' }) },
      });
      expect(store.selectedThread()!.messages.at(-1)!.status).toBe('read');
    });

    it('conversation.updated removes a conversation closed elsewhere from the open list', () => {
      loadList([conversation(7), conversation(8)]);
      events.next({
        type: 'conversation.updated',
        id: '14',
        data: { conversation: conversation(8, { is_active: false }) },
      });
      expect(store.conversations().map((c) => c.id)).toEqual([7]);
    });

    it('does not add conversations that do not match the search', () => {
      loadList([]);
      store.setQuery('zed');
      http.expectOne('/api/conversations?status=open&limit=50&q=zed').flush({ conversations: [] });
      events.next({
        type: 'conversation.updated',
        id: '15',
        data: { conversation: conversation(3) },
      });
      expect(store.conversations()).toEqual([]);
    });
  });

  describe('assigning', () => {
    /** Lists the open conversations assigned per `filter` (`assignee=`). */
    function loadAssigned(filter: 'me' | 'none', list: Conversation[]): void {
      store.setAssigneeFilter(filter);
      http
        .expectOne(`/api/conversations?status=open&limit=50&assignee=${filter}`)
        .flush({ conversations: list, next_before_id: null });
    }

    function updated(changed: Conversation): void {
      events.next({ type: 'conversation.updated', id: '30', data: { conversation: changed } });
    }

    it('sends PATCH {assignee_id} and shows the answer in the list and the open conversation', async () => {
      openThread();
      const assigning = store.assign(7, BOB.id);
      const req = http.expectOne({ method: 'PATCH', url: '/api/conversations/7' });
      expect(req.request.body).toEqual({ assignee_id: 2 });
      req.flush(conversation(7, { assignee: BOB }));
      await assigning;
      expect(store.conversations().find((c) => c.id === 7)?.assignee).toEqual(BOB);
      expect(store.selectedConversation()?.assignee).toEqual(BOB);
    });

    it('unassigns with assignee_id: null', async () => {
      loadList([conversation(7, { assignee: BOB })]);
      const unassigning = store.assign(7, null);
      const req = http.expectOne({ method: 'PATCH', url: '/api/conversations/7' });
      expect(req.request.body).toEqual({ assignee_id: null });
      req.flush(conversation(7, { assignee: null }));
      await unassigning;
      expect(store.conversations()[0].assignee).toBeNull();
    });

    it('rejects with the server message and changes nothing', async () => {
      loadList([conversation(7, { assignee: BOB })]);
      const assigning = store.assign(7, 99);
      http
        .expectOne({ method: 'PATCH', url: '/api/conversations/7' })
        .flush(
          ...validationFailure('assignee_id', 'assignee_id must be a member of this workspace'),
        );
      const error: unknown = await assigning.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).messageFor('assignee_id')).toBe(
        'assignee_id must be a member of this workspace',
      );
      expect(store.conversations()[0].assignee).toEqual(BOB);
    });

    it('asks for mine, unassigned or everyone’s (no parameter), with the status and search', () => {
      loadList([]);
      store.setAssigneeFilter('me');
      http.expectOne('/api/conversations?status=open&limit=50&assignee=me').flush({
        conversations: [],
      });
      store.setQuery('ana');
      http.expectOne('/api/conversations?status=open&limit=50&q=ana&assignee=me').flush({
        conversations: [],
      });
      store.setFilter('all');
      http.expectOne('/api/conversations?status=all&limit=50&q=ana&assignee=me').flush({
        conversations: [],
      });
      store.setAssigneeFilter('none');
      http.expectOne('/api/conversations?status=all&limit=50&q=ana&assignee=none').flush({
        conversations: [],
      });
      store.setAssigneeFilter('none'); // unchanged: no request
      store.setAssigneeFilter('all');
      http.expectOne('/api/conversations?status=all&limit=50&q=ana').flush({ conversations: [] });
      expect(store.assigneeFilter()).toBe('all');
    });

    it('keeps the assignee filter when paging', () => {
      store.setAssigneeFilter('none');
      http
        .expectOne('/api/conversations?status=open&limit=50&assignee=none')
        .flush({ conversations: [conversation(1)], next_before_id: 1 });
      store.loadMoreConversations();
      http
        .expectOne('/api/conversations?status=open&limit=50&assignee=none&before_id=1')
        .flush({ conversations: [conversation(2)], next_before_id: null });
      expect(store.conversations().map((c) => c.id)).toEqual([1, 2]);
    });

    it('with Mine: one assigned to someone else leaves, one assigned to me joins in order', () => {
      loadAssigned('me', [conversation(3, { assignee: ADA }), conversation(8, { assignee: ADA })]);
      updated(conversation(3, { assignee: BOB }));
      expect(store.conversations().map((c) => c.id)).toEqual([8]);
      updated(conversation(5, { assignee: ADA }));
      expect(store.conversations().map((c) => c.id)).toEqual([5, 8]);
      updated(conversation(5, { assignee: null }));
      expect(store.conversations().map((c) => c.id)).toEqual([8]);
      // A customer writing in an unassigned conversation does not bring it into Mine.
      events.next({
        type: 'message.created',
        id: '31',
        data: { message: message(900, { conversation_id: 2 }), conversation: conversation(2) },
      });
      expect(store.conversations().map((c) => c.id)).toEqual([8]);
    });

    it('with Unassigned: an assigned one leaves, one unassigned (its member removed) joins', () => {
      loadAssigned('none', [conversation(3), conversation(8)]);
      updated(conversation(3, { assignee: ADA }));
      expect(store.conversations().map((c) => c.id)).toEqual([8]);
      updated(conversation(5, { assignee: null }));
      expect(store.conversations().map((c) => c.id)).toEqual([5, 8]);
      // The status filter still applies: a closed one stays out of the open list.
      updated(conversation(4, { assignee: null, is_active: false }));
      expect(store.conversations().map((c) => c.id)).toEqual([5, 8]);
    });

    /**
     * Opens unassigned conversation 7 in the Unassigned list and replies; the server
     * assigns it to the sender and says so in the message.created event.
     */
    async function replyUnassigned(eventFirst: boolean): Promise<void> {
      loadAssigned('none', [conversation(7), conversation(8)]);
      store.select(7);
      http
        .expectOne('/api/conversations/7/messages?limit=100')
        .flush({ messages: [message(500)], next_before_id: null });
      http.expectOne({ method: 'PATCH', url: '/api/conversations/7' }).flush(conversation(7));

      const sending = store.sendText(7, 'On its way');
      const reply = message(600, {
        content: 'On its way',
        is_outbound: true,
        status: 'pending',
        sent_by_user_id: ME.id,
      });
      const created = (): void =>
        events.next({
          type: 'message.created',
          id: '40',
          data: { message: reply, conversation: conversation(7, { assignee: ADA }) },
        });
      if (eventFirst) {
        created();
      }
      http.expectOne({ method: 'POST', url: '/api/conversations/7/messages' }).flush(reply);
      expect(await sending).toEqual({ kind: 'sent' });
      if (!eventFirst) {
        created();
      }
    }

    it('replying in an unassigned conversation follows the server assigning it to me (event first)', async () => {
      await replyUnassigned(true);
      expect(store.conversations().map((c) => c.id)).toEqual([8]);
      expect(store.selectedConversation()).toMatchObject({ id: 7, assignee: ADA });
      expect(store.selectedThread()!.messages.at(-1)).toMatchObject({
        id: 600,
        sent_by_user_id: ME.id,
      });
    });

    it('replying in an unassigned conversation follows the server assigning it to me (answer first)', async () => {
      await replyUnassigned(false);
      expect(store.conversations().map((c) => c.id)).toEqual([8]);
      expect(store.selectedConversation()).toMatchObject({ id: 7, assignee: ADA });
      expect(store.selectedThread()!.messages.filter((m) => m.id === 600)).toHaveLength(1);
    });

    it('with Everyone: an assignment changes the row in place', () => {
      loadList([conversation(3), conversation(8)]);
      updated(conversation(8, { assignee: BOB }));
      expect(store.conversations().map((c) => [c.id, c.assignee?.name ?? null])).toEqual([
        [3, null],
        [8, 'Bob'],
      ]);
    });

    it('keeps the open conversation when assigning takes it out of the list', async () => {
      loadAssigned('none', [conversation(7), conversation(8)]);
      store.select(7);
      http
        .expectOne('/api/conversations/7/messages?limit=100')
        .flush({ messages: [], next_before_id: null });
      http.expectOne({ method: 'PATCH', url: '/api/conversations/7' }).flush(conversation(7));
      const assigning = store.assign(7, ME.id);
      http
        .expectOne({ method: 'PATCH', url: '/api/conversations/7' })
        .flush(conversation(7, { assignee: ADA }));
      await assigning;
      expect(store.conversations().map((c) => c.id)).toEqual([8]);
      expect(store.selectedConversation()).toMatchObject({ id: 7, assignee: ADA });
    });

    it('loads the members once at a time, keeping the last list meanwhile', () => {
      const members: Member[] = [
        { user_id: 1, email: ADA.email, name: 'Ada', role: 'owner', joined_at: '2026-11-01' },
        { user_id: 2, email: BOB.email, name: 'Bob', role: 'agent', joined_at: '2026-11-02' },
      ];
      store.loadMembers();
      store.loadMembers(); // ignored while the first request runs
      http.expectOne('/api/workspace/members').flush(members);
      expect(store.members()).toEqual(members);

      store.loadMembers();
      http
        .expectOne('/api/workspace/members')
        .flush({ message: 'boom' }, { status: 500, statusText: 'Server Error' });
      expect(store.members()).toEqual(members);
    });
  });

  describe('members', () => {
    const members: Member[] = [
      { user_id: 1, email: ADA.email, name: 'Ada', role: 'owner', joined_at: '2026-11-01' },
      { user_id: 2, email: BOB.email, name: 'Bob', role: 'agent', joined_at: '2026-11-02' },
    ];

    function created(id: number, overrides: Partial<Message>): void {
      events.next({
        type: 'message.created',
        id: String(id),
        data: { message: message(id, overrides), conversation: conversation(7) },
      });
    }

    it('says when the members are loaded, and forgets it on sign-out', () => {
      expect(store.membersLoaded()).toBe(false);
      store.loadMembers();
      http
        .expectOne('/api/workspace/members')
        .flush({ message: 'boom' }, { status: 500, statusText: 'Server Error' });
      expect(store.membersLoaded()).toBe(false);
      store.loadMembers();
      http.expectOne('/api/workspace/members').flush(members);
      expect(store.membersLoaded()).toBe(true);
      auth.settle('signed-out');
      TestBed.tick();
      expect(store.membersLoaded()).toBe(false);
    });

    it('asks again when a new reply comes from someone not among them (a new teammate)', () => {
      store.loadMembers();
      http.expectOne('/api/workspace/members').flush(members);
      created(601, { is_outbound: true, sent_by_user_id: 2 });
      created(602, { is_outbound: false, sent_by_user_id: null });
      created(603, { is_outbound: true, sent_by_user_id: null });
      http.expectNone('/api/workspace/members');

      created(604, { is_outbound: true, sent_by_user_id: 4 });
      const tia: Member = { ...members[1], user_id: 4, name: 'Tia', email: 'tia@example.com' };
      http.expectOne('/api/workspace/members').flush([...members, tia]);
      expect(store.members().map((m) => m.name)).toEqual(['Ada', 'Bob', 'Tia']);
    });

    it('does not ask for them on a new reply before they were ever loaded', () => {
      created(601, { is_outbound: true, sent_by_user_id: 4 });
      http.expectNone('/api/workspace/members');
    });
  });

  describe('sending', () => {
    it('shows a pending bubble at once and replaces it with the server message', async () => {
      openThread();
      const sending = store.sendText(7, 'Hi there!');
      const pending = store.selectedThread()!.messages.at(-1)!;
      expect(pending).toMatchObject({ content: 'Hi there!', status: 'pending', is_outbound: true });

      const req = http.expectOne({ method: 'POST', url: '/api/conversations/7/messages' });
      expect(req.request.body).toEqual({ text: 'Hi there!' });
      req.flush(message(600, { content: 'Hi there!', is_outbound: true, status: 'pending' }), {
        status: 202,
        statusText: 'Accepted',
      });
      expect(await sending).toEqual({ kind: 'sent' });

      const last = store.selectedThread()!.messages.at(-1)!;
      expect(last.id).toBe(600);
      expect(last.client_key).toBe(pending.client_key);
      expect(
        store.selectedThread()!.messages.filter((m) => m.content === 'Hi there!'),
      ).toHaveLength(1);
    });

    it('keeps one bubble when the event arrives before the send answer, with its newer status', async () => {
      openThread();
      const sending = store.sendText(7, 'Race');
      events.next({
        type: 'message.updated',
        id: '20',
        data: { message: message(601, { is_outbound: true, status: 'sent', content: 'Race' }) },
      });
      http
        .expectOne({ method: 'POST', url: '/api/conversations/7/messages' })
        .flush(message(601, { is_outbound: true, status: 'pending', content: 'Race' }));
      await sending;
      const matching = store.selectedThread()!.messages.filter((m) => m.content === 'Race');
      expect(matching).toHaveLength(1);
      expect(matching[0].status).toBe('sent');

      events.next({
        type: 'message.created',
        id: '21',
        data: {
          message: message(601, { is_outbound: true, status: 'sent', content: 'Race' }),
          conversation: conversation(7),
        },
      });
      expect(store.selectedThread()!.messages.filter((m) => m.content === 'Race')).toHaveLength(1);
    });

    it('turns a 422 window_closed into the template picker and drops the bubble', async () => {
      openThread();
      const sending = store.sendText(7, 'Too late');
      http.expectOne({ method: 'POST', url: '/api/conversations/7/messages' }).flush(
        {
          status_code: 422,
          code: 'window_closed',
          message: 'The 24-hour customer service window has closed; send a template',
        },
        { status: 422, statusText: 'Unprocessable Entity' },
      );
      expect(await sending).toEqual({
        kind: 'window-closed',
        message: 'The 24-hour customer service window has closed; send a template',
      });
      expect(store.selectedThread()!.messages.some((m) => m.content === 'Too late')).toBe(false);
      expect(store.selectedWindow()).toBe('closed');

      store.loadTemplates();
      http.expectOne('/api/whatsapp/templates').flush({
        data: [
          { name: 'hello_world', language: 'en_US', status: 'APPROVED', components: [] },
          { name: 'draft', language: 'en_US', status: 'REJECTED', components: [] },
        ],
      });
      const templates = store.templates();
      expect(templates.status === 'ready' && templates.data.map((t) => t.name)).toEqual([
        'hello_world',
      ]);

      const sendingTemplate = store.sendTemplate(7, { name: 'hello_world', language: 'en_US' });
      const req = http.expectOne({ method: 'POST', url: '/api/conversations/7/messages' });
      expect(req.request.body).toEqual({ template: { name: 'hello_world', language: 'en_US' } });
      req.flush(message(602, { type: 'template', is_outbound: true, status: 'pending' }));
      expect(await sendingTemplate).toEqual({ kind: 'sent' });
    });

    it('marks a bubble failed on other errors and resends it on retry', async () => {
      openThread();
      const sending = store.sendText(7, 'Flaky');
      http
        .expectOne({ method: 'POST', url: '/api/conversations/7/messages' })
        .flush({ message: 'Graph API timeout' }, { status: 502, statusText: 'Bad Gateway' });
      expect(await sending).toEqual({ kind: 'failed', message: 'Graph API timeout' });
      const failed = store.selectedThread()!.messages.at(-1)!;
      expect(failed.local_error).toBe('Graph API timeout');

      const retrying = store.retry(7, failed.client_key);
      expect(store.selectedThread()!.messages.at(-1)!.local_error).toBeNull();
      http
        .expectOne({ method: 'POST', url: '/api/conversations/7/messages' })
        .flush(message(603, { is_outbound: true, status: 'pending', content: 'Flaky' }));
      expect(await retrying).toEqual({ kind: 'sent' });
      expect(store.selectedThread()!.messages.at(-1)!.id).toBe(603);
    });

    it('closes and reopens a conversation', async () => {
      openThread();
      const closing = store.setActive(7, false);
      const req = http.expectOne({ method: 'PATCH', url: '/api/conversations/7' });
      expect(req.request.body).toEqual({ is_active: false });
      req.flush(conversation(7, { is_active: false }));
      await closing;
      // Gone from the open list, still the selected conversation.
      expect(store.conversations().some((c) => c.id === 7)).toBe(false);
      expect(store.selectedConversation()).toMatchObject({ id: 7, is_active: false });
    });
  });

  describe('renaming a contact', () => {
    const ana = { ...conversation(7).contact!, name: 'Ana', profile_name: 'Ana' };

    /** Conversations 7 and 9 are Ana's (contact 70), 8 is someone else's. */
    function loadAnas(): void {
      loadList([
        conversation(7, { contact: ana }),
        conversation(8),
        conversation(9, { contact_id: 70, contact: ana }),
      ]);
    }

    it('sends PATCH /api/contacts/:id and shows the name on every conversation of the contact', async () => {
      loadAnas();
      const renaming = store.renameContact(70, 'Ana (VIP order)');
      const req = http.expectOne({ method: 'PATCH', url: '/api/contacts/70' });
      expect(req.request.body).toEqual({ name: 'Ana (VIP order)' });
      req.flush({ ...ana, name: 'Ana (VIP order)' });
      await expect(renaming).resolves.toMatchObject({ id: 70, name: 'Ana (VIP order)' });
      expect(store.conversations().map((c) => [c.id, c.contact?.name])).toEqual([
        [7, 'Ana (VIP order)'],
        [8, 'Customer 8'],
        [9, 'Ana (VIP order)'],
      ]);
    });

    it('sends name: null to go back to the WhatsApp profile name', async () => {
      loadList([conversation(7, { contact: { ...ana, name: 'Ana (VIP order)' } })]);
      const resetting = store.renameContact(70, null);
      const req = http.expectOne({ method: 'PATCH', url: '/api/contacts/70' });
      expect(req.request.body).toEqual({ name: null });
      req.flush(ana);
      await resetting;
      expect(store.conversations()[0].contact?.name).toBe('Ana');
    });

    it('renames the open conversation when the list does not hold it', async () => {
      loadAnas();
      store.select(12);
      http
        .expectOne('/api/conversations/12/messages?limit=100')
        .flush({ messages: [], next_before_id: null });
      // A closed conversation of Ana's, opened from a link: not in the open list.
      const closed = conversation(12, { contact_id: 70, contact: ana, is_active: false });
      http.expectOne({ method: 'GET', url: '/api/conversations/12' }).flush(closed);
      http.expectOne({ method: 'PATCH', url: '/api/conversations/12' }).flush(closed);

      const renaming = store.renameContact(70, 'Ana (VIP order)');
      http
        .expectOne({ method: 'PATCH', url: '/api/contacts/70' })
        .flush({ ...ana, name: 'Ana (VIP order)' });
      await renaming;
      expect(store.selectedConversation()?.contact?.name).toBe('Ana (VIP order)');
      expect(store.conversations().map((c) => c.id)).toEqual([7, 8, 9]);
    });

    it('keeps the search: a contact that no longer matches leaves the list, as with events', async () => {
      store.setQuery('vip');
      http.expectOne('/api/conversations?status=open&limit=50&q=vip').flush({
        conversations: [conversation(7, { contact: { ...ana, name: 'Ana (VIP order)' } })],
        next_before_id: null,
      });
      const resetting = store.renameContact(70, null);
      http.expectOne({ method: 'PATCH', url: '/api/contacts/70' }).flush(ana);
      await resetting;
      expect(store.conversations()).toEqual([]);
    });

    it('rejects with the server message and changes nothing', async () => {
      loadAnas();
      const renaming = store.renameContact(70, 'x');
      http
        .expectOne({ method: 'PATCH', url: '/api/contacts/70' })
        .flush(
          ...validationFailure('name', 'name must be shorter than or equal to 200 characters'),
        );
      const error: unknown = await renaming.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({
        status: 422,
        message: 'name must be shorter than or equal to 200 characters',
      });
      expect(store.conversations().map((c) => c.contact?.name)).toEqual([
        'Ana',
        'Customer 8',
        'Ana',
      ]);
    });
  });

  describe('internal notes', () => {
    const NOTES_URL = '/api/conversations/7/notes';

    function noteCreated(n: Note, id = '90'): LiveEvent {
      return { type: 'note.created', id, data: { note: n } };
    }

    function bodies(conversationId = 7): string[] {
      return store.notesFor(conversationId).notes.map((n) => n.body);
    }

    /** Loads conversation 7's notes with `notes` (oldest first, as the server sends them). */
    function loadNotes(notes: Note[] = [note(1), note(2)]): void {
      store.loadNotes(7);
      http.expectOne({ method: 'GET', url: NOTES_URL }).flush({ notes });
    }

    it('are idle until loaded, then list what the server sent, oldest first', () => {
      expect(store.notesFor(7)).toEqual({ status: 'idle', notes: [], error: null });
      store.loadNotes(7);
      expect(store.notesFor(7).status).toBe('loading');
      // A second call while loading does not ask again (http.verify checks it).
      store.loadNotes(7);
      http
        .expectOne({ method: 'GET', url: NOTES_URL })
        .flush({ notes: [note(1), note(2, { author: null })] });
      expect(store.notesFor(7)).toEqual({
        status: 'loaded',
        notes: [note(1), note(2, { author: null })],
        error: null,
      });
      expect(store.notesFor(8).status).toBe('idle');
    });

    it('keep the server message when loading fails, and load again on request', () => {
      store.loadNotes(7);
      http
        .expectOne(NOTES_URL)
        .flush(
          { status_code: 404, error: 'Not Found', message: 'Conversation not found' },
          { status: 404, statusText: 'Not Found' },
        );
      expect(store.notesFor(7)).toEqual({
        status: 'error',
        notes: [],
        error: 'Conversation not found',
      });
      loadNotes([note(1)]);
      expect(store.notesFor(7)).toMatchObject({ status: 'loaded', error: null });
      expect(bodies()).toEqual(['note 1']);
    });

    it('adds a note with POST {body} and appends the answer', async () => {
      loadNotes();
      const adding = store.addNote(7, 'Customer wants a refund');
      const req = http.expectOne({ method: 'POST', url: NOTES_URL });
      expect(req.request.body).toEqual({ body: 'Customer wants a refund' });
      req.flush(note(3, { body: 'Customer wants a refund' }), {
        status: 201,
        statusText: 'Created',
      });
      await expect(adding).resolves.toMatchObject({ id: 3 });
      expect(bodies()).toEqual(['note 1', 'note 2', 'Customer wants a refund']);
    });

    it('shows an added note once when its live event arrives before the answer', async () => {
      loadNotes();
      const adding = store.addNote(7, 'Waiting for Maria');
      const req = http.expectOne({ method: 'POST', url: NOTES_URL });
      events.next(noteCreated(note(3, { body: 'Waiting for Maria' })));
      expect(bodies()).toEqual(['note 1', 'note 2', 'Waiting for Maria']);
      req.flush(note(3, { body: 'Waiting for Maria' }), { status: 201, statusText: 'Created' });
      await adding;
      expect(bodies()).toEqual(['note 1', 'note 2', 'Waiting for Maria']);
    });

    it('shows an added note once when its live event arrives after the answer', async () => {
      loadNotes();
      const adding = store.addNote(7, 'Waiting for Maria');
      http
        .expectOne({ method: 'POST', url: NOTES_URL })
        .flush(note(3, { body: 'Waiting for Maria' }), { status: 201, statusText: 'Created' });
      await adding;
      events.next(noteCreated(note(3, { body: 'Waiting for Maria' })));
      expect(store.notesFor(7).notes.map((n) => n.id)).toEqual([1, 2, 3]);
    });

    it("rejects with the server's message for body and adds nothing", async () => {
      loadNotes();
      const adding = store.addNote(7, 'x'.repeat(5000));
      http
        .expectOne({ method: 'POST', url: NOTES_URL })
        .flush(...validationFailure('body', 'body must be at most 4096 characters'));
      const error: unknown = await adding.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).messageFor('body')).toBe('body must be at most 4096 characters');
      expect(bodies()).toEqual(['note 1', 'note 2']);
    });

    it("appends a teammate's note.created to the loaded notes of its conversation", () => {
      loadNotes();
      events.next(noteCreated(note(4, { body: 'Refund approved' })));
      expect(bodies()).toEqual(['note 1', 'note 2', 'Refund approved']);
      expect(store.notesFor(8).status).toBe('idle');
    });

    it('ignores note.created for conversations whose notes were never loaded', () => {
      events.next(noteCreated(note(4, { conversation_id: 8 })));
      expect(store.notesFor(8)).toEqual({ status: 'idle', notes: [], error: null });
      // Loading later asks the server, which has the note.
      store.loadNotes(8);
      http
        .expectOne('/api/conversations/8/notes')
        .flush({ notes: [note(4, { conversation_id: 8 })] });
      expect(bodies(8)).toEqual(['note 4']);
    });

    it('keeps a note.created that arrives while the notes load, whether the answer has it or not', () => {
      store.loadNotes(7);
      const req = http.expectOne(NOTES_URL);
      events.next(noteCreated(note(3)));
      events.next(noteCreated(note(4)));
      // The list was read after note 3 was stored, before note 4.
      req.flush({ notes: [note(1), note(2), note(3)] });
      expect(store.notesFor(7).notes.map((n) => n.id)).toEqual([1, 2, 3, 4]);
    });

    it('are forgotten on sign-out, with a load still running', () => {
      loadNotes();
      store.loadNotes(8);
      const pending = http.expectOne('/api/conversations/8/notes');
      auth.settle('signed-out');
      TestBed.tick();
      expect(pending.cancelled).toBe(true);
      expect(store.notesFor(7)).toEqual({ status: 'idle', notes: [], error: null });
      expect(store.notesFor(8).status).toBe('idle');
    });
  });

  it('forgets everything on sign-out', () => {
    openThread();
    auth.settle('signed-out');
    TestBed.tick();
    expect(store.conversations()).toEqual([]);
    expect(store.selectedThread()).toBeNull();
    expect(store.listStatus()).toBe('idle');
  });

  it('forgets the assignee filter and the members on sign-out', () => {
    store.setAssigneeFilter('me');
    http.expectOne('/api/conversations?status=open&limit=50&assignee=me').flush({
      conversations: [],
    });
    store.loadMembers();
    http
      .expectOne('/api/workspace/members')
      .flush([
        { user_id: 1, email: ADA.email, name: 'Ada', role: 'owner', joined_at: '2026-11-01' },
      ]);
    auth.settle('signed-out');
    TestBed.tick();
    expect(store.assigneeFilter()).toBe('all');
    expect(store.members()).toEqual([]);
  });
});

describe('windowStateOf', () => {
  const base = {
    conversationId: 7,
    status: 'ready' as const,
    error: null,
    nextBeforeId: null,
    loadingOlder: false,
    olderError: null,
    windowClosed: false,
    windowMessage: null,
  };
  const at = (ms: number) => new Date(NOW - ms).toISOString();
  const msg = (id: number, outbound: boolean, ago: number) => ({
    ...message(id, { is_outbound: outbound, timestamp: at(ago) }),
    client_key: `m${id}`,
  });

  it('is open within 24 h of the last customer message, whatever we sent since', () => {
    expect(
      windowStateOf({ ...base, messages: [msg(1, false, 3_600_000), msg(2, true, 60_000)] }, NOW),
    ).toBe('open');
  });

  it('is closed after 24 h, or when the server said so', () => {
    expect(windowStateOf({ ...base, messages: [msg(1, false, SERVICE_WINDOW_MS + 1)] }, NOW)).toBe(
      'closed',
    );
    expect(
      windowStateOf({ ...base, windowClosed: true, messages: [msg(1, false, 1000)] }, NOW),
    ).toBe('closed');
  });

  it('is unknown while older pages may hold the last customer message', () => {
    expect(windowStateOf({ ...base, nextBeforeId: 5, messages: [msg(9, true, 1000)] }, NOW)).toBe(
      'unknown',
    );
  });
});

describe('inbox helpers', () => {
  it('recognises the window_closed refusal', () => {
    expect(isWindowClosed(new ApiError(422, 'x', [], 'window_closed'))).toBe(true);
    expect(isWindowClosed(new ApiError(422, 'Outside the 24-hour window'))).toBe(true);
    expect(isWindowClosed(new ApiError(422, 'text must be a string'))).toBe(false);
  });

  it('merges notes by id, oldest first, the latest copy winning', () => {
    expect(
      mergeNotes([note(1), note(3)], [note(2), note(3, { body: 'edited' })]).map((n) => n.body),
    ).toEqual(['note 1', 'note 2', 'edited']);
  });

  it('derives a cursor when the server does not send one', () => {
    expect(nextCursor({ messages: page(500, 100) })).toBe(401);
    expect(nextCursor({ messages: page(500, 3) })).toBeNull();
    expect(nextCursor({ messages: page(500, 100), next_before_id: null })).toBeNull();
  });

  it('never moves a status backwards', () => {
    expect(laterStatus('read', 'delivered')).toBe('read');
    expect(laterStatus('sent', 'failed')).toBe('failed');
    expect(laterStatus('pending', 'sent')).toBe('sent');
  });

  it('matches the assignee filter as the server does', () => {
    const mine = conversation(4, { assignee: ADA });
    const bobs = conversation(5, { assignee: BOB });
    const nobodys = conversation(6, { assignee: null });
    const olderServer = conversation(7); // no assignee field at all
    expect([mine, bobs, nobodys, olderServer].map((c) => matchesAssignee(c, 'me', 1))).toEqual([
      true,
      false,
      false,
      false,
    ]);
    expect([mine, bobs, nobodys, olderServer].map((c) => matchesAssignee(c, 'none', 1))).toEqual([
      false,
      false,
      true,
      true,
    ]);
    expect([mine, bobs, nobodys].every((c) => matchesAssignee(c, 'all', 1))).toBe(true);
    // Signed out (no user yet): nothing is "mine".
    expect(matchesAssignee(mine, 'me', null)).toBe(false);
  });

  it('matches searches on name and number', () => {
    const c = conversation(4);
    expect(matchesQuery(c, 'customer')).toBe(true);
    expect(matchesQuery(c, '+3712')).toBe(true);
    expect(matchesQuery(c, 'bob')).toBe(false);
  });
});
