import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';

import { Message, MessagePage } from '../../core/http/messaging.model';
import { DailyStats, Stats, UnknownNumber } from './dashboard.model';

/** Typed calls behind the dashboard cards. */
@Injectable({ providedIn: 'root' })
export class DashboardApi {
  private readonly http = inject(HttpClient);

  stats(): Observable<Stats> {
    return this.http.get<Stats>('/api/stats');
  }

  daily(days: number): Observable<DailyStats> {
    return this.http.get<DailyStats>('/api/stats/daily', { params: { days } });
  }

  /** Newest first (SPEC). */
  latestMessages(limit: number): Observable<Message[]> {
    return this.http
      .get<MessagePage>('/api/messages', { params: { limit } })
      .pipe(map((page) => page.messages));
  }

  /** Numbers Meta sent webhooks for that no workspace owns (empty unless the deployment's admin). */
  unknownNumbers(): Observable<UnknownNumber[]> {
    return this.http
      .get<{ unknown_numbers: UnknownNumber[] }>('/api/webhook-events/unknown-numbers')
      .pipe(map((body) => body.unknown_numbers));
  }

  verifyWhatsapp(): Observable<unknown> {
    return this.http.get<unknown>('/api/whatsapp/verify');
  }
}
