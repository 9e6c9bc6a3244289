import { expect, test, type APIRequestContext } from '@playwright/test';
import {
  OWNER,
  connectNumber,
  createOperator,
  currentWorkspace,
  screenshotAll,
  customerWritesTo,
  signIn,
} from './support.js';

const EMULATOR = `http://127.0.0.1:${process.env.BROWSER_EMULATOR_PORT ?? 4123}`;

/** Digits unique to this run: phone number ids are unique across the deployment. */
const digits = (prefix: string): string => `${prefix}${Date.now().toString().slice(-10)}`;

async function ownerToken(request: APIRequestContext): Promise<string> {
  const login = await request.post('/api/auth/login', {
    data: { email: OWNER.email, password: OWNER.password },
  });
  return ((await login.json()) as { access_token: string }).access_token;
}

test('a user with a workspace of their own accepts an invite and switches between both inboxes', async ({
  page,
  request,
}) => {
  const suffix = Date.now().toString().slice(-6);
  // Bob's own workspace, with its own number and customer.
  const bob = await createOperator(request, `Bob Both ${suffix}`);
  const bobNumber = { phoneNumberId: digits('71'), appSecret: `bob-secret-${suffix}-0a4b7c5f2b8c` };
  await connectNumber(request, bob, { ...bobNumber, display: '+1 555 010 7100' });
  const ownCustomer = `Own Customer ${suffix}`;
  await customerWritesTo(request, bobNumber, {
    waId: digits('4479'),
    name: ownCustomer,
    text: 'A question for Bob’s shop',
  });
  const bobsWorkspace = await currentWorkspace(request, bob.token);

  // The owner's workspace (the emulator's number) has a customer of its own.
  const teamCustomer = `Joined Customer ${suffix}`;
  const inbound = await request.post(`${EMULATOR}/__emulator/inbound`, {
    data: { from: digits('3519'), name: teamCustomer, type: 'text', text: 'Hello team' },
  });
  expect(inbound.ok()).toBe(true);
  const token = await ownerToken(request);
  const ownersWorkspace = await currentWorkspace(request, token);
  const created = await request.post('/api/workspace/invites', {
    headers: { authorization: `Bearer ${token}` },
    data: { role: 'agent' },
  });
  const { path } = (await created.json()) as { path: string };

  await signIn(page, bob);
  await page.goto(path);
  await expect(page.getByRole('heading', { name: `Join ${ownersWorkspace.name}` })).toBeVisible();
  await expect(page.getByText(`Signed in as ${bob.email}`)).toBeVisible();
  await screenshotAll(page, 'invite-signed-in');
  await page.getByRole('button', { name: 'Accept invitation' }).click();

  // Now in the joined workspace: its customers, not Bob's.
  await expect(page).toHaveURL(/\/inbox$/);
  const switcher = page.getByLabel('Workspace');
  await expect(switcher.locator('option:checked')).toHaveText(ownersWorkspace.name);
  await expect(page.getByRole('link', { name: new RegExp(teamCustomer) })).toBeVisible();
  await expect(page.getByRole('link', { name: new RegExp(ownCustomer) })).toHaveCount(0);

  // Back to Bob's own workspace, then to the joined one again.
  await switcher.selectOption({ label: bobsWorkspace.name });
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).click();
  await expect(page.getByRole('link', { name: new RegExp(ownCustomer) })).toBeVisible();
  await expect(page.getByRole('link', { name: new RegExp(teamCustomer) })).toHaveCount(0);

  await page.getByLabel('Workspace').selectOption({ label: ownersWorkspace.name });
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).click();
  await expect(page.getByRole('link', { name: new RegExp(teamCustomer) })).toBeVisible();
  await expect(page.getByRole('link', { name: new RegExp(ownCustomer) })).toHaveCount(0);
});

test('an invite link that was revoked says so instead of offering to join', async ({
  page,
  request,
}) => {
  const token = await ownerToken(request);
  const headers = { authorization: `Bearer ${token}` };
  const created = await request.post('/api/workspace/invites', { headers, data: {} });
  const invite = (await created.json()) as { id: number; path: string };
  await request.delete(`/api/workspace/invites/${invite.id}`, { headers });

  await page.goto(invite.path);
  await expect(page.getByRole('heading', { name: 'Invitation unavailable' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('This invitation link is not valid');
  await screenshotAll(page, 'invite-unavailable');
  await expect(page.getByRole('link', { name: 'Create account' })).toHaveCount(0);
});

test('each conversation shows the WhatsApp number its customer wrote to', async ({
  page,
  request,
}) => {
  const suffix = Date.now().toString().slice(-6);
  const op = await createOperator(request, `Nora Numbers ${suffix}`);
  const sales = { phoneNumberId: digits('81'), appSecret: `sales-secret-${suffix}-5f2b8c1e` };
  const support = { phoneNumberId: digits('82'), appSecret: `support-secret-${suffix}-9d0a4b` };
  await connectNumber(request, op, { ...sales, display: '+1 555 010 8101' });
  await connectNumber(request, op, { ...support, display: '+1 555 010 8202' });
  const salesCustomer = `Sales Customer ${suffix}`;
  const supportCustomer = `Support Customer ${suffix}`;
  await customerWritesTo(request, sales, {
    waId: digits('4478'),
    name: salesCustomer,
    text: 'How much is it?',
  });
  await customerWritesTo(request, support, {
    waId: digits('4477'),
    name: supportCustomer,
    text: 'It is broken',
  });

  await signIn(page, op);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).click();
  const salesItem = page.getByRole('link', { name: new RegExp(salesCustomer) });
  const supportItem = page.getByRole('link', { name: new RegExp(supportCustomer) });
  await expect(salesItem).toContainText('+1 555 010 8101');
  await expect(supportItem).toContainText('+1 555 010 8202');
  await expect(salesItem).not.toContainText('+1 555 010 8202');

  await supportItem.click();
  const header = page.getByRole('main').locator('header', { hasText: supportCustomer });
  await expect(header).toContainText('via +1 555 010 8202');
  await screenshotAll(page, 'inbox-numbers');

  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'WhatsApp', exact: true })
    .click();
  await expect(page).toHaveURL(/\/settings\/whatsapp$/);
  await expect(page.getByRole('heading', { name: 'WhatsApp numbers' })).toBeVisible();
  await expect(page.getByText('+1 555 010 8202', { exact: true })).toBeVisible();
  await screenshotAll(page, 'settings-whatsapp');
});
