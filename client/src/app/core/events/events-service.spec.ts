import { TestBed } from '@angular/core/testing';

import { AuthStore } from '../auth/auth-store';
import { FakeAuthStore } from '../auth/testing/fake-auth-store';
import { EVENT_SOURCE_FACTORY, EventSourceLike, EventsService } from './events-service';
import { LiveEvent } from './live-event.model';

class FakeEventSource implements EventSourceLike {
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  private readonly listeners = new Map<string, ((event: MessageEvent<string>) => void)[]>();

  constructor(readonly url: string) {}

  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close(): void {
    this.closed = true;
  }

  emit(type: string, data: unknown, id: string): void {
    const event = new MessageEvent<string>(type, { data: JSON.stringify(data), lastEventId: id });
    this.listeners.get(type)?.forEach((l) => l(event));
  }
}

describe(EventsService.name, () => {
  let auth: FakeAuthStore;
  let sources: FakeEventSource[];
  let service: EventsService;
  let received: LiveEvent[];

  beforeEach(() => {
    vi.useFakeTimers();
    auth = new FakeAuthStore();
    sources = [];
    TestBed.configureTestingModule({
      providers: [
        { provide: AuthStore, useValue: auth },
        {
          provide: EVENT_SOURCE_FACTORY,
          useValue: (url: string) => {
            const source = new FakeEventSource(url);
            sources.push(source);
            return source;
          },
        },
      ],
    });
    service = TestBed.inject(EventsService);
    received = [];
    service.events$.subscribe((e) => received.push(e));
  });

  afterEach(() => vi.useRealTimers());

  function signIn(token = 'tok'): void {
    auth.token.set(token);
    TestBed.tick();
  }

  const message = { id: 7, conversation_id: 3, status: 'sent' };

  it('opens the stream with the token only while signed in', () => {
    TestBed.tick();
    expect(sources).toHaveLength(0);
    signIn('a.b.c');
    expect(sources).toHaveLength(1);
    expect(sources[0].url).toBe('/api/events?access_token=a.b.c');
    expect(service.state()).toBe('connecting');
    sources[0].onopen?.(new Event('open'));
    expect(service.state()).toBe('open');

    auth.token.set(null);
    TestBed.tick();
    expect(sources[0].closed).toBe(true);
    expect(service.state()).toBe('idle');
  });

  it('publishes typed events and ignores malformed ones', () => {
    signIn();
    sources[0].emit('message.updated', { message }, '41');
    sources[0].emit('message.updated', { nope: true }, '42');
    expect(received).toEqual([{ type: 'message.updated', id: '41', data: { message } }]);
    expect(service.lastEvent()).toEqual(received[0]);
  });

  it('listens for note.created on the stream', () => {
    signIn();
    const note = {
      id: 12,
      conversation_id: 3,
      author: { id: 2, name: 'Bob' },
      body: 'Waiting for Maria',
      created_at: '2026-11-24T11:58:00Z',
    };
    sources[0].emit('note.created', { note }, '43');
    expect(received).toEqual([{ type: 'note.created', id: '43', data: { note } }]);
  });

  it('reconnects with growing delays and resumes after the last event id', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5); // no jitter
    signIn();
    sources[0].emit('message.updated', { message }, '41');

    sources[0].onerror?.(new Event('error'));
    expect(sources[0].closed).toBe(true);
    expect(service.state()).toBe('retrying');
    vi.advanceTimersByTime(999);
    expect(sources).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sources).toHaveLength(2);
    expect(sources[1].url).toBe('/api/events?access_token=tok&last_event_id=41');

    // Still failing (e.g. 404 until the server has the route): 2 s, then 4 s.
    sources[1].onerror?.(new Event('error'));
    vi.advanceTimersByTime(1_999);
    expect(sources).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sources).toHaveLength(3);
    sources[2].onerror?.(new Event('error'));
    vi.advanceTimersByTime(4_000);
    expect(sources).toHaveLength(4);

    // A successful open resets the backoff.
    sources[3].onopen?.(new Event('open'));
    sources[3].onerror?.(new Event('error'));
    vi.advanceTimersByTime(1_000);
    expect(sources).toHaveLength(5);
  });

  it('caps the delay at one minute', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    signIn();
    for (let i = 0; i < 10; i++) {
      sources[sources.length - 1].onerror?.(new Event('error'));
      vi.advanceTimersByTime(60_000);
    }
    expect(sources).toHaveLength(11);
  });

  it('stops retrying on sign-out and forgets the last event id', () => {
    signIn();
    sources[0].emit('message.updated', { message }, '41');
    sources[0].onerror?.(new Event('error'));
    auth.token.set(null);
    TestBed.tick();
    vi.advanceTimersByTime(120_000);
    expect(sources).toHaveLength(1);

    signIn('other');
    expect(sources[1].url).toBe('/api/events?access_token=other');
  });
});
