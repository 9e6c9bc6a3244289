import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Subject } from 'rxjs';

import { EventsService } from '../../core/events/events-service';
import { LiveEvent } from '../../core/events/live-event.model';
import { errorInterceptor } from '../../core/http/error-interceptor';
import { Message } from '../../core/http/messaging.model';
import { AuthStore } from '../../core/auth/auth-store';
import { FakeAuthStore } from '../../core/auth/testing/fake-auth-store';
import { DashboardStore, addToDailyStats, whatsappHealthFrom } from './dashboard-store';
import { ApiError } from '../../core/http/api-error';

function message(overrides: Partial<Message> = {}): Message {
  return {
    id: 1,
    wa_message_id: 'wamid.1',
    contact_id: 5,
    type: 'text',
    content: 'Hello!',
    is_outbound: false,
    status: 'received',
    timestamp: '2026-11-24T10:00:00Z',
    conversation_id: 9,
    sent_by_user_id: null,
    ...overrides,
  };
}

describe(DashboardStore.name, () => {
  let http: HttpTestingController;
  let events: Subject<LiveEvent>;
  let store: DashboardStore;

  beforeEach(() => {
    events = new Subject<LiveEvent>();
    TestBed.configureTestingModule({
      providers: [
        DashboardStore,
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        { provide: AuthStore, useValue: new FakeAuthStore() },
        { provide: EventsService, useValue: { events$: events.asObservable() } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    store = TestBed.inject(DashboardStore);
    store.loadAll();
  });

  afterEach(() => http.verify());

  function flushAll(): void {
    http.expectOne('/api/stats').flush({
      total_messages: 10,
      total_contacts: 3,
      total_conversations: 4,
      inbound_messages: 6,
      outbound_messages: 4,
    });
    http.expectOne('/api/stats/daily?days=14').flush({
      days: [
        { date: '2026-11-23', inbound: 1, outbound: 0 },
        { date: '2026-11-24', inbound: 2, outbound: 1 },
      ],
    });
    http.expectOne('/api/messages?limit=10').flush({ messages: [message()] });
    http
      .expectOne('/api/messages?limit=100')
      .flush({ messages: [message(), message({ id: 2, is_outbound: true, status: 'failed' })] });
    http.expectOne('/api/whatsapp/verify').flush({ status: 'ok', data: { id: '1' } });
    http.expectOne('/api/webhook-events/unknown-numbers').flush({
      unknown_numbers: [
        {
          phone_number_id: '190000000000001',
          display_phone_number: null,
          events: 2,
          last_received_at: '2026-11-24T10:00:00Z',
        },
      ],
    });
  }

  it('loads every card and keeps only failed messages as notifications', () => {
    flushAll();
    expect(store.stats()).toMatchObject({ status: 'ready', data: { total_messages: 10 } });
    expect(store.recent()).toMatchObject({ status: 'ready', data: [{ id: 1 }] });
    expect(store.failed()).toMatchObject({ status: 'ready', data: [{ id: 2 }] });
    expect(store.whatsapp()).toEqual({ kind: 'ok' });
    expect(store.unknownNumbers()).toEqual([
      expect.objectContaining({ phone_number_id: '190000000000001', events: 2 }),
    ]);
  });

  it('puts a card whose route does not exist yet in the error state, alone', () => {
    http.expectOne('/api/stats').flush({}, { status: 200, statusText: 'OK' });
    http
      .expectOne('/api/stats/daily?days=14')
      .flush(
        { status_code: 404, message: 'Cannot GET /api/stats/daily' },
        { status: 404, statusText: 'Not Found' },
      );
    http.expectOne('/api/messages?limit=10').flush({ messages: [] });
    http.expectOne('/api/messages?limit=100').flush({ messages: [] });
    http
      .expectOne('/api/whatsapp/verify')
      .flush({ message: 'Cannot GET' }, { status: 404, statusText: 'Not Found' });
    http
      .expectOne('/api/webhook-events/unknown-numbers')
      .flush({ message: 'Cannot GET' }, { status: 404, statusText: 'Not Found' });
    expect(store.unknownNumbers()).toEqual([]);

    expect(store.daily()).toEqual({
      status: 'error',
      message: 'Not available on this server yet.',
    });
    expect(store.recent()).toEqual({ status: 'ready', data: [] });
    expect(store.whatsapp()).toEqual({ kind: 'unknown' });

    store.loadDaily();
    expect(store.daily()).toEqual({ status: 'loading' });
    http.expectOne('/api/stats/daily?days=14').flush({ days: [] });
    expect(store.daily()).toEqual({ status: 'ready', data: [] });
  });

  it('reports an unconfigured WhatsApp with the server message', () => {
    http.expectOne('/api/stats').flush({});
    http.expectOne('/api/stats/daily?days=14').flush({ days: [] });
    http.expectOne('/api/messages?limit=10').flush({ messages: [] });
    http.expectOne('/api/messages?limit=100').flush({ messages: [] });
    http
      .expectOne('/api/whatsapp/verify')
      .flush(
        { status_code: 503, message: 'WA_ACCESS_TOKEN is not set' },
        { status: 503, statusText: 'Service Unavailable' },
      );
    http.expectOne('/api/webhook-events/unknown-numbers').flush({ unknown_numbers: [] });
    expect(store.whatsapp()).toEqual({
      kind: 'not-configured',
      message: 'WA_ACCESS_TOKEN is not set',
    });
  });

  it('applies live events to the loaded cards', () => {
    flushAll();
    const incoming = message({ id: 3, timestamp: '2026-11-24T12:00:00Z' });
    events.next({
      type: 'message.created',
      id: '1',
      data: {
        message: incoming,
        conversation: {
          id: 9,
          contact_id: 5,
          started_at: '',
          last_message_at: null,
          is_active: true,
        },
      },
    });
    expect(store.stats()).toMatchObject({
      data: { total_messages: 11, inbound_messages: 7, outbound_messages: 4 },
    });
    expect(store.recent()).toMatchObject({ data: [{ id: 3 }, { id: 1 }] });
    expect(store.daily()).toMatchObject({ data: [{ inbound: 1 }, { inbound: 3, outbound: 1 }] });

    events.next({
      type: 'message.updated',
      id: '2',
      data: { message: message({ id: 3, status: 'failed', is_outbound: true }) },
    });
    expect(store.failed()).toMatchObject({ data: [{ id: 3 }, { id: 2 }] });
    events.next({
      type: 'message.updated',
      id: '3',
      data: { message: message({ id: 2, status: 'delivered', is_outbound: true }) },
    });
    expect(store.failed()).toMatchObject({ data: [{ id: 3 }] });
  });
});

describe('addToDailyStats', () => {
  const days = [
    { date: '2026-11-23', inbound: 1, outbound: 0 },
    { date: '2026-11-24', inbound: 0, outbound: 0 },
  ];

  it('counts a message in its UTC day', () => {
    expect(
      addToDailyStats(days, message({ is_outbound: true, timestamp: '2026-11-23T23:30:00Z' })),
    ).toEqual([
      { date: '2026-11-23', inbound: 1, outbound: 1 },
      { date: '2026-11-24', inbound: 0, outbound: 0 },
    ]);
  });

  it('slides the window when a new day starts', () => {
    expect(addToDailyStats(days, message({ timestamp: '2026-11-25T00:10:00Z' }))).toEqual([
      { date: '2026-11-24', inbound: 0, outbound: 0 },
      { date: '2026-11-25', inbound: 1, outbound: 0 },
    ]);
  });
});

describe('whatsappHealthFrom', () => {
  it('maps 503 and 502 to their meanings and ignores the rest', () => {
    expect(whatsappHealthFrom(new ApiError(503, 'not set'))).toEqual({
      kind: 'not-configured',
      message: 'not set',
    });
    expect(whatsappHealthFrom(new ApiError(502, 'bad token'))).toEqual({
      kind: 'rejected',
      message: 'bad token',
    });
    expect(whatsappHealthFrom(new ApiError(500, 'x'))).toEqual({ kind: 'unknown' });
  });
});
