import { DOCUMENT } from '@angular/common';
import { DestroyRef, Injectable, effect, inject, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Title } from '@angular/platform-browser';
import { Router } from '@angular/router';

import { AuthStore } from '../auth/auth-store';
import { EventsService } from '../events/events-service';
import { LiveEvent } from '../events/live-event.model';
import { Conversation, contactDisplayName, messagePreview } from '../http/messaging.model';
import { DesktopNotifications } from './desktop-notifications';

type MessageCreated = Extract<LiveEvent, { type: 'message.created' }>;

/**
 * Lets an operator notice a customer writing while they look elsewhere: a desktop
 * notification (when turned on) and an unread count in front of the tab's title while the
 * tab is hidden. Only for conversations that are the operator's or nobody's: a team of ten
 * must not all be pinged for one teammate's customer. Started once for the app
 * (app.config.ts); the events stream only runs while someone is signed in.
 */
@Injectable({ providedIn: 'root' })
export class NewMessageAlerts {
  private readonly auth = inject(AuthStore);
  private readonly notifications = inject(DesktopNotifications);
  private readonly router = inject(Router);
  private readonly title = inject(Title);
  private readonly document = inject(DOCUMENT);

  /** Relevant inbound messages since the tab was hidden. */
  private unseen = 0;
  /** The title this service last wrote, and the page's own title it was built from. */
  private written: string | null = null;
  private pageTitle = '';

  constructor() {
    inject(EventsService)
      .events$.pipe(takeUntilDestroyed())
      .subscribe((event) => {
        if (event.type === 'message.created') {
          this.receive(event);
        }
      });
    const onVisibility = (): void => {
      if (!this.hidden()) {
        this.resetCount();
      }
    };
    this.document.addEventListener('visibilitychange', onVisibility);
    inject(DestroyRef).onDestroy(() =>
      this.document.removeEventListener('visibilitychange', onVisibility),
    );
    effect(() => {
      if (this.auth.status() === 'signed-out') {
        untracked(() => this.resetCount());
      }
    });
  }

  private receive({ data: { message, conversation } }: MessageCreated): void {
    if (message.is_outbound || !this.concernsMe(conversation)) {
      return;
    }
    const hidden = this.hidden();
    if (hidden) {
      this.unseen += 1;
      this.showCount();
    }
    if (hidden || this.openConversationId() !== conversation.id) {
      this.notifications.show({
        title: contactDisplayName(conversation.contact),
        // The conversation list's preview of an inbound last message.
        body: messagePreview(message),
        tag: `nolose-conversation-${conversation.id}`,
        onClick: () => this.open(conversation.id),
      });
    }
  }

  /** Assigned to the signed-in operator, or to nobody yet. */
  private concernsMe(conversation: Conversation): boolean {
    const user = this.auth.user();
    if (user === null) {
      return false;
    }
    const assignee = conversation.assignee ?? null;
    return assignee === null || assignee.id === user.id;
  }

  private hidden(): boolean {
    return this.document.visibilityState !== 'visible';
  }

  /** The conversation on screen (`/inbox/:conversationId`), if any. */
  private openConversationId(): number | null {
    const match = /^\/inbox\/(\d+)(?:[/?#]|$)/.exec(this.router.url);
    return match ? Number(match[1]) : null;
  }

  private open(conversationId: number): void {
    this.document.defaultView?.focus();
    void this.router.navigateByUrl(`/inbox/${conversationId}`);
  }

  private showCount(): void {
    const current = this.title.getTitle();
    // A navigation since the last count set the page's own title; build on that one.
    if (current !== this.written) {
      this.pageTitle = current;
    }
    this.written = `(${this.unseen}) ${this.pageTitle}`;
    this.title.setTitle(this.written);
  }

  private resetCount(): void {
    this.unseen = 0;
    if (this.written !== null && this.title.getTitle() === this.written) {
      this.title.setTitle(this.pageTitle);
    }
    this.written = null;
  }
}
