import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { NEVER } from 'rxjs';

import { visibleText } from '../../../testing/dom-queries';
import { AuthStore } from '../../core/auth/auth-store';
import { FakeAuthStore } from '../../core/auth/testing/fake-auth-store';
import { EventsService } from '../../core/events/events-service';
import { errorInterceptor } from '../../core/http/error-interceptor';
import { Message } from '../../core/http/messaging.model';
import { Member } from '../team/team.model';
import { inboxRoutes } from './inbox.routes';
import { ANA, conversationOf } from './testing/conversation-fixture';

const REPLY: Message = {
  id: 101,
  wa_message_id: 'wamid.101',
  contact_id: ANA.id,
  type: 'text',
  content: 'On its way',
  is_outbound: true,
  status: 'delivered',
  timestamp: new Date(Date.now() - 60_000).toISOString(),
  conversation_id: 7,
  sent_by_user_id: 2,
};

const MEMBERS: Member[] = [
  { user_id: 1, email: 'ada@example.com', name: 'Ada', role: 'owner', joined_at: '2026-11-01' },
  { user_id: 2, email: 'bob@example.com', name: 'Bob', role: 'agent', joined_at: '2026-11-02' },
];

describe('inboxRoutes', () => {
  const scrollTo = Element.prototype.scrollTo;

  // jsdom has no scrolling; the thread's virtual scroll calls it after each render.
  beforeAll(() => {
    Element.prototype.scrollTo ??= () => undefined;
  });

  afterAll(() => {
    Element.prototype.scrollTo = scrollTo;
  });

  it("opening a thread's link directly loads the members, so replies name their sender", async () => {
    const auth = new FakeAuthStore();
    auth.settle('signed-in', {
      id: 1,
      email: 'ada@example.com',
      name: 'Ada',
      is_active: true,
      created_at: '2026-11-01T00:00:00Z',
    });
    TestBed.configureTestingModule({
      providers: [
        provideRouter(inboxRoutes, withComponentInputBinding()),
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        { provide: AuthStore, useValue: auth },
        { provide: EventsService, useValue: { events$: NEVER } },
      ],
    });
    const http = TestBed.inject(HttpTestingController);
    const harness = await RouterTestingHarness.create();

    await harness.navigateByUrl('/7');
    http.expectOne('/api/workspace/members').flush(MEMBERS);
    http
      .expectOne('/api/conversations?status=open&limit=50')
      .flush({ conversations: [conversationOf(7, ANA)], next_before_id: null });
    http
      .expectOne('/api/conversations/7/messages?limit=100')
      .flush({ messages: [REPLY], next_before_id: null });
    // The thread asks for its conversation too: the list had not answered yet.
    http.expectOne({ method: 'GET', url: '/api/conversations/7' }).flush(conversationOf(7, ANA));
    http.expectOne({ method: 'PATCH', url: '/api/conversations/7' }).flush(conversationOf(7, ANA));
    await harness.fixture.whenStable();
    // The composer's template picker, once the thread is ready.
    http.expectOne('/api/whatsapp/templates').flush({ data: [] });

    const time = harness.routeNativeElement!.querySelector('nl-message-bubble time');
    expect(visibleText(time!.parentElement!)).toMatch(/^Bob · .+ ✓✓$/);
    http.verify();
  });
});
