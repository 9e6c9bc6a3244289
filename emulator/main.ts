/**
 * CLI entry: `npm run meta:emulator`. Reads EMULATOR_* variables, starts the emulator and prints
 * the WA_* settings that point the app at it. (This is a dev tool, not server code, so reading
 * process.env here is deliberate.)
 */
import { startMetaEmulator, type MetaEmulatorOptions } from './meta-emulator.js';

function text(name: string): string | undefined {
  const value = process.env[name]?.trim();
  return value ? value : undefined;
}

function number(name: string): number | undefined {
  const value = text(name);
  if (value === undefined) {
    return undefined;
  }
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) {
    throw new Error(`${name} must be a number, got "${value}"`);
  }
  return parsed;
}

function optionsFromEnv(): MetaEmulatorOptions {
  const webhookUrl = text('EMULATOR_WEBHOOK_URL') ?? 'http://127.0.0.1:8000/api/webhook';
  const seed = text('EMULATOR_SEED');
  const statusDelay = number('EMULATOR_STATUS_DELAY_MS');
  const options: MetaEmulatorOptions = {
    port: number('EMULATOR_PORT') ?? 4010,
    host: text('EMULATOR_HOST') ?? '127.0.0.1',
    apiVersion: text('EMULATOR_API_VERSION') ?? 'v23.0',
    accessToken: text('EMULATOR_ACCESS_TOKEN'),
    phoneNumberId: text('EMULATOR_PHONE_NUMBER_ID'),
    businessAccountId: text('EMULATOR_BUSINESS_ACCOUNT_ID'),
    appSecret: text('EMULATOR_APP_SECRET'),
    verifyToken: text('EMULATOR_VERIFY_TOKEN'),
    // "off" keeps payloads in the emulator (GET /__emulator/webhooks) without posting them.
    webhookUrl: webhookUrl === 'off' ? null : webhookUrl,
    latencyMs: number('EMULATOR_LATENCY_MS'),
    failureRate: number('EMULATOR_FAILURE_RATE'),
    rateLimitPerSecond: number('EMULATOR_RATE_LIMIT_PER_SECOND'),
    seed: seed === undefined ? undefined : /^\d+$/.test(seed) ? Number(seed) : seed,
    statuses: {
      // One knob for demos: sent after N ms, delivered after 2N, read after 4N.
      sentDelayMs: statusDelay,
      deliveredDelayMs: statusDelay === undefined ? undefined : 2 * statusDelay,
      readDelayMs: statusDelay === undefined ? undefined : 4 * statusDelay,
      failRate: number('EMULATOR_STATUS_FAIL_RATE'),
    },
  };
  // Absent variables must not override the emulator's defaults with undefined.
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}

async function main(): Promise<void> {
  const emulator = await startMetaEmulator(optionsFromEnv());
  const env = emulator.appEnv();
  const lines = [
    `Meta WhatsApp Cloud API emulator listening on ${emulator.origin}`,
    `  Graph API:   ${emulator.url}`,
    `  Control API: ${emulator.controlUrl}  (GET it for a summary)`,
    `  Webhooks to: ${emulator.config().webhook.url ?? '(disabled)'}`,
    `  Seed:        ${emulator.seed}`,
    '',
    'Point the app at it with:',
    ...Object.entries(env).map(([key, value]) => `  ${key}=${value}`),
    '',
    'Send a customer message:',
    `  curl -s -X POST ${emulator.controlUrl}/inbound -H 'content-type: application/json' \\`,
    `    -d '{"from":"351910000000","name":"Ana","type":"text","text":"Olá! Where is my order?"}'`,
  ];
  console.log(lines.join('\n'));

  const stop = (signal: string): void => {
    console.log(`\n${signal} received, stopping the emulator`);
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
