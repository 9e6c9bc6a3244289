import { DOCUMENT } from '@angular/common';
import { DestroyRef, Injectable, InjectionToken, computed, inject, signal } from '@angular/core';

/** The operator's choice, saved per browser: `on`, `off` (also what "Not now" saves). */
export const NOTIFICATIONS_KEY = 'nolose.notifications';

export type NotificationsChoice = 'on' | 'off';

/** A shown notification, as far as this app uses it; tests supply a fake. */
export interface NotificationLike {
  onclick: ((event: Event) => void) | null;
  close(): void;
}

/** The part of the browser's `Notification` constructor this app uses. */
export interface NotificationApi {
  readonly permission: NotificationPermission;
  requestPermission(): Promise<NotificationPermission>;
  new (title: string, options?: NotificationOptions): NotificationLike;
}

/** The browser's Notification API, or null where there is none (iOS Safari outside a home-screen app). */
export const NOTIFICATION_API = new InjectionToken<NotificationApi | null>('NOTIFICATION_API', {
  providedIn: 'root',
  factory: () => {
    const view = inject(DOCUMENT).defaultView;
    return view && 'Notification' in view ? view.Notification : null;
  },
});

/** What a desktop notification shows, and what clicking it does. */
export interface DesktopNotification {
  readonly title: string;
  readonly body: string;
  /** Notifications with the same tag replace each other instead of piling up. */
  readonly tag: string;
  readonly onClick: () => void;
}

/**
 * Desktop notifications: whether the browser has them, the site's permission, and the
 * operator's on/off choice (localStorage). Browsers only ask for permission from a click,
 * so {@link turnOn} must be called from one.
 */
@Injectable({ providedIn: 'root' })
export class DesktopNotifications {
  private readonly api = inject(NOTIFICATION_API);
  private readonly document = inject(DOCUMENT);

  private readonly permissionState = signal<NotificationPermission>(
    this.api?.permission ?? 'denied',
  );
  private readonly choiceState = signal<NotificationsChoice | null>(readChoice());
  private readonly requestingState = signal(false);

  readonly supported = this.api !== null;
  readonly permission = this.permissionState.asReadonly();
  readonly choice = this.choiceState.asReadonly();
  /** A permission request is waiting for the operator's answer in the browser. */
  readonly requesting = this.requestingState.asReadonly();

  /**
   * Whether notifications are shown. A site the browser already allows (granted earlier, or
   * localStorage cleared since) counts as on until the operator turns them off.
   */
  readonly enabled = computed(
    () => this.supported && this.permissionState() === 'granted' && this.choiceState() !== 'off',
  );

  /** The "Turn on" prompt: only while the browser would still ask and nobody said "Not now". */
  readonly promptVisible = computed(
    () => this.supported && this.permissionState() === 'default' && this.choiceState() === null,
  );

  constructor() {
    // The permission can change in the browser's site settings while the app runs; the
    // operator comes back to the tab afterwards.
    const refresh = (): void => this.refreshPermission();
    this.document.addEventListener('visibilitychange', refresh);
    inject(DestroyRef).onDestroy(() =>
      this.document.removeEventListener('visibilitychange', refresh),
    );
  }

  /** Asks the browser for permission (from a click); when granted, notifications are on. */
  async turnOn(): Promise<void> {
    if (!this.api || this.requestingState()) {
      return;
    }
    this.requestingState.set(true);
    try {
      const permission = await this.api.requestPermission();
      this.permissionState.set(permission);
      if (permission === 'granted') {
        this.setEnabled(true);
      }
    } catch {
      // Very old browsers only take a callback; treat them as unanswered.
      this.refreshPermission();
    } finally {
      this.requestingState.set(false);
    }
  }

  /** "Not now": the prompt stays away; the Account page can still turn them on. */
  dismissPrompt(): void {
    this.saveChoice('off');
  }

  setEnabled(on: boolean): void {
    this.saveChoice(on ? 'on' : 'off');
  }

  /** Shows a notification when they are on and allowed; otherwise does nothing. */
  show(notification: DesktopNotification): void {
    this.refreshPermission();
    if (!this.api || !this.enabled()) {
      return;
    }
    let shown: NotificationLike;
    try {
      shown = new this.api(notification.title, {
        body: notification.body,
        tag: notification.tag,
        // A raster icon: Chrome draws no SVG in notifications.
        icon: '/icon-192.png',
      });
    } catch {
      // Chrome on Android allows notifications only through a service worker and throws
      // here ("Illegal constructor"); the tab title still counts the messages.
      return;
    }
    shown.onclick = () => {
      notification.onClick();
      shown.close();
    };
  }

  private refreshPermission(): void {
    if (this.api) {
      this.permissionState.set(this.api.permission);
    }
  }

  private saveChoice(choice: NotificationsChoice): void {
    this.choiceState.set(choice);
    try {
      localStorage.setItem(NOTIFICATIONS_KEY, choice);
    } catch {
      // Not persisted; the choice still holds for this tab.
    }
  }
}

function readChoice(): NotificationsChoice | null {
  try {
    const value = localStorage.getItem(NOTIFICATIONS_KEY);
    return value === 'on' || value === 'off' ? value : null;
  } catch {
    return null;
  }
}
