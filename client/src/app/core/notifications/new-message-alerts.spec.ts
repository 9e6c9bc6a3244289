import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Title } from '@angular/platform-browser';
import { Router, provideRouter } from '@angular/router';
import { Subject } from 'rxjs';

import { AuthStore } from '../auth/auth-store';
import { FakeAuthStore } from '../auth/testing/fake-auth-store';
import { User } from '../auth/user.model';
import { EventsService } from '../events/events-service';
import { LiveEvent } from '../events/live-event.model';
import { Contact, Conversation, ConversationAssignee, Message } from '../http/messaging.model';
import { NOTIFICATIONS_KEY, NOTIFICATION_API } from './desktop-notifications';
import { NewMessageAlerts } from './new-message-alerts';
import {
  FakeNotificationApi,
  fakeNotificationApi,
  restoreVisibility,
  setVisibility,
} from './testing/fake-notification-api';

@Component({ template: '' })
class Blank {}

const ADA: User = {
  id: 1,
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  is_active: true,
  created_at: '2026-11-01T00:00:00Z',
};
const ME: ConversationAssignee = { id: ADA.id, name: ADA.name, email: ADA.email };
const BOB: ConversationAssignee = { id: 2, name: 'Bob van Dijk', email: 'bob@example.com' };

/** Saved under a name of her own; WhatsApp knows her by her profile name. */
const ANA: Contact = {
  id: 70,
  wa_id: '37125550070',
  name: 'Ana (VIP)',
  profile_name: 'Ana',
  created_at: '2026-11-01T00:00:00Z',
};

function conversation(id: number, assignee: ConversationAssignee | null = null): Conversation {
  return {
    id,
    contact_id: ANA.id,
    started_at: '2026-11-01T00:00:00Z',
    last_message_at: '2026-11-20T10:00:00Z',
    is_active: true,
    unread_count: 1,
    contact: ANA,
    assignee,
  };
}

let nextId = 100;

function created(
  conv: Conversation,
  overrides: Partial<Message> = {},
): Extract<LiveEvent, { type: 'message.created' }> {
  const id = nextId++;
  const message: Message = {
    id,
    wa_message_id: `wamid.${id}`,
    contact_id: ANA.id,
    conversation_id: conv.id,
    type: 'text',
    content: 'Where is my order?',
    is_outbound: false,
    status: 'received',
    timestamp: '2026-11-20T10:00:00Z',
    sent_by_user_id: null,
    ...overrides,
  };
  return { type: 'message.created', id: String(id), data: { message, conversation: conv } };
}

describe(NewMessageAlerts.name, () => {
  let auth: FakeAuthStore;
  let events: Subject<LiveEvent>;
  let fake: FakeNotificationApi;
  let router: Router;
  let title: Title;

  async function start(
    options: { permission?: NotificationPermission; choice?: 'on' | 'off'; url?: string } = {},
  ): Promise<void> {
    if (options.choice) {
      localStorage.setItem(NOTIFICATIONS_KEY, options.choice);
    }
    auth = new FakeAuthStore();
    auth.settle('signed-in', ADA);
    events = new Subject<LiveEvent>();
    fake = fakeNotificationApi(options.permission ?? 'granted');
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path: 'dashboard', title: 'Dashboard · No Lose', component: Blank },
          { path: 'inbox/:conversationId', title: 'Conversation · No Lose', component: Blank },
        ]),
        { provide: AuthStore, useValue: auth },
        { provide: EventsService, useValue: { events$: events.asObservable() } },
        { provide: NOTIFICATION_API, useValue: fake.api },
      ],
    });
    router = TestBed.inject(Router);
    title = TestBed.inject(Title);
    TestBed.inject(NewMessageAlerts);
    await router.navigateByUrl(options.url ?? '/dashboard');
    TestBed.tick();
  }

  beforeEach(() => {
    localStorage.clear();
    setVisibility('hidden');
  });

  afterEach(() => {
    localStorage.clear();
    restoreVisibility();
  });

  describe('desktop notifications', () => {
    it("shows the contact's name and the list's preview for an unassigned conversation", async () => {
      await start({ choice: 'on' });
      events.next(created(conversation(3)));
      expect(fake.shown.map((n) => [n.title, n.options?.body, n.options?.tag])).toEqual([
        ['Ana (VIP)', 'Where is my order?', 'nolose-conversation-3'],
      ]);
    });

    it('describes media the way the conversation list does', async () => {
      await start({ choice: 'on' });
      events.next(created(conversation(3), { type: 'image', content: null }));
      expect(fake.shown[0].options?.body).toBe('📷 Photo');
    });

    it('shows one for a conversation assigned to me', async () => {
      await start({ choice: 'on' });
      events.next(created(conversation(4, ME)));
      expect(fake.shown.map((n) => n.options?.tag)).toEqual(['nolose-conversation-4']);
    });

    it("stays quiet for a teammate's conversation", async () => {
      await start({ choice: 'on' });
      events.next(created(conversation(5, BOB)));
      expect(fake.shown).toHaveLength(0);
    });

    it('stays quiet for our own outbound messages', async () => {
      await start({ choice: 'on' });
      events.next(created(conversation(3), { is_outbound: true, status: 'sent' }));
      expect(fake.shown).toHaveLength(0);
    });

    it('stays quiet when turned off', async () => {
      await start({ choice: 'off' });
      events.next(created(conversation(3)));
      expect(fake.shown).toHaveLength(0);
    });

    it('stays quiet while the browser has not been allowed to show them', async () => {
      await start({ permission: 'default' });
      events.next(created(conversation(3)));
      expect(fake.shown).toHaveLength(0);
    });

    it('stays quiet when the browser blocks them', async () => {
      await start({ permission: 'denied', choice: 'on' });
      events.next(created(conversation(3)));
      expect(fake.shown).toHaveLength(0);
    });

    it('stays quiet for the conversation on screen in a visible tab', async () => {
      await start({ choice: 'on', url: '/inbox/3' });
      setVisibility('visible');
      events.next(created(conversation(3)));
      expect(fake.shown).toHaveLength(0);
    });

    it('shows one for another conversation while the operator reads a thread', async () => {
      await start({ choice: 'on', url: '/inbox/3' });
      setVisibility('visible');
      events.next(created(conversation(31)));
      expect(fake.shown.map((n) => n.options?.tag)).toEqual(['nolose-conversation-31']);
    });

    it('shows one for the open conversation when the tab is hidden', async () => {
      await start({ choice: 'on', url: '/inbox/3' });
      events.next(created(conversation(3)));
      expect(fake.shown).toHaveLength(1);
    });

    it('shows nothing once signed out', async () => {
      await start({ choice: 'on' });
      auth.settle('signed-out');
      events.next(created(conversation(3)));
      expect(fake.shown).toHaveLength(0);
    });

    it('a click focuses the window, opens the conversation and closes the notification', async () => {
      await start({ choice: 'on' });
      const focus = vi.spyOn(window, 'focus').mockImplementation(() => undefined);
      events.next(created(conversation(3)));
      fake.shown[0].onclick?.(new Event('click'));
      await vi.waitFor(() => expect(router.url).toBe('/inbox/3'));
      expect(focus).toHaveBeenCalled();
      expect(fake.shown[0].closed).toBe(true);
      focus.mockRestore();
    });
  });

  describe('tab title', () => {
    it('counts relevant inbound messages while hidden and resets when shown', async () => {
      await start({ choice: 'off' });
      expect(title.getTitle()).toBe('Dashboard · No Lose');

      events.next(created(conversation(3)));
      events.next(created(conversation(4, ME)));
      events.next(created(conversation(5, BOB)));
      events.next(created(conversation(3), { is_outbound: true }));
      expect(title.getTitle()).toBe('(2) Dashboard · No Lose');

      setVisibility('visible');
      expect(title.getTitle()).toBe('Dashboard · No Lose');
      events.next(created(conversation(3)));
      expect(title.getTitle()).toBe('Dashboard · No Lose');

      setVisibility('hidden');
      events.next(created(conversation(3)));
      expect(title.getTitle()).toBe('(1) Dashboard · No Lose');
    });

    it("keeps the page's own title when it changes while hidden", async () => {
      await start();
      events.next(created(conversation(3)));
      expect(title.getTitle()).toBe('(1) Dashboard · No Lose');
      await router.navigateByUrl('/inbox/9');
      events.next(created(conversation(3)));
      expect(title.getTitle()).toBe('(2) Conversation · No Lose');
      setVisibility('visible');
      expect(title.getTitle()).toBe('Conversation · No Lose');
    });

    it('resets on sign-out', async () => {
      await start();
      events.next(created(conversation(3)));
      auth.settle('signed-out');
      TestBed.tick();
      expect(title.getTitle()).toBe('Dashboard · No Lose');
    });
  });
});
