import { expect, test } from '@playwright/test';
import { OWNER, screenshotAll, signIn } from './support.js';

const EMULATOR = `http://127.0.0.1:${process.env.BROWSER_EMULATOR_PORT ?? 4123}`;

interface SentRecord {
  to: string;
  request: { type?: string; text?: { body?: string } };
}

test('a customer message appears live, the reply reaches Meta and its ticks go to read', async ({
  page,
  request,
}) => {
  const owner = { ...OWNER, token: '' };
  await signIn(page, owner);
  await page.getByRole('link', { name: 'Inbox' }).click();
  await expect(page).toHaveURL(/\/inbox/);

  // The customer writes while the operator is looking at the inbox: no reload.
  const customer = `3519${Date.now().toString().slice(-8)}`;
  const inbound = await request.post(`${EMULATOR}/__emulator/inbound`, {
    data: { from: customer, name: 'Ana Live', type: 'text', text: 'Olá! Where is my order? 📦' },
  });
  expect(inbound.ok()).toBe(true);
  const conversation = page.getByRole('link', { name: /Ana Live/ });
  await expect(conversation).toBeVisible();
  await conversation.click();
  const thread = page.getByRole('region', { name: 'Conversation' });
  await expect(thread.getByText('Olá! Where is my order? 📦')).toBeVisible();

  await page.getByLabel('Message').fill('It ships today!');
  await page.keyboard.press('Enter');
  await expect(thread.getByText('It ships today!')).toBeVisible();

  // The emulator received the send and plays sent → delivered → read back as webhooks.
  await expect
    .poll(async () => {
      const sent = (await (await request.get(`${EMULATOR}/__emulator/sent`)).json()) as {
        messages: SentRecord[];
      };
      return sent.messages.some(
        (s) => s.to === customer && s.request.text?.body === 'It ships today!',
      );
    })
    .toBe(true);
  await expect(thread.getByText('Read', { exact: true })).toBeAttached();
  await screenshotAll(page, 'inbox');
});

test('customer text with HTML is shown as text, never run', async ({ page, request }) => {
  await signIn(page, { ...OWNER, token: '' });
  await page.goto('/inbox');
  const customer = `3519${Date.now().toString().slice(-8)}`;
  const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';
  await request.post(`${EMULATOR}/__emulator/inbound`, {
    data: { from: customer, name: '<b>Mallory</b>', type: 'text', text: hostile },
  });
  await page.getByRole('link', { name: /Mallory/ }).click();
  await expect(page.getByRole('region', { name: 'Conversation' }).getByText(hostile)).toBeVisible();
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
});
