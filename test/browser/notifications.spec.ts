import { expect, test } from '@playwright/test';
import { OWNER, screenshotAll, signIn } from './support.js';

const EMULATOR = `http://127.0.0.1:${process.env.BROWSER_EMULATOR_PORT ?? 4123}`;

interface Recorded {
  title: string;
  body: string | undefined;
  icon: string | undefined;
}

test('a customer writing while the operator is on the dashboard raises a desktop notification', async ({
  page,
  context,
  request,
}) => {
  await context.grantPermissions(['notifications']);
  // Records every notification the app shows. The browser already allows them (granted
  // above), but the site reports "not asked yet" until the app asks, as a first visit
  // would: that is when the inbox offers them.
  await page.addInitScript(() => {
    const Real = window.Notification;
    const recorded: { title: string; body: string | undefined; icon: string | undefined }[] = [];
    let asked = false;
    class Recording extends Real {
      static override get permission(): NotificationPermission {
        return asked ? Real.permission : 'default';
      }
      static override requestPermission(): Promise<NotificationPermission> {
        asked = true;
        return Real.requestPermission();
      }
      constructor(title: string, options?: NotificationOptions) {
        recorded.push({ title, body: options?.body, icon: options?.icon });
        super(title, options);
      }
    }
    Object.assign(window, { Notification: Recording, __notifications: recorded });
  });

  await signIn(page, { ...OWNER, token: '' });
  await page.getByRole('link', { name: 'Inbox' }).click();
  await expect(page.getByText('Get a desktop notification when a customer writes.')).toBeVisible();
  await screenshotAll(page, 'notifications-prompt');
  await page.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.getByRole('button', { name: 'Turn on' })).toBeHidden();

  // Elsewhere in the app, so no conversation is on screen.
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByText('Live updates on')).toBeAttached();

  const customer = `3519${Date.now().toString().slice(-8)}`;
  const inbound = await request.post(`${EMULATOR}/__emulator/inbound`, {
    data: { from: customer, name: 'Nora Notify', type: 'text', text: 'Is my parcel on its way?' },
  });
  expect(inbound.ok()).toBe(true);

  await expect
    .poll(() =>
      page.evaluate(() => (window as unknown as { __notifications: Recorded[] }).__notifications),
    )
    .toContainEqual({
      title: 'Nora Notify',
      body: 'Is my parcel on its way?',
      icon: '/icon-192.png',
    });
  // The icon is served, as a picture the notification can show.
  const icon = await request.get('/icon-192.png');
  expect(icon.status()).toBe(200);
  expect(icon.headers()['content-type']).toBe('image/png');
});
