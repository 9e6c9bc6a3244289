import { NotificationApi, NotificationLike } from '../desktop-notifications';

/** A notification the fake API "showed": what it was given, and whether it was closed. */
export interface ShownNotification extends NotificationLike {
  readonly title: string;
  readonly options?: NotificationOptions;
  readonly closed: boolean;
}

export interface FakeNotificationApi {
  readonly api: NotificationApi;
  /** Every notification constructed, oldest first. */
  readonly shown: ShownNotification[];
  /** What the browser says when asked; the permission then becomes that answer. */
  answer: NotificationPermission;
  requests: number;
  /** Changes the permission as the browser's site settings would. */
  setPermission(permission: NotificationPermission): void;
}

/** A stand-in for `window.Notification` with the given permission. */
export function fakeNotificationApi(permission: NotificationPermission): FakeNotificationApi {
  let current = permission;
  const shown: ShownNotification[] = [];

  class FakeNotification implements ShownNotification {
    static get permission(): NotificationPermission {
      return current;
    }

    static requestPermission(): Promise<NotificationPermission> {
      fake.requests += 1;
      current = fake.answer;
      return Promise.resolve(current);
    }

    onclick: ((event: Event) => void) | null = null;
    closed = false;

    constructor(
      readonly title: string,
      readonly options?: NotificationOptions,
    ) {
      shown.push(this);
    }

    close(): void {
      this.closed = true;
    }
  }

  const fake: FakeNotificationApi = {
    api: FakeNotification,
    shown,
    answer: 'granted',
    requests: 0,
    setPermission: (p) => (current = p),
  };
  return fake;
}

/**
 * Makes `document.visibilityState` report `state` and tells listeners, as a browser does
 * when the tab is hidden or shown. {@link restoreVisibility} undoes it.
 */
export function setVisibility(state: DocumentVisibilityState): void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}

export function restoreVisibility(): void {
  delete (document as { visibilityState?: DocumentVisibilityState }).visibilityState;
}
