import { expect, test } from '@playwright/test';
import { joinOwnerWorkspace, OWNER, screenshotAll, signIn, uniqueEmail } from './support.js';

const EMULATOR = `http://127.0.0.1:${process.env.BROWSER_EMULATOR_PORT ?? 4123}`;

test('an owner invites a teammate who registers through the link and sees the same inbox', async ({
  page,
  browser,
  request,
}) => {
  // A conversation in the owner's workspace (the emulator's number is theirs).
  const customerName = `Team Customer ${Date.now().toString().slice(-6)}`;
  const inbound = await request.post(`${EMULATOR}/__emulator/inbound`, {
    data: {
      from: `3519${Date.now().toString().slice(-8)}`,
      name: customerName,
      type: 'text',
      text: 'Where is my parcel?',
    },
  });
  expect(inbound.ok()).toBe(true);

  await signIn(page, { ...OWNER, token: '' });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' }).click();
  await expect(page.getByRole('heading', { name: 'Team', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Create invite link' }).click();
  const link = await page.getByLabel('Invite link').inputValue();
  expect(link).toMatch(/\/invite\/[\w-]{20,}$/);
  await expect(page.getByRole('button', { name: 'Copy link' })).toBeVisible();
  await screenshotAll(page, 'team');

  const teammateName = `Tom Teammate ${Date.now().toString().slice(-6)}`;
  // The teammate, in a browser of their own, follows the link and creates an account.
  const teammateContext = await browser.newContext();
  const teammate = await teammateContext.newPage();
  try {
    await teammate.goto(new URL(link).pathname);
    await expect(teammate.getByRole('heading', { name: /^Join / })).toBeVisible();
    await screenshotAll(teammate, 'invite-signed-out');
    await teammate.getByRole('link', { name: 'Create account' }).click();
    await expect(teammate).toHaveURL(/\/register\?invite=/);
    await expect(teammate.getByText('You were invited to join a team')).toBeVisible();
    await teammate.getByLabel('Name').fill(teammateName);
    await teammate.getByLabel('Email').fill(uniqueEmail('teammate'));
    await teammate.getByLabel('Password', { exact: true }).fill('correct-horse-battery');
    await teammate.getByLabel('Confirm password').fill('correct-horse-battery');
    await teammate.getByRole('button', { name: 'Create account' }).click();
    await expect(teammate).toHaveURL(/\/inbox/);
    await expect(teammate.getByRole('link', { name: new RegExp(customerName) })).toBeVisible();

    // Agents see the team but not its controls.
    await teammate
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Team' })
      .click();
    await expect(teammate.getByRole('main').getByText(teammateName)).toBeVisible();
    await expect(teammate.getByRole('button', { name: 'Create invite link' })).toHaveCount(0);
  } finally {
    await teammateContext.close();
  }

  // The owner's Team page lists the new member as an agent, with the owner's controls.
  await page.reload();
  await expect(page.getByLabel(`Role of ${teammateName}`)).toHaveValue('agent');
  await expect(page.getByRole('button', { name: `Remove ${teammateName}` })).toBeVisible();
});

test('the owner assigns a customer to a teammate, who finds it under Mine, live', async ({
  page,
  browser,
  request,
}) => {
  const teammateName = `Tia Assignee ${Date.now().toString().slice(-6)}`;
  const teammateAccount = await joinOwnerWorkspace(request, teammateName);

  const customerName = `Assigned Customer ${Date.now().toString().slice(-6)}`;
  const inbound = await request.post(`${EMULATOR}/__emulator/inbound`, {
    data: {
      from: `3519${Date.now().toString().slice(-8)}`,
      name: customerName,
      type: 'text',
      text: 'Can someone call me back?',
    },
  });
  expect(inbound.ok()).toBe(true);

  // The teammate watches their own conversations: none of them is this customer yet.
  const teammateContext = await browser.newContext();
  const teammate = await teammateContext.newPage();
  try {
    await signIn(teammate, { ...teammateAccount, token: '' });
    await teammate.getByRole('link', { name: 'Inbox' }).click();
    await teammate.getByRole('radio', { name: 'Mine' }).check({ force: true });
    await expect(teammate.getByText('No conversations assigned to you.')).toBeVisible();

    await signIn(page, { ...OWNER, token: '' });
    await page.getByRole('link', { name: 'Inbox' }).click();
    await page.getByRole('link', { name: new RegExp(customerName) }).click();
    const picker = page.getByLabel('Assign conversation');
    await expect(picker).toHaveValue('');
    await picker.selectOption({ label: teammateName });
    await expect(
      page.getByRole('link', { name: new RegExp(customerName) }).getByRole('img', {
        name: `Assigned to ${teammateName}`,
      }),
    ).toBeVisible();
    await screenshotAll(page, 'inbox-assigned');

    // Without a reload, the conversation arrives in the teammate's Mine list.
    const mine = teammate.getByRole('link', { name: new RegExp(customerName) });
    await expect(mine).toBeVisible();
    await mine.click();
    await expect(teammate.getByLabel('Assign conversation')).toHaveValue(
      String(teammateAccount.id),
    );
  } finally {
    await teammateContext.close();
  }
});
