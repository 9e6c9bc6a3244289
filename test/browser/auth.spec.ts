import { expect, test } from '@playwright/test';
import { createOperator, screenshotAll, signIn, uniqueEmail } from './support.js';

test('home page offers sign-up and sign-in', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Hello World' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Get Started' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Sign In' }).first()).toBeVisible();
  await screenshotAll(page, 'home');
  await page.getByRole('link', { name: 'Get Started' }).click();
  await expect(page).toHaveURL(/\/register$/);
});

test('a new operator registers and is greeted by name, then logs out', async ({ page }) => {
  await page.goto('/register');
  await screenshotAll(page, 'register');
  await page.getByLabel('Name').fill('Grace Hopper');
  await page.getByLabel('Email').fill(uniqueEmail('grace'));
  await page.getByLabel('Password', { exact: true }).fill('cobol-rules');
  await page.getByLabel('Confirm password').fill('cobol-rules');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByText('Hello, Grace Hopper!')).toBeVisible();
  await screenshotAll(page, 'dashboard');
  await page.getByRole('button', { name: 'Logout' }).click();
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/login/);
});

test('register refuses mismatched and short passwords before calling the server', async ({
  page,
}) => {
  await page.goto('/register');
  await page.getByLabel('Name').fill('Short Pass');
  await page.getByLabel('Email').fill(uniqueEmail());
  await page.getByLabel('Password', { exact: true }).fill('12345');
  await page.getByLabel('Confirm password').fill('54321');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText(/at least 6 characters/)).toBeVisible();
  await expect(page.getByText(/Passwords do not match/i)).toBeVisible();
  await expect(page).toHaveURL(/\/register$/);
});

test('a wrong password shows the error', async ({ page, request }) => {
  const op = await createOperator(request);
  await page.goto('/login');
  await page.getByLabel('Email').fill(op.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('Incorrect email or password');
  await screenshotAll(page, 'login-error');
});

test('a guarded page sends a visitor to sign in and back again', async ({ page, request }) => {
  const op = await createOperator(request);
  await page.goto('/account');
  await expect(page).toHaveURL(/\/login\?returnUrl=%2Faccount/);
  await page.getByLabel('Email').fill(op.email);
  await page.getByLabel('Password').fill(op.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/account$/);
});

test('renaming on the account page shows "Profile updated!"', async ({ page, request }) => {
  const op = await createOperator(request, 'Before Rename');
  await signIn(page, op);
  await page.goto('/account');
  await expect(page.getByLabel('Email')).toHaveValue(op.email);
  await expect(page.getByText('Member since')).toBeVisible();
  await page.getByLabel('Name').fill('After Rename');
  await page.getByRole('button', { name: 'Save Changes' }).click();
  await expect(page.getByText('Profile updated!')).toBeVisible();
  await screenshotAll(page, 'account');
  await page.goto('/dashboard');
  await expect(page.getByText('Hello, After Rename!')).toBeVisible();
});

test('a signed-in operator opening /login lands on the dashboard', async ({ page, request }) => {
  const op = await createOperator(request);
  await signIn(page, op);
  await page.goto('/login');
  await expect(page).toHaveURL(/\/dashboard$/);
});
