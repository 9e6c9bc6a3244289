import { request } from '@playwright/test';
import { OWNER } from './support.js';

/**
 * The env's WhatsApp number belongs to the first workspace ever created, so the operator
 * who answers the emulator's customers registers before any other test runs.
 */
export default async function globalSetup(): Promise<void> {
  const api = await request.newContext({
    baseURL: `http://127.0.0.1:${process.env.BROWSER_APP_PORT ?? 8123}`,
  });
  const res = await api.post('/api/auth/register', { data: OWNER });
  if (res.status() !== 200) {
    throw new Error(`could not register the first operator: ${res.status()} ${await res.text()}`);
  }
  await api.dispose();
}
