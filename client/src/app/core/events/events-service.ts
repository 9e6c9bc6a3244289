import {
  DestroyRef,
  Injectable,
  InjectionToken,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { Observable, Subject } from 'rxjs';

import { AuthStore } from '../auth/auth-store';
import { TokenStorage } from '../auth/token-storage';
import { LIVE_EVENT_TYPES, LiveEvent, LiveEventType, parseLiveEvent } from './live-event.model';

/** The part of the browser's EventSource this service uses; tests supply a fake. */
export interface EventSourceLike {
  onopen: ((event: Event) => void) | null;
  onerror: ((event: Event) => void) | null;
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
}

export const EVENT_SOURCE_FACTORY = new InjectionToken<(url: string) => EventSourceLike>(
  'EVENT_SOURCE_FACTORY',
  {
    providedIn: 'root',
    factory: () => (url: string) => new EventSource(url),
  },
);

export type EventStreamState = 'idle' | 'connecting' | 'open' | 'retrying';

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 60_000;

/**
 * The live events stream (`GET /api/events`) while an operator is signed in.
 *
 * EventSource cannot send headers, so the token travels as `?access_token=` (contract).
 * After any error the source is closed and reopened with exponential backoff and jitter,
 * resuming from the last seen id with `?last_event_id=`; a server that does not serve the
 * stream yet (404) is retried quietly the same way, up to once a minute.
 */
@Injectable({ providedIn: 'root' })
export class EventsService {
  private readonly auth = inject(AuthStore);
  private readonly createSource = inject(EVENT_SOURCE_FACTORY);
  private readonly storage = inject(TokenStorage);

  private readonly eventsSubject = new Subject<LiveEvent>();
  private readonly stateSignal = signal<EventStreamState>('idle');
  private readonly lastEventSignal = signal<LiveEvent | null>(null);

  /** Every event, in order; stores subscribe with takeUntilDestroyed. */
  readonly events$: Observable<LiveEvent> = this.eventsSubject.asObservable();
  readonly state = this.stateSignal.asReadonly();
  readonly lastEvent = this.lastEventSignal.asReadonly();

  private source: EventSourceLike | null = null;
  private token: string | null = null;
  private lastEventId: string | null = null;
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    effect(() => {
      const token = this.auth.token();
      untracked(() => this.follow(token));
    });
    inject(DestroyRef).onDestroy(() => {
      this.disconnect();
      this.eventsSubject.complete();
    });
  }

  /** Opens, switches or closes the stream as the session's token changes. */
  private follow(token: string | null): void {
    if (token === this.token) {
      return;
    }
    this.disconnect();
    this.token = token;
    this.failures = 0;
    if (token === null) {
      // A different operator may sign in next; never replay the previous one's events.
      this.lastEventId = null;
      return;
    }
    this.connect();
  }

  private connect(): void {
    if (this.token === null) {
      return;
    }
    const params = new URLSearchParams({ access_token: this.token });
    if (this.lastEventId !== null) {
      params.set('last_event_id', this.lastEventId);
    }
    const workspace = this.storage.readWorkspace();
    if (workspace !== null) {
      params.set('workspace_id', workspace);
    }
    const source = this.createSource(`/api/events?${params.toString()}`);
    this.source = source;
    this.stateSignal.set('connecting');
    source.onopen = () => {
      if (this.source === source) {
        this.failures = 0;
        this.stateSignal.set('open');
      }
    };
    source.onerror = () => {
      if (this.source === source) {
        this.retryLater();
      }
    };
    for (const type of LIVE_EVENT_TYPES) {
      source.addEventListener(type, (event) => {
        if (this.source === source) {
          this.receive(type, event);
        }
      });
    }
  }

  private receive(type: LiveEventType, event: MessageEvent<string>): void {
    const id = event.lastEventId;
    if (id) {
      this.lastEventId = id;
    }
    const parsed = parseLiveEvent(type, id, event.data);
    if (parsed) {
      this.lastEventSignal.set(parsed);
      this.eventsSubject.next(parsed);
    }
  }

  /**
   * Closes the failed source (the browser would otherwise retry on its own schedule, or
   * not at all after a 404) and tries again later.
   */
  private retryLater(): void {
    this.source?.close();
    this.source = null;
    this.stateSignal.set('retrying');
    const base = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** this.failures);
    this.failures += 1;
    // Jitter spreads the reconnects of many tabs after a server restart.
    const delay = Math.round(base * (0.75 + Math.random() * 0.5));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect();
    }, delay);
  }

  private disconnect(): void {
    if (this.retryTimer !== undefined) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
    }
    this.source?.close();
    this.source = null;
    this.stateSignal.set('idle');
  }
}
