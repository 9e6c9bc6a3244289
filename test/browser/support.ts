import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

export interface Operator {
  email: string;
  password: string;
  name: string;
  token: string;
}

/** Registered first (global-setup.ts): owns the workspace of the emulator's number. */
export const OWNER = { email: 'owner@nolose.test', password: 'owner-password', name: 'Ada Owner' };

export const uniqueEmail = (prefix = 'operator'): string =>
  `${prefix}-${Date.now()}-${randomBytes(3).toString('hex')}@example.com`;

/** A fresh operator through the real API (one per test: no shared state between tests). */
export async function createOperator(
  request: APIRequestContext,
  name = 'Olivia Operator',
): Promise<Operator> {
  const email = uniqueEmail();
  const password = 'correct-horse-battery';
  const reg = await request.post('/api/auth/register', { data: { email, password, name } });
  expect(reg.status()).toBe(200);
  const login = await request.post('/api/auth/login', { data: { email, password } });
  const { access_token } = (await login.json()) as { access_token: string };
  return { email, password, name, token: access_token };
}

/**
 * A new agent in OWNER's workspace, registered through an invite link (all through the API),
 * so it is their only workspace. Answers their account with their user id.
 */
export async function joinOwnerWorkspace(
  request: APIRequestContext,
  name: string,
): Promise<Operator & { id: number }> {
  const ownerLogin = await request.post('/api/auth/login', {
    data: { email: OWNER.email, password: OWNER.password },
  });
  const ownerToken = ((await ownerLogin.json()) as { access_token: string }).access_token;
  const invite = await request.post('/api/workspace/invites', {
    headers: { Authorization: `Bearer ${ownerToken}` },
    data: { role: 'agent' },
  });
  const { token: inviteToken } = (await invite.json()) as { token: string };
  const account = { email: uniqueEmail('teammate'), password: 'correct-horse-battery', name };
  const registered = await request.post('/api/auth/register', {
    data: { ...account, invite_token: inviteToken },
  });
  expect(registered.status()).toBe(200);
  return { ...account, token: '', id: ((await registered.json()) as { id: number }).id };
}

export async function signIn(page: Page, op: Operator): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(op.email);
  await page.getByLabel('Password').fill(op.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

const SHOTS = path.resolve(import.meta.dirname, '..', '..', 'test-results', 'screenshots');

/**
 * Saves the current page at desktop and phone widths, light and dark, for README and
 * for a person to look at, after checking it fits the width. Returns when all four are
 * written.
 */
export async function screenshotAll(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const original = page.viewportSize() ?? { width: 1280, height: 800 };
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.evaluate((s) => {
      localStorage.setItem('nolose.theme', s);
      document.documentElement.classList.toggle('dark', s === 'dark');
    }, scheme);
    for (const [label, size] of [
      ['desktop', { width: 1280, height: 800 }],
      ['phone', { width: 360, height: 740 }],
    ] as const) {
      await page.setViewportSize(size);
      // Nothing may stick out sideways: on a phone that means a page that scrolls both ways.
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `${name} at ${label} width is wider than the screen`).toBeLessThanOrEqual(0);
      await page.screenshot({
        path: path.join(SHOTS, `${name}-${label}-${scheme}.png`),
        fullPage: true,
      });
    }
  }
  await page.setViewportSize(original);
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Connects a WhatsApp number to the operator's workspace (Settings → WhatsApp, via the API). */
export async function connectNumber(
  request: APIRequestContext,
  op: Operator,
  number: { phoneNumberId: string; appSecret: string; display: string },
): Promise<void> {
  const res = await request.post('/api/whatsapp/numbers', {
    headers: { authorization: `Bearer ${op.token}` },
    data: {
      phone_number_id: number.phoneNumberId,
      business_account_id: '301234567890123',
      access_token: `EAAB-browser-${number.phoneNumberId}`,
      app_secret: number.appSecret,
      verify_token: `verify-${number.phoneNumberId}`,
      display_phone_number: number.display,
    },
  });
  expect(res.status()).toBe(201);
}

/**
 * A customer's text to a number the emulator does not play (it has one number): the
 * webhook Meta would send, signed with that number's app secret.
 */
export async function customerWritesTo(
  request: APIRequestContext,
  number: { phoneNumberId: string; appSecret: string },
  customer: { waId: string; name: string; text: string },
): Promise<void> {
  const raw = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '301234567890123',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: '15550000000',
                phone_number_id: number.phoneNumberId,
              },
              contacts: [{ profile: { name: customer.name }, wa_id: customer.waId }],
              messages: [
                {
                  from: customer.waId,
                  id: `wamid.browser${randomBytes(12).toString('hex')}`,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  type: 'text',
                  text: { body: customer.text },
                },
              ],
            },
          },
        ],
      },
    ],
  });
  const signature = createHmac('sha256', number.appSecret).update(raw).digest('hex');
  const res = await request.post('/api/webhook', {
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${signature}` },
    data: raw,
  });
  expect(res.status()).toBe(200);
}

/** The workspace the operator's requests act in by default (`GET /api/auth/me`). */
export async function currentWorkspace(
  request: APIRequestContext,
  token: string,
): Promise<{ id: number; name: string }> {
  const me = await request.get('/api/auth/me', { headers: { authorization: `Bearer ${token}` } });
  return ((await me.json()) as { workspace: { id: number; name: string } }).workspace;
}
