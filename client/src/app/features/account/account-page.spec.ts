import { TestBed } from '@angular/core/testing';

import {
  getButton,
  getByLabel,
  normalize,
  queryButton,
  typeInto,
} from '../../../testing/dom-queries';
import { AuthStore } from '../../core/auth/auth-store';
import { FakeAuthStore } from '../../core/auth/testing/fake-auth-store';
import { MAX_NAME_LENGTH } from '../../core/auth/user-name';
import { User } from '../../core/auth/user.model';
import { ApiError } from '../../core/http/api-error';
import {
  NOTIFICATIONS_KEY,
  NOTIFICATION_API,
  NotificationApi,
} from '../../core/notifications/desktop-notifications';
import {
  FakeNotificationApi,
  fakeNotificationApi,
} from '../../core/notifications/testing/fake-notification-api';
import { AccountPage } from './account-page';

const USER: User = {
  id: 1,
  email: 'ada@example.com',
  name: 'Ada',
  is_active: true,
  created_at: '2025-01-20T10:00:00Z',
};

describe(AccountPage.name, () => {
  let auth: FakeAuthStore;

  async function render(notificationApi: NotificationApi | null = null) {
    auth = new FakeAuthStore();
    auth.settle('signed-in', USER);
    TestBed.configureTestingModule({
      imports: [AccountPage],
      providers: [
        { provide: AuthStore, useValue: auth },
        { provide: NOTIFICATION_API, useValue: notificationApi },
      ],
    });
    const fixture = TestBed.createComponent(AccountPage);
    await fixture.whenStable();
    return { fixture, root: fixture.nativeElement as HTMLElement };
  }

  it('shows the email read-only, the name and the member-since date', async () => {
    const { root } = await render();
    const email = getByLabel(root, 'Email');
    expect(email.value).toBe('ada@example.com');
    expect(email.readOnly).toBe(true);
    expect(getByLabel(root, 'Name').value).toBe('Ada');
    expect(normalize(root.textContent)).toContain('Member since January 20, 2025');
  });

  it('saves the name and says "Profile updated!"', async () => {
    const { fixture, root } = await render();
    auth.updateProfile.mockResolvedValue({ ...USER, name: 'Ada Lovelace' });

    typeInto(getByLabel(root, 'Name'), 'Ada Lovelace');
    getButton(root, 'Save Changes').click();
    await fixture.whenStable();

    expect(auth.updateProfile).toHaveBeenCalledWith('Ada Lovelace');
    expect(normalize(root.querySelector('[role="status"]')?.textContent)).toBe('Profile updated!');
  });

  it('shows the error when saving fails', async () => {
    const { fixture, root } = await render();
    auth.updateProfile.mockRejectedValue(new ApiError(422, 'name must be shorter'));
    typeInto(getByLabel(root, 'Name'), 'X');
    getButton(root, 'Save Changes').click();
    await fixture.whenStable();
    expect(normalize(root.querySelector('[role="alert"]')?.textContent)).toBe(
      'name must be shorter',
    );
  });

  it('does not save an empty name', async () => {
    const { fixture, root } = await render();
    typeInto(getByLabel(root, 'Name'), '');
    getButton(root, 'Save Changes').click();
    await fixture.whenStable();
    expect(auth.updateProfile).not.toHaveBeenCalled();
    expect(normalize(root.querySelector('#account-name-error')?.textContent)).toBe(
      'Enter your name',
    );
  });

  it('does not save a name longer than 200 characters, and says why', async () => {
    const { fixture, root } = await render();
    typeInto(getByLabel(root, 'Name'), 'a'.repeat(MAX_NAME_LENGTH + 1));
    getButton(root, 'Save Changes').click();
    await fixture.whenStable();
    expect(MAX_NAME_LENGTH).toBe(200);
    expect(auth.updateProfile).not.toHaveBeenCalled();
    expect(normalize(root.querySelector('#account-name-error')?.textContent)).toBe(
      'Name must be at most 200 characters',
    );
    expect(getByLabel(root, 'Name').getAttribute('aria-invalid')).toBe('true');
  });

  it('saves a name of exactly 200 characters', async () => {
    const { fixture, root } = await render();
    const name = 'a'.repeat(MAX_NAME_LENGTH);
    auth.updateProfile.mockResolvedValue({ ...USER, name });
    typeInto(getByLabel(root, 'Name'), name);
    getButton(root, 'Save Changes').click();
    await fixture.whenStable();
    expect(root.querySelector('#account-name-error')).toBeNull();
    expect(auth.updateProfile).toHaveBeenCalledWith(name);
    expect(normalize(root.querySelector('[role="status"]')?.textContent)).toBe('Profile updated!');
  });

  describe('desktop notifications', () => {
    const CHECKBOX = 'Desktop notifications for new customer messages';
    let notifications: FakeNotificationApi;

    beforeEach(() => localStorage.clear());
    afterEach(() => localStorage.clear());

    it('turns them off and on again with a checkbox once the browser allows them', async () => {
      notifications = fakeNotificationApi('granted');
      localStorage.setItem(NOTIFICATIONS_KEY, 'on');
      const { fixture, root } = await render(notifications.api);
      const checkbox = getByLabel(root, CHECKBOX);
      expect(checkbox.checked).toBe(true);

      checkbox.click();
      await fixture.whenStable();
      expect(localStorage.getItem(NOTIFICATIONS_KEY)).toBe('off');
      expect(getByLabel(root, CHECKBOX).checked).toBe(false);

      getByLabel(root, CHECKBOX).click();
      await fixture.whenStable();
      expect(localStorage.getItem(NOTIFICATIONS_KEY)).toBe('on');
      expect(getByLabel(root, CHECKBOX).checked).toBe(true);
    });

    it('says they are blocked when the browser denies them', async () => {
      notifications = fakeNotificationApi('denied');
      const { root } = await render(notifications.api);
      expect(normalize(root.textContent)).toContain(
        'Desktop notifications are blocked for this site in your browser settings.',
      );
      expect(root.querySelector('input[type="checkbox"]')).toBeNull();
    });

    it('offers "Turn on" before the browser has been asked, even after "Not now"', async () => {
      notifications = fakeNotificationApi('default');
      localStorage.setItem(NOTIFICATIONS_KEY, 'off');
      const { fixture, root } = await render(notifications.api);

      getButton(root, 'Turn on').click();
      await fixture.whenStable();

      expect(notifications.requests).toBe(1);
      expect(localStorage.getItem(NOTIFICATIONS_KEY)).toBe('on');
      expect(getByLabel(root, CHECKBOX).checked).toBe(true);
    });

    it('says nothing about them where the browser has none', async () => {
      const { root } = await render(null);
      expect(normalize(root.textContent)).not.toContain('notification');
      expect(queryButton(root, 'Turn on')).toBeNull();
      expect(root.querySelector('input[type="checkbox"]')).toBeNull();
    });
  });
});
