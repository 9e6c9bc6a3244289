import { expect, test } from '@playwright/test';
import { joinOwnerWorkspace, OWNER, screenshotAll, signIn } from './support.js';

const EMULATOR = `http://127.0.0.1:${process.env.BROWSER_EMULATOR_PORT ?? 4123}`;

test('a note one teammate leaves on a conversation appears live for another, never for the customer', async ({
  page,
  browser,
  request,
}) => {
  const teammateAccount = await joinOwnerWorkspace(request, 'Nico Notes');

  const customerName = `Noted Customer ${Date.now().toString().slice(-6)}`;
  const customer = `3519${Date.now().toString().slice(-8)}`;
  const inbound = await request.post(`${EMULATOR}/__emulator/inbound`, {
    data: { from: customer, name: customerName, type: 'text', text: 'I want a refund.' },
  });
  expect(inbound.ok()).toBe(true);

  const teammateContext = await browser.newContext();
  const teammate = await teammateContext.newPage();
  try {
    await signIn(teammate, { ...teammateAccount, token: '' });
    await teammate.getByRole('link', { name: 'Inbox' }).click();
    await teammate.getByRole('link', { name: new RegExp(customerName) }).click();
    await teammate.getByRole('button', { name: /^Notes/ }).click();
    await expect(teammate.getByText('No notes yet.')).toBeVisible();

    await signIn(page, { ...OWNER, token: '' });
    await page.getByRole('link', { name: 'Inbox' }).click();
    await page.getByRole('link', { name: new RegExp(customerName) }).click();
    await page.getByRole('button', { name: /^Notes/ }).click();
    await page.getByLabel('Add a note').fill('Refund approved.\n<b>Send the label</b> tomorrow.');
    await page.keyboard.press('Control+Enter');
    await expect(page.getByRole('button', { name: 'Notes (1)' })).toBeVisible();
    await expect(page.getByLabel('Add a note')).toHaveValue('');
    await screenshotAll(page, 'inbox-notes');

    // The teammate's open panel shows it without a reload, as text, with its author.
    const note = teammate.getByRole('listitem').filter({ hasText: 'Refund approved.' });
    await expect(note).toBeVisible();
    await expect(note).toContainText('Ada Owner');
    await expect(note).toContainText('<b>Send the label</b> tomorrow.');
    await expect(teammate.getByRole('button', { name: 'Notes (1)' })).toBeVisible();
  } finally {
    await teammateContext.close();
  }

  // Nothing was sent to the customer.
  const sent = (await (await request.get(`${EMULATOR}/__emulator/sent`)).json()) as {
    messages: { to: string }[];
  };
  expect(sent.messages.filter((m) => m.to === customer)).toEqual([]);
});
