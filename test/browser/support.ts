import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
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
 * for a person to look at. Returns when all four are written.
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
      await page.screenshot({
        path: path.join(SHOTS, `${name}-${label}-${scheme}.png`),
        fullPage: true,
      });
    }
  }
  await page.setViewportSize(original);
  await page.emulateMedia({ colorScheme: 'light' });
}
