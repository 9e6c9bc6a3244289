import { DestroyRef, Injectable, WritableSignal, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Observable } from 'rxjs';

import { EventsService } from '../../core/events/events-service';
import { LiveEvent } from '../../core/events/live-event.model';
import { ApiError } from '../../core/http/api-error';
import { Message } from '../../core/http/messaging.model';
import { DashboardApi } from './dashboard-api';
import { CardState, DailyStat, Stats, UnknownNumber, WhatsappHealth } from './dashboard.model';

export const RECENT_LIMIT = 10;
export const CHART_DAYS = 14;
/** How many recent messages are scanned for failed deliveries. */
export const FAILED_SCAN_LIMIT = 100;

/**
 * State of the dashboard cards. Provided by the page, so it lives as long as the page:
 * each card loads on its own, can be retried on its own, and follows live events.
 * A route the server does not have yet (404) only puts its own card in the error state.
 */
@Injectable()
export class DashboardStore {
  private readonly api = inject(DashboardApi);
  private readonly destroyRef = inject(DestroyRef);

  private readonly statsState = signal<CardState<Stats>>({ status: 'loading' });
  private readonly dailyState = signal<CardState<DailyStat[]>>({ status: 'loading' });
  private readonly recentState = signal<CardState<Message[]>>({ status: 'loading' });
  private readonly failedState = signal<CardState<Message[]>>({ status: 'loading' });
  private readonly whatsappState = signal<WhatsappHealth>({ kind: 'checking' });
  private readonly unknownNumbersState = signal<UnknownNumber[]>([]);

  readonly stats = this.statsState.asReadonly();
  readonly daily = this.dailyState.asReadonly();
  readonly recent = this.recentState.asReadonly();
  readonly failed = this.failedState.asReadonly();
  readonly whatsapp = this.whatsappState.asReadonly();
  readonly unknownNumbers = this.unknownNumbersState.asReadonly();

  constructor() {
    inject(EventsService)
      .events$.pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe((event) => this.apply(event));
  }

  loadAll(): void {
    this.loadStats();
    this.loadDaily();
    this.loadRecent();
    this.loadNotifications();
  }

  loadStats(): void {
    this.load(this.api.stats(), this.statsState, (stats) => stats);
  }

  loadDaily(): void {
    this.load(this.api.daily(CHART_DAYS), this.dailyState, (body) => body.days ?? []);
  }

  loadRecent(): void {
    this.load(this.api.latestMessages(RECENT_LIMIT), this.recentState, (messages) =>
      messages.slice(0, RECENT_LIMIT),
    );
  }

  loadNotifications(): void {
    this.load(this.api.latestMessages(FAILED_SCAN_LIMIT), this.failedState, (messages) =>
      messages.filter((m) => m.status === 'failed'),
    );
    this.checkWhatsapp();
    // A notice on top of the card, never its error state: failing quietly keeps the rest usable.
    this.api
      .unknownNumbers()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({ next: (list) => this.unknownNumbersState.set(list), error: () => undefined });
  }

  /** Applies one live event to whichever cards are loaded. */
  apply(event: LiveEvent): void {
    switch (event.type) {
      case 'message.created':
        this.countMessage(event.data.message);
        this.upsertRecent(event.data.message);
        this.trackFailure(event.data.message);
        break;
      case 'message.updated':
        this.upsertRecent(event.data.message, false);
        this.trackFailure(event.data.message);
        break;
      case 'conversation.updated':
      case 'note.created':
        // Nothing on the dashboard shows a single conversation or its notes.
        break;
    }
  }

  private checkWhatsapp(): void {
    this.whatsappState.set({ kind: 'checking' });
    this.api
      .verifyWhatsapp()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => this.whatsappState.set({ kind: 'ok' }),
        error: (error: unknown) => this.whatsappState.set(whatsappHealthFrom(ApiError.from(error))),
      });
  }

  private load<R, T>(
    source: Observable<R>,
    target: WritableSignal<CardState<T>>,
    select: (response: R) => T,
  ): void {
    target.set({ status: 'loading' });
    source.pipe(takeUntilDestroyed(this.destroyRef)).subscribe({
      next: (response) => target.set({ status: 'ready', data: select(response) }),
      error: (error: unknown) =>
        target.set({ status: 'error', message: cardErrorMessage(ApiError.from(error)) }),
    });
  }

  private countMessage(message: Message): void {
    this.statsState.update((state) => {
      if (state.status !== 'ready') {
        return state;
      }
      const s = state.data;
      return {
        status: 'ready',
        data: {
          ...s,
          total_messages: s.total_messages + 1,
          inbound_messages: s.inbound_messages + (message.is_outbound ? 0 : 1),
          outbound_messages: s.outbound_messages + (message.is_outbound ? 1 : 0),
        },
      };
    });
    this.dailyState.update((state) =>
      state.status === 'ready'
        ? { status: 'ready', data: addToDailyStats(state.data, message) }
        : state,
    );
  }

  private upsertRecent(message: Message, insert = true): void {
    this.recentState.update((state) => {
      if (state.status !== 'ready') {
        return state;
      }
      const index = state.data.findIndex((m) => m.id === message.id);
      if (index >= 0) {
        const data = [...state.data];
        data[index] = { ...data[index], ...message };
        return { status: 'ready', data };
      }
      return insert
        ? { status: 'ready', data: [message, ...state.data].slice(0, RECENT_LIMIT) }
        : state;
    });
  }

  private trackFailure(message: Message): void {
    this.failedState.update((state) => {
      if (state.status !== 'ready') {
        return state;
      }
      const others = state.data.filter((m) => m.id !== message.id);
      return {
        status: 'ready',
        data: message.status === 'failed' ? [message, ...others] : others,
      };
    });
  }
}

/**
 * Adds a new message to the daily series (UTC days, oldest first). A message dated after
 * the last day starts a new day and the window slides.
 */
export function addToDailyStats(days: readonly DailyStat[], message: Message): DailyStat[] {
  const time = Date.parse(message.timestamp);
  if (Number.isNaN(time) || days.length === 0) {
    return [...days];
  }
  const date = new Date(time).toISOString().slice(0, 10);
  const bump = (day: DailyStat): DailyStat => ({
    ...day,
    inbound: day.inbound + (message.is_outbound ? 0 : 1),
    outbound: day.outbound + (message.is_outbound ? 1 : 0),
  });
  const index = days.findIndex((d) => d.date === date);
  if (index >= 0) {
    return days.map((d, i) => (i === index ? bump(d) : d));
  }
  const last = days[days.length - 1];
  if (last && date > last.date) {
    return [...days.slice(1), bump({ date, inbound: 0, outbound: 0 })];
  }
  return [...days];
}

/** 503 and 502 from `/whatsapp/verify` have fixed meanings (server contract). */
export function whatsappHealthFrom(error: ApiError): WhatsappHealth {
  switch (error.status) {
    case 503:
      return { kind: 'not-configured', message: error.message };
    case 502:
      return { kind: 'rejected', message: error.message };
    default:
      return { kind: 'unknown' };
  }
}

function cardErrorMessage(error: ApiError): string {
  return error.status === 404 ? 'Not available on this server yet.' : error.message;
}
