// `npm run demo`: No Lose with the Meta emulator wired in both ways and a trickle of simulated
// customers, so a new user sees a live inbox without a Meta account. Everything runs in this
// process; the demo keeps its own embedded database under .data/demo. Ctrl+C stops it.
//
// Settings (all optional): PORT (8000), DEMO_META_PORT (4010), DEMO_INTERVAL_MS (4000),
// DEMO_EMAIL / DEMO_PASSWORD (the operator account printed at the end), DATA_DIR, EMBEDDED_PG_PORT.
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { buildIfStale } from './build-if-stale.mjs';

const root = path.resolve(import.meta.dirname, '..');
const env = process.env;
const port = Number(env.PORT ?? 8000);
const metaPort = Number(env.DEMO_META_PORT ?? 4010);
const intervalMs = Number(env.DEMO_INTERVAL_MS ?? 4000);
const email = env.DEMO_EMAIL ?? 'demo@example.com';
const password = env.DEMO_PASSWORD ?? 'demo-password';
const appUrl = `http://127.0.0.1:${port}`;

buildIfStale();
const { startMetaEmulator } = await import('../dist/emulator/meta-emulator.js');

// Meta's side first: the app needs its Graph URL, and it needs the app's webhook URL.
const meta = await startMetaEmulator({
  port: metaPort,
  webhookUrl: `${appUrl}/api/webhook`,
  // Statuses arrive at a human pace, so operators see ✓ → ✓✓ → blue.
  statuses: { sentDelayMs: 400, deliveredDelayMs: 1500, readDelayMs: 4000 },
});

// The product, pointed at the emulator. These win over a .env file (see server/config/env.ts).
Object.assign(env, meta.appEnv(), {
  PORT: String(port),
  DATA_DIR: env.DATA_DIR ?? path.join(root, '.data', 'demo'),
  EMBEDDED_PG_PORT: env.EMBEDDED_PG_PORT ?? '54339',
  LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
});
// Never use a real database by accident: the demo writes simulated customers into it.
delete env.DATABASE_URL;
await import('../dist/server/main.js');
await waitForHealth();
const operator = await ensureOperator();

const customers = [
  { from: '351912345001', name: 'Ana Ribeiro' },
  { from: '5511987650002', name: 'Bruno Costa' },
  { from: '447700900003', name: 'Chloe Smith' },
  { from: '4915112340004', name: 'Dieter Braun' },
  { from: '15555550005', name: 'Emily Johnson' },
];
const texts = [
  'Hi! Where is my order #10042?',
  'Do you deliver on Sundays?',
  'Can I change the delivery address?',
  'The monstera arrived, it is beautiful 🌿',
  'Is the fiddle-leaf fig back in stock?',
  'Thanks for the quick answer!',
  'What time do you open tomorrow?',
  'Olá! Vocês entregam em Lisboa?',
];
const pick = (list) => list[Math.floor(Math.random() * list.length)];
const kinds = [
  ['text', 6],
  ['image', 2],
  ['document', 1],
  ['voice', 1],
  ['location', 1],
  ['button_reply', 1],
];
const weighted = kinds.flatMap(([kind, weight]) => Array(weight).fill(kind));

/**
 * A 320×240 PNG "product photo" (a coloured disc on a soft gradient, a new hue each time):
 * the emulator's own sample image is 1×1, which the inbox shows as nothing at all.
 */
function productPhoto() {
  const width = 320;
  const height = 240;
  const hue = Math.random() * 360;
  const rgb = (h, s, l) => {
    const k = (n) => (n + h / 30) % 12;
    const a = s * Math.min(l, 1 - l);
    const f = (n) => l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1));
    return [f(0), f(8), f(4)].map((v) => Math.round(v * 255));
  };
  const disc = rgb(hue, 0.55, 0.5);
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const back = rgb((hue + 180) % 360, 0.25, 0.92 - (0.12 * y) / height);
    const row = y * (width * 3 + 1); // each row starts with filter type 0
    for (let x = 0; x < width; x++) {
      const inside = (x - width / 2) ** 2 + (y - height / 2) ** 2 < 80 ** 2;
      const [r, g, b] = inside ? disc : back;
      rows.set([r, g, b], row + 1 + x * 3);
    }
  }
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function trickle() {
  const customer = pick(customers);
  const kind = pick(weighted);
  const input = { from: customer.from, name: customer.name, type: kind };
  if (kind === 'text') input.text = pick(texts);
  if (kind === 'image') {
    input.image = { caption: 'This one, please' };
    input.media = { data: productPhoto(), mimeType: 'image/png' };
  }
  if (kind === 'document')
    input.media = {
      text: 'Invoice 10042\nTotal: 39.90 EUR\n',
      mimeType: 'application/pdf',
      filename: 'invoice-10042.pdf',
    };
  try {
    const result = await meta.sendInbound(input);
    const status = result.delivery.ok
      ? 'delivered'
      : `NOT delivered (${result.delivery.status ?? 'no answer'})`;
    console.log(
      `  ${customer.name} sent ${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} message: ${status}`,
    );
  } catch (err) {
    console.log(
      `  could not simulate a ${kind} message: ${err instanceof Error ? err.message : err}`,
    );
  }
}

console.log(`
No Lose demo is running.

  Dashboard   ${appUrl}            sign in as ${operator.email} / ${operator.password}${
    operator.teammate
      ? `
              a teammate (another browser): ${operator.teammate.email} / ${operator.teammate.password}`
      : ''
  }
  API docs    ${appUrl}/docs       (POST /api/auth/login, then Authorize)
  Meta        ${meta.url}   (emulated Graph API; control API ${meta.controlUrl})

Simulated customers write every ${intervalMs / 1000} s. Answer them from the inbox: replies go
through the emulator, and statuses (sent, delivered, read) come back by webhook.
Try the API too:

  TOKEN=$(curl -s ${appUrl}/api/auth/login -H 'content-type: application/json' \\
    -d '{"email":"${operator.email}","password":"${operator.password}"}' | sed 's/.*"access_token":"\\([^"]*\\)".*/\\1/')
  curl -s ${appUrl}/api/conversations -H "Authorization: Bearer $TOKEN"

Ctrl+C stops everything (data stays in ${env.DATA_DIR}).
`);
await trickle();
const timer = setInterval(() => void trickle(), intervalMs);
process.once('SIGINT', () => {
  clearInterval(timer);
  void meta.close();
});
process.once('SIGTERM', () => {
  clearInterval(timer);
  void meta.close();
});

async function waitForHealth() {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      const res = await fetch(`${appUrl}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      console.error(`No Lose did not become healthy on ${appUrl} within 2 minutes`);
      process.exit(1);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * The operator account. On a fresh demo database it is the first user, so its workspace
 * owns the emulated WhatsApp number (WA_PHONE_NUMBER_ID belongs to the first workspace).
 */
async function ensureOperator() {
  const post = (route, body) =>
    fetch(`${appUrl}/api/auth/${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const registered = await post('register', { email, password, name: 'Demo Operator' });
  if (registered.status !== 200 && registered.status !== 400) {
    console.error(
      `Could not create the demo operator: ${registered.status} ${await registered.text()}`,
    );
    process.exit(1);
  }
  const login = await post('login', { email, password });
  if (login.status !== 200) {
    console.warn(
      `Note: ${email} exists with another password; set DEMO_PASSWORD or remove ${env.DATA_DIR}.`,
    );
    return { email, password, teammate: null };
  }
  const { access_token: token } = await login.json();
  return { email, password, teammate: await ensureTeammate(post, token) };
}

/**
 * A second operator in the same workspace (joined through an invite link), so assignment
 * and "who replied" can be tried from two browsers. Once: registering again answers 400.
 */
async function ensureTeammate(post, ownerToken) {
  const teammate = { email: 'sam@example.com', password, name: 'Sam Teammate' };
  const exists = await post('login', { email: teammate.email, password: teammate.password });
  if (exists.status === 200) return teammate;
  const invite = await fetch(`${appUrl}/api/workspace/invites`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ownerToken}` },
    body: JSON.stringify({ role: 'agent' }),
  });
  if (invite.status !== 201) return null;
  const { token } = await invite.json();
  const joined = await post('register', { ...teammate, invite_token: token });
  return joined.status === 200 ? teammate : null;
}
