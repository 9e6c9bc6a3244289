import { createTestApp, type TestApp } from './app.js';
import { createTestDatabase, dropTestDatabase } from './db.js';
import { TcpProxy, viaProxy } from './tcp-proxy.js';

export interface AppBehindProxy {
  t: TestApp;
  /** stop() is the database outage, start() the recovery. */
  proxy: TcpProxy;
  /** The app's database, reached directly (not through the proxy). */
  databaseUrl: string;
  /** Restores the database, closes the app and drops its database. */
  close(): Promise<void>;
}

/**
 * A test app on a database of its own that it reaches through a TcpProxy, so the test can
 * take the database away from this app alone.
 */
export async function createAppBehindProxy(
  env: Record<string, string> = {},
): Promise<AppBehindProxy> {
  const admin = new URL(process.env.NL_TEST_ADMIN_URL as string);
  const proxy = new TcpProxy(admin.hostname, Number(admin.port));
  const databaseUrl = await createTestDatabase();
  await proxy.start();
  const t = await createTestApp({ ...env, DATABASE_URL: viaProxy(databaseUrl, proxy) });
  return {
    t,
    proxy,
    databaseUrl,
    close: async () => {
      await proxy.start().catch(() => undefined);
      await t.close();
      await proxy.stop();
      await dropTestDatabase(databaseUrl);
    },
  };
}
