import { ChangeDetectionStrategy, Component, DestroyRef, inject } from '@angular/core';
import { RouterLink } from '@angular/router';

import {
  contactDisplayName,
  Conversation,
  formatPhone,
  messagePreview,
  nameInitials,
  numberLabel,
} from '../../core/http/messaging.model';
import { DesktopNotifications } from '../../core/notifications/desktop-notifications';
import { Clock } from '../../core/time/clock';
import { formatRelativeTime } from '../../core/time/relative-time';
import { ErrorState } from '../../shared/ui/error-state';
import { Segment, SegmentedControl } from '../../shared/ui/segmented-control';
import { Spinner } from '../../shared/ui/spinner';
import { InboxStore } from './inbox-store';
import { AssigneeFilter, ConversationFilter } from './inbox.model';

const SEARCH_DELAY_MS = 300;

/**
 * Conversations with search, open/closed and assignee filters, previews, unread and
 * assignee badges; above them, the offer of desktop notifications.
 */
@Component({
  selector: 'nl-conversation-list',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, Spinner, ErrorState, SegmentedControl],
  templateUrl: './conversation-list.html',
  host: { class: 'flex h-full min-h-0 flex-col' },
})
export class ConversationList {
  protected readonly store = inject(InboxStore);
  protected readonly notifications = inject(DesktopNotifications);
  private readonly clock = inject(Clock);

  protected readonly filters: readonly Segment<ConversationFilter>[] = [
    { value: 'open', label: 'Open' },
    { value: 'closed', label: 'Closed' },
    { value: 'all', label: 'All' },
  ];

  protected readonly assigneeFilters: readonly Segment<AssigneeFilter>[] = [
    { value: 'all', label: 'Everyone' },
    { value: 'me', label: 'Mine' },
    { value: 'none', label: 'Unassigned' },
  ];

  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    inject(DestroyRef).onDestroy(() => clearTimeout(this.searchTimer));
  }

  /** Waits for a pause in typing before asking the server. */
  protected search(value: string): void {
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.store.setQuery(value), SEARCH_DELAY_MS);
  }

  protected readonly numberLabel = numberLabel;

  protected turnOnNotifications(): void {
    void this.notifications.turnOn();
  }

  protected name(conversation: Conversation): string {
    return contactDisplayName(conversation.contact);
  }

  protected phone(conversation: Conversation): string {
    return conversation.contact ? formatPhone(conversation.contact.wa_id) : '';
  }

  protected initials(conversation: Conversation): string {
    return nameInitials(this.name(conversation));
  }

  protected assigneeInitials(conversation: Conversation): string {
    return conversation.assignee ? nameInitials(conversation.assignee.name) : '';
  }

  protected preview(conversation: Conversation): string {
    const last = conversation.last_message;
    if (!last) {
      return 'No messages yet';
    }
    // "You:" for the operator's own replies (and older ones without a sender), else who wrote.
    const sender = last.is_outbound ? `${this.store.senderName(last) ?? 'You'}: ` : '';
    return `${sender}${messagePreview(last)}`;
  }

  protected when(conversation: Conversation): string {
    return formatRelativeTime(
      conversation.last_message_at ?? conversation.last_message?.timestamp,
      this.clock.now(),
    );
  }
}
