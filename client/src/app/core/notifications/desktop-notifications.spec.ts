import { TestBed } from '@angular/core/testing';

import { DesktopNotifications, NOTIFICATIONS_KEY, NOTIFICATION_API } from './desktop-notifications';
import {
  FakeNotificationApi,
  fakeNotificationApi,
  restoreVisibility,
  setVisibility,
} from './testing/fake-notification-api';

describe(DesktopNotifications.name, () => {
  let fake: FakeNotificationApi;

  function create(permission: NotificationPermission | null, saved?: string): DesktopNotifications {
    if (saved !== undefined) {
      localStorage.setItem(NOTIFICATIONS_KEY, saved);
    }
    fake = fakeNotificationApi(permission ?? 'default');
    TestBed.configureTestingModule({
      providers: [{ provide: NOTIFICATION_API, useValue: permission === null ? null : fake.api }],
    });
    return TestBed.inject(DesktopNotifications);
  }

  let message: { title: string; body: string; tag: string; onClick: () => void };

  beforeEach(() => {
    localStorage.clear();
    message = { title: 'Ana', body: 'Hello', tag: 'nolose-conversation-3', onClick: vi.fn() };
  });
  afterEach(() => {
    localStorage.clear();
    restoreVisibility();
  });

  it('offers the prompt while the browser would still ask and nobody said "Not now"', () => {
    const sut = create('default');
    expect(sut.supported).toBe(true);
    expect(sut.permission()).toBe('default');
    expect(sut.promptVisible()).toBe(true);
    expect(sut.enabled()).toBe(false);
  });

  it('is unsupported, off and silent without the Notification API', () => {
    const sut = create(null);
    expect(sut.supported).toBe(false);
    expect(sut.promptVisible()).toBe(false);
    expect(sut.enabled()).toBe(false);
  });

  it('turns on when the operator allows them, and remembers it', async () => {
    const sut = create('default');
    await sut.turnOn();
    expect(fake.requests).toBe(1);
    expect(sut.permission()).toBe('granted');
    expect(sut.enabled()).toBe(true);
    expect(sut.promptVisible()).toBe(false);
    expect(localStorage.getItem(NOTIFICATIONS_KEY)).toBe('on');
  });

  it('stays off when the operator blocks them in the browser', async () => {
    const sut = create('default');
    fake.answer = 'denied';
    await sut.turnOn();
    expect(sut.permission()).toBe('denied');
    expect(sut.enabled()).toBe(false);
    expect(sut.promptVisible()).toBe(false);
    expect(localStorage.getItem(NOTIFICATIONS_KEY)).toBeNull();
  });

  it('"Not now" hides the prompt for good, without asking the browser', () => {
    create('default').dismissPrompt();
    expect(fake.requests).toBe(0);
    expect(localStorage.getItem(NOTIFICATIONS_KEY)).toBe('off');
    TestBed.resetTestingModule();
    expect(create('default').promptVisible()).toBe(false);
  });

  it('counts a site the browser already allows as on until turned off', () => {
    expect(create('granted').enabled()).toBe(true);
    TestBed.resetTestingModule();
    const sut = create('granted', 'off');
    expect(sut.enabled()).toBe(false);
    sut.setEnabled(true);
    expect(sut.enabled()).toBe(true);
    expect(localStorage.getItem(NOTIFICATIONS_KEY)).toBe('on');
  });

  it('shows a notification with the app icon, and on click runs the action and closes it', () => {
    const sut = create('granted', 'on');
    sut.show(message);
    expect(fake.shown).toHaveLength(1);
    const [shown] = fake.shown;
    expect(shown.title).toBe('Ana');
    expect(shown.options).toEqual({
      body: 'Hello',
      tag: 'nolose-conversation-3',
      icon: '/icon-192.png',
    });
    shown.onclick?.(new Event('click'));
    expect(message.onClick).toHaveBeenCalledTimes(1);
    expect(shown.closed).toBe(true);
  });

  it('shows nothing when turned off or not allowed', () => {
    create('granted', 'off').show(message);
    expect(fake.shown).toHaveLength(0);
    TestBed.resetTestingModule();
    create('default', 'on').show(message);
    expect(fake.shown).toHaveLength(0);
    TestBed.resetTestingModule();
    create('denied', 'on').show(message);
    expect(fake.shown).toHaveLength(0);
  });

  it('notices a permission changed in the browser settings when the tab is shown again', () => {
    const sut = create('granted', 'on');
    fake.setPermission('denied');
    setVisibility('visible');
    expect(sut.permission()).toBe('denied');
    expect(sut.enabled()).toBe(false);
  });

  it('survives a browser that refuses to construct notifications (Chrome on Android)', () => {
    localStorage.setItem(NOTIFICATIONS_KEY, 'on');
    const illegal = Object.assign(
      function Illegal() {
        throw new TypeError('Illegal constructor');
      },
      { permission: 'granted', requestPermission: () => Promise.resolve('granted') },
    );
    TestBed.configureTestingModule({
      providers: [{ provide: NOTIFICATION_API, useValue: illegal }],
    });
    const sut = TestBed.inject(DesktopNotifications);
    expect(sut.enabled()).toBe(true);
    expect(() => sut.show(message)).not.toThrow();
  });
});
