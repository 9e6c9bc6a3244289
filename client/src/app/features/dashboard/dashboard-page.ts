import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink } from '@angular/router';

import { AuthStore } from '../../core/auth/auth-store';
import { Message, messagePreview } from '../../core/http/messaging.model';
import { Clock } from '../../core/time/clock';
import { formatRelativeTime } from '../../core/time/relative-time';
import { ErrorState } from '../../shared/ui/error-state';
import { Spinner } from '../../shared/ui/spinner';
import { DailyChart } from './daily-chart';
import { DashboardStore } from './dashboard-store';

/** `/dashboard` (SPEC): greeting and the Stats, Recent Activity and Notifications cards. */
@Component({
  selector: 'nl-dashboard-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, DecimalPipe, DailyChart, ErrorState, Spinner],
  providers: [DashboardStore],
  templateUrl: './dashboard-page.html',
  host: { class: 'block' },
})
export class DashboardPage {
  protected readonly store = inject(DashboardStore);
  private readonly clock = inject(Clock);

  protected readonly user = inject(AuthStore).user;

  protected readonly figures = computed(() => {
    const state = this.store.stats();
    if (state.status !== 'ready') {
      return [];
    }
    const s = state.data;
    return [
      { label: 'Total messages', value: s.total_messages },
      { label: 'Contacts', value: s.total_contacts },
      { label: 'Conversations', value: s.total_conversations },
      { label: 'Inbound', value: s.inbound_messages },
      { label: 'Outbound', value: s.outbound_messages },
    ];
  });

  protected readonly chartEmpty = computed(() => {
    const state = this.store.daily();
    return state.status === 'ready' && state.data.every((d) => d.inbound === 0 && d.outbound === 0);
  });

  constructor() {
    this.store.loadAll();
  }

  protected preview(message: Message): string {
    return messagePreview(message) || '(no text)';
  }

  protected when(message: Message): string {
    return formatRelativeTime(message.timestamp, this.clock.now());
  }

  protected conversationLink(message: Message): string {
    return message.conversation_id ? `/inbox/${message.conversation_id}` : '/inbox';
  }
}
