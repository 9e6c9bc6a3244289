import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphErrorBody } from '../../emulator/errors.js';
import { startMetaEmulator, type MetaEmulator } from '../../emulator/meta-emulator.js';
import {
  buildInboundMessage,
  buildWebhookPayload,
  INBOUND_KINDS,
  type MessageStatus,
  type WebhookPayload,
} from '../../emulator/payloads.js';
import { serializeLikeMeta, signBody } from '../../emulator/webhook-sender.js';

const APP_SECRET = 'test-app-secret';
const TOKEN = 'test-access-token';
const PHONE_ID = '111222333444555';
const WABA_ID = '999888777666555';
const CUSTOMER = '351910000000';

interface Received {
  headers: IncomingHttpHeaders;
  raw: Buffer;
  payload: WebhookPayload;
}

/** A stand-in for the app's POST /api/webhook that records raw bodies. */
interface Receiver {
  url: string;
  received: Received[];
  /** HTTP statuses to answer with, in order; 200 once exhausted. */
  answers: number[];
  close(): Promise<void>;
}

async function startReceiver(verifyToken = 'verify-me'): Promise<Receiver> {
  const receiver = { received: [] as Received[], answers: [] as number[] };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method === 'GET') {
        const ok = url.searchParams.get('hub.verify_token') === verifyToken;
        res
          .writeHead(ok ? 200 : 403)
          .end(ok ? (url.searchParams.get('hub.challenge') ?? '') : 'forbidden');
        return;
      }
      const raw = Buffer.concat(chunks);
      receiver.received.push({
        headers: req.headers,
        raw,
        payload: JSON.parse(raw.toString('utf8')) as WebhookPayload,
      });
      res
        .writeHead(receiver.answers.shift() ?? 200, { 'content-type': 'application/json' })
        .end('{"status":"ok"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/api/webhook`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}

function statusesOf(received: Received[]): MessageStatus[] {
  return received.flatMap((entry) => entry.payload.entry[0]?.changes[0]?.value.statuses ?? []);
}

describe('Meta WhatsApp Cloud API emulator', () => {
  let meta: MetaEmulator;
  let app: Receiver;

  const graph = (
    path: string,
    init: RequestInit = {},
    token: string | null = TOKEN,
  ): Promise<Response> =>
    fetch(`${meta.url}${path}`, {
      ...init,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(init.body && typeof init.body === 'string'
          ? { 'content-type': 'application/json' }
          : {}),
        ...(init.headers as Record<string, string> | undefined),
      },
    });
  const send = (body: Record<string, unknown>, version = ''): Promise<Response> =>
    version
      ? fetch(`${meta.origin}/${version}/${PHONE_ID}/messages`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      : graph(`/${PHONE_ID}/messages`, { method: 'POST', body: JSON.stringify(body) });
  const text = (body: string, to = CUSTOMER): Record<string, unknown> => ({
    messaging_product: 'whatsapp',
    to,
    type: 'text',
    text: { body },
  });

  beforeAll(async () => {
    app = await startReceiver();
    meta = await startMetaEmulator({
      accessToken: TOKEN,
      appSecret: APP_SECRET,
      phoneNumberId: PHONE_ID,
      businessAccountId: WABA_ID,
      verifyToken: 'verify-me',
      webhookUrl: app.url,
      seed: 'emulator-spec',
      webhook: { retryDelayMs: 10 },
      statuses: { sentDelayMs: 5, deliveredDelayMs: 15, readDelayMs: 25 },
    });
  });

  afterEach(async () => {
    await meta.settled();
    meta.reset();
    app.received.length = 0;
    app.answers.length = 0;
  });

  afterAll(async () => {
    await meta.close();
    await app.close();
  });

  describe('authentication', () => {
    it('answers 401 with OAuthException code 190 when the token is missing or wrong', async () => {
      for (const token of [null, 'not-the-token']) {
        const response = await graph('/me', {}, token);
        expect(response.status).toBe(401);
        const body = (await response.json()) as GraphErrorBody;
        expect(body.error).toMatchObject({ type: 'OAuthException', code: 190 });
        expect(body.error.fbtrace_id).toEqual(expect.any(String));
      }
    });

    it('reports an expired token with subcode 463 when configured', async () => {
      meta.configure({ tokenExpired: true });
      const response = await graph('/me');
      expect(response.status).toBe(401);
      expect(((await response.json()) as GraphErrorBody).error).toMatchObject({
        code: 190,
        error_subcode: 463,
      });
    });

    it('answers GET /me and /debug_token for a valid token', async () => {
      expect(await (await graph('/me')).json()).toEqual({
        id: expect.any(String),
        name: expect.any(String),
      });
      const debug = (await (await graph(`/debug_token?input_token=${TOKEN}`)).json()) as {
        data: { is_valid: boolean; scopes: string[] };
      };
      expect(debug.data.is_valid).toBe(true);
      expect(debug.data.scopes).toContain('whatsapp_business_messaging');
      const other = (await (await graph('/debug_token?input_token=nope')).json()) as {
        data: { is_valid: boolean };
      };
      expect(other.data.is_valid).toBe(false);
    });
  });

  describe('account reads', () => {
    it('serves the phone number, honouring ?fields', async () => {
      const full = await (await graph(`/${PHONE_ID}`)).json();
      expect(full).toMatchObject({ id: PHONE_ID, quality_rating: 'GREEN', status: 'CONNECTED' });
      const picked = await (
        await graph(`/${PHONE_ID}?fields=display_phone_number,verified_name`)
      ).json();
      expect(Object.keys(picked as object).sort()).toEqual([
        'display_phone_number',
        'id',
        'verified_name',
      ]);
    });

    it('serves the business profile as a one-item data array', async () => {
      const body = (await (
        await graph(`/${PHONE_ID}/whatsapp_business_profile?fields=about,websites`)
      ).json()) as {
        data: Array<Record<string, unknown>>;
      };
      expect(body.data).toHaveLength(1);
      expect(body.data[0]).toEqual({ about: expect.any(String), websites: expect.any(Array) });
    });

    it('lists phone numbers and pages message templates', async () => {
      const numbers = (await (await graph(`/${WABA_ID}/phone_numbers`)).json()) as {
        data: Array<{ id: string }>;
      };
      expect(numbers.data.map((entry) => entry.id)).toEqual([PHONE_ID]);

      const first = (await (await graph(`/${WABA_ID}/message_templates?limit=2`)).json()) as {
        data: Array<{ name: string; status: string; category: string; components: unknown[] }>;
        paging: { cursors: { after: string }; next?: string };
      };
      expect(first.data.map((template) => template.name)).toEqual(['hello_world', 'order_update']);
      expect(first.data[0]).toMatchObject({ status: 'APPROVED', category: 'UTILITY' });
      expect(first.paging.next).toBeDefined();
      const second = (await (
        await graph(`/${WABA_ID}/message_templates?limit=2&after=${first.paging.cursors.after}`)
      ).json()) as { data: Array<{ name: string; language: string }> };
      expect(second.data[0]).toMatchObject({ name: 'order_update', language: 'pt_BR' });
    });

    it('rejects sends through a phone number id it does not know', async () => {
      const response = await graph('/123123123/messages', {
        method: 'POST',
        body: JSON.stringify(text('x')),
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as GraphErrorBody).error).toMatchObject({
        code: 100,
        error_subcode: 33,
      });
    });

    it('answers unknown edges with code 2500', async () => {
      const response = await graph(`/${PHONE_ID}/no_such_edge`);
      expect(response.status).toBe(400);
      expect(((await response.json()) as GraphErrorBody).error.code).toBe(2500);
    });

    it('answers unknown ids like Graph: 400, code 100, subcode 33', async () => {
      const response = await graph('/424242424242');
      expect(response.status).toBe(400);
      expect(((await response.json()) as GraphErrorBody).error).toMatchObject({
        type: 'GraphMethodException',
        code: 100,
        error_subcode: 33,
      });
    });
  });

  describe('POST /{phone-number-id}/messages', () => {
    it('accepts a text message under any version prefix and records it', async () => {
      const response = await send(text('Olá!'), 'v18.0');
      expect(response.status).toBe(200);
      const body = (await response.json()) as { messages: Array<{ id: string }> };
      expect(body).toEqual({
        messaging_product: 'whatsapp',
        contacts: [{ input: CUSTOMER, wa_id: CUSTOMER }],
        messages: [{ id: expect.stringMatching(/^wamid\.[A-Za-z0-9+/=]+$/) }],
      });
      expect(meta.sent()).toHaveLength(1);
      expect(meta.sent()[0]).toMatchObject({
        wamid: body.messages[0]?.id,
        waId: CUSTOMER,
        apiVersion: 'v18.0',
      });
      expect(meta.sent()[0]?.request).toMatchObject({ text: { body: 'Olá!' } });
    });

    it('normalises "+" and spaces in `to` into wa_id', async () => {
      const body = (await (await send(text('hi', '+351 910-000-000'))).json()) as {
        contacts: Array<{ input: string; wa_id: string }>;
      };
      expect(body.contacts[0]).toEqual({ input: '+351 910-000-000', wa_id: CUSTOMER });
    });

    it.each([
      [
        'messaging_product is missing',
        { to: CUSTOMER, type: 'text', text: { body: 'x' } },
        /messaging_product is required/,
      ],
      [
        'type is unknown',
        { messaging_product: 'whatsapp', to: CUSTOMER, type: 'fax', fax: {} },
        /Param type must be one of/,
      ],
      [
        'text.body is missing',
        { messaging_product: 'whatsapp', to: CUSTOMER, type: 'text', text: {} },
        /text\['body'\]/,
      ],
      ['text.body exceeds 4096 characters', text('x'.repeat(4097)), /at most 4096/],
      [
        'media has neither id nor link',
        { messaging_product: 'whatsapp', to: CUSTOMER, type: 'image', image: {} },
        /id or link/,
      ],
      [
        'a reaction lacks message_id',
        {
          messaging_product: 'whatsapp',
          to: CUSTOMER,
          type: 'reaction',
          reaction: { emoji: '👍' },
        },
        /reaction\['message_id'\]/,
      ],
      ['context lacks message_id', { ...text('x'), context: {} }, /context\['message_id'\]/],
      [
        'an interactive button message has no buttons',
        {
          messaging_product: 'whatsapp',
          to: CUSTOMER,
          type: 'interactive',
          interactive: { type: 'button', body: { text: 'Pick' }, action: { buttons: [] } },
        },
        /between 1 and 3 buttons/,
      ],
    ])('answers 400 code 100 when %s', async (_case, body, message) => {
      const response = await send(body);
      expect(response.status).toBe(400);
      const error = ((await response.json()) as GraphErrorBody).error;
      expect(error).toMatchObject({
        code: 100,
        type: 'OAuthException',
        error_data: { messaging_product: 'whatsapp' },
      });
      expect(error.message).toMatch(message);
      expect(meta.sent()).toHaveLength(0);
    });

    it('checks templates: unknown name → 404 code 132001, wrong parameter count → 400 code 132000', async () => {
      const template = (name: string, components: unknown[] = []): Record<string, unknown> => ({
        messaging_product: 'whatsapp',
        to: CUSTOMER,
        type: 'template',
        template: { name, language: { code: 'en_US' }, components },
      });
      const unknown = await send(template('no_such_template'));
      expect(unknown.status).toBe(404);
      expect(((await unknown.json()) as GraphErrorBody).error.code).toBe(132001);

      const mismatch = await send(template('order_update'));
      expect(mismatch.status).toBe(400);
      expect(((await mismatch.json()) as GraphErrorBody).error.code).toBe(132000);

      const ok = await send(
        template('order_update', [
          { type: 'body', parameters: [{ type: 'text', text: '#10042' }] },
        ]),
      );
      expect(ok.status).toBe(200);
      expect(
        ((await ok.json()) as { messages: Array<{ message_status?: string }> }).messages[0]
          ?.message_status,
      ).toBe('accepted');
    });

    it('accepts read receipts and typing indicators with {"success":true}', async () => {
      const inbound = await meta.sendInbound({ type: 'text', from: CUSTOMER, text: 'hello' });
      const response = await send({
        messaging_product: 'whatsapp',
        status: 'read',
        message_id: inbound.messageId,
        typing_indicator: { type: 'text' },
      });
      expect(await response.json()).toEqual({ success: true });
      expect(meta.readReceipts()).toEqual([
        expect.objectContaining({
          messageId: inbound.messageId,
          typingIndicator: true,
          known: true,
        }),
      ]);
      expect(meta.sent()).toHaveLength(0);
    });
  });

  describe('failure injection', () => {
    it('fails the next send with 131047 and then recovers', async () => {
      meta.injectFailure({ code: 131047 });
      const failed = await send(text('late reply'));
      expect(failed.status).toBe(400);
      const error = ((await failed.json()) as GraphErrorBody).error;
      expect(error).toMatchObject({ code: 131047, message: '(#131047) Re-engagement message' });
      expect(error.error_data?.details).toMatch(/24 hours/);
      expect((await send(text('retry'))).status).toBe(200);
      expect(meta.rejected()).toHaveLength(1);
    });

    it('scopes a rule to one recipient', async () => {
      meta.injectFailure({ code: 131026, to: '+44 7700 900000', times: null });
      expect((await send(text('a', CUSTOMER))).status).toBe(200);
      expect((await send(text('b', '447700900000'))).status).toBe(400);
      expect((await send(text('c', '447700900000'))).status).toBe(400);
    });

    it('rate-limits sends per phone number with 130429 (HTTP 429, per Meta’s error table)', async () => {
      meta.configure({ rateLimitPerSecond: 2 });
      expect((await send(text('1'))).status).toBe(200);
      expect((await send(text('2'))).status).toBe(200);
      const limited = await send(text('3'));
      expect(limited.status).toBe(429);
      expect(((await limited.json()) as GraphErrorBody).error.code).toBe(130429);
    });

    it('produces generic 500s from the random failure rate', async () => {
      meta.configure({ failureRate: 1 });
      const response = await send(text('x'));
      expect(response.status).toBe(500);
      expect(((await response.json()) as GraphErrorBody).error.code).toBe(131000);
    });

    it('can drop the connection without answering', async () => {
      meta.injectFailure({ code: 'disconnect' });
      await expect(send(text('x'))).rejects.toThrow();
    });

    it('can fail any Graph call, not only sends, and add latency', async () => {
      meta.injectFailure({ code: 2, endpoint: 'all' });
      const failed = await graph(`/${WABA_ID}/message_templates`);
      expect(failed.status).toBe(503);
      expect(((await failed.json()) as GraphErrorBody).error.code).toBe(2);

      meta.configure({ latencyMs: 60 });
      const started = Date.now();
      expect((await graph('/me')).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(50);
    });

    it('reports 131026 asynchronously as a failed status webhook', async () => {
      meta.injectFailure({ code: 131026, mode: 'async' });
      const response = await send(text('to a landline'));
      expect(response.status).toBe(200);
      await meta.settled();
      const statuses = statusesOf(app.received);
      expect(statuses.map((status) => status.status)).toEqual(['sent', 'failed']);
      expect(statuses[1]?.errors?.[0]).toMatchObject({
        code: 131026,
        title: 'Message undeliverable',
        error_data: { details: expect.any(String) },
      });
    });
  });

  describe('status webhooks', () => {
    it('follows a send with sent → delivered → read, pricing on the first ones', async () => {
      const { messages } = (await (await send(text('hello'))).json()) as {
        messages: Array<{ id: string }>;
      };
      await meta.settled();
      const statuses = statusesOf(app.received);
      expect(statuses.map((status) => status.status)).toEqual(['sent', 'delivered', 'read']);
      expect(
        statuses.every(
          (status) => status.id === messages[0]?.id && status.recipient_id === CUSTOMER,
        ),
      ).toBe(true);
      expect(statuses[0]?.pricing).toEqual({
        billable: false,
        pricing_model: 'PMP',
        type: 'free_customer_service',
        category: 'service',
      });
      expect(statuses[0]?.conversation?.origin.type).toBe('service');
      expect(statuses[2]?.pricing).toBeUndefined();
      expect(meta.sent()[0]?.statuses.map((status) => status.delivered)).toEqual([
        true,
        true,
        true,
      ]);
    });

    it('can reorder, skip and duplicate statuses', async () => {
      meta.configure({ statuses: { reorderRate: 1 } });
      await send(text('one'));
      await meta.settled();
      expect(statusesOf(app.received).map((status) => status.status)).toEqual([
        'sent',
        'read',
        'delivered',
      ]);

      app.received.length = 0;
      meta.configure({ statuses: { reorderRate: 0, skipDeliveredRate: 1, duplicateRate: 1 } });
      await send(text('two'));
      await meta.settled();
      const seen = statusesOf(app.received).map((status) => status.status);
      expect(seen).not.toContain('delivered');
      expect(seen).toHaveLength(3);
    });
  });

  describe('webhook delivery', () => {
    it('signs the escaped-unicode raw body with X-Hub-Signature-256', async () => {
      await meta.sendInbound({
        type: 'text',
        from: CUSTOMER,
        name: 'João Ümlaut',
        text: 'Olá, äöå 👋',
      });
      const [delivery] = app.received;
      expect(delivery).toBeDefined();
      const raw = delivery.raw.toString('utf8');
      // Meta escapes non-ASCII as lowercase \uXXXX (emoji as a surrogate pair) and signs those bytes.
      expect(raw).toContain('Ol\\u00e1, \\u00e4\\u00f6\\u00e5 \\ud83d\\udc4b');
      expect(/[^\x00-\x7f]/.test(raw)).toBe(false);
      const expected = `sha256=${createHmac('sha256', APP_SECRET).update(delivery.raw).digest('hex')}`;
      expect(delivery.headers['x-hub-signature-256']).toBe(expected);
      // Re-serialising the parsed body (a common app bug) gives different bytes and a different HMAC.
      expect(signBody(APP_SECRET, JSON.stringify(JSON.parse(raw)))).not.toBe(expected);
      expect(delivery.payload.entry[0]?.changes[0]?.value.messages?.[0]?.text).toEqual({
        body: 'Olá, äöå 👋',
      });
    });

    it('retries until the app answers 200', async () => {
      app.answers.push(500, 503);
      const result = await meta.sendInbound({ type: 'text', from: CUSTOMER });
      expect(result.delivery.ok).toBe(true);
      expect(result.delivery.attempts.map((attempt) => attempt.status)).toEqual([500, 503, 200]);
      expect(app.received).toHaveLength(3);
    });

    it('gives up after the configured retries', async () => {
      meta.configure({ webhook: { retries: 1 } });
      app.answers.push(500, 500, 500);
      const result = await meta.sendInbound({ type: 'text', from: CUSTOMER });
      expect(result.delivery).toMatchObject({ ok: false, status: 500 });
      expect(result.delivery.attempts).toHaveLength(2);
    });

    it('performs the hub.challenge verification handshake', async () => {
      expect((await meta.verifyWebhook()).ok).toBe(true);
      expect((await meta.verifyWebhook('wrong-token')).ok).toBe(false);
    });
  });

  describe('customer messages of every type', () => {
    it.each(INBOUND_KINDS)('delivers a %s message in Meta’s envelope', async (kind) => {
      const result = await meta.sendInbound({ type: kind, from: CUSTOMER, name: 'Ana' });
      expect(result.delivery.status).toBe(200);
      const value = result.payload.entry[0]?.changes[0]?.value;
      expect(result.payload.object).toBe('whatsapp_business_account');
      expect(result.payload.entry[0]?.id).toBe(WABA_ID);
      expect(value?.metadata).toEqual({
        display_phone_number: '15550783881',
        phone_number_id: PHONE_ID,
      });
      const message = value?.messages?.[0];
      expect(message).toMatchObject({
        from: CUSTOMER,
        id: result.messageId,
        timestamp: expect.stringMatching(/^\d+$/),
      });
      // Meta omits contacts for system messages only.
      expect(value?.contacts).toEqual(
        kind === 'system' ? undefined : [{ profile: { name: 'Ana' }, wa_id: CUSTOMER }],
      );
    });

    it('maps kinds onto Meta’s wire types and fields', () => {
      expect(buildInboundMessage('voice')).toMatchObject({ type: 'audio', audio: { voice: true } });
      expect(buildInboundMessage('nfm_reply')).toMatchObject({
        type: 'interactive',
        interactive: {
          type: 'nfm_reply',
          nfm_reply: { name: 'flow', body: 'Sent', response_json: expect.any(String) },
        },
      });
      expect(buildInboundMessage('referral')).toMatchObject({
        type: 'text',
        referral: { source_type: 'ad', ctwa_clid: expect.any(String) },
      });
      expect(buildInboundMessage('unsupported')).toMatchObject({
        type: 'unsupported',
        errors: [{ code: 131051 }],
      });
      expect(buildInboundMessage('system', { from: '1555' })).toMatchObject({
        type: 'system',
        system: { type: 'user_changed_number', wa_id: expect.any(String) },
      });
      expect(buildInboundMessage('reaction', { reaction: { emoji: '' } })).toMatchObject({
        reaction: { emoji: '', message_id: expect.stringMatching(/^wamid\./) },
      });
      expect(buildInboundMessage('button')).toMatchObject({
        button: { payload: expect.any(String) },
        context: {},
      });
      expect(
        buildInboundMessage('document', { document: { caption: undefined, filename: 'x.pdf' } }),
      ).toMatchObject({
        document: { filename: 'x.pdf' },
      });
    });

    it('marks replies and forwards in context', async () => {
      const reply = await meta.sendInbound({ type: 'text', from: CUSTOMER, replyTo: 'wamid.ABC' });
      expect(reply.message.context).toEqual({ from: '15550783881', id: 'wamid.ABC' });
      const forward = await meta.sendInbound({ type: 'text', from: CUSTOMER, forwarded: true });
      expect(forward.message.context).toEqual({ forwarded: true });
    });
  });

  describe('media', () => {
    it('lets the app fetch inbound media with the same token, until it expires', async () => {
      const bytes = Buffer.from('%PDF-1.4 invoice');
      const inbound = await meta.sendInbound({
        type: 'document',
        from: CUSTOMER,
        media: { data: bytes, mimeType: 'application/pdf', filename: 'invoice.pdf' },
      });
      const mediaId = (inbound.message.document as { id: string }).id;
      const info = (await (await graph(`/${mediaId}`)).json()) as Record<string, unknown>;
      expect(info).toEqual({
        messaging_product: 'whatsapp',
        url: expect.stringContaining(`/media-download/${mediaId}?`),
        mime_type: 'application/pdf',
        sha256: createHash('sha256').update(bytes).digest('hex'),
        file_size: bytes.length,
        id: mediaId,
      });
      const download = await fetch(info.url as string, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(download.status).toBe(200);
      expect(download.headers.get('content-type')).toBe('application/pdf');
      expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);
      expect((await fetch(info.url as string)).status).toBe(401);

      meta.expireMedia(mediaId);
      const expired = await graph(`/${mediaId}`);
      expect(expired.status).toBe(400);
      expect(((await expired.json()) as GraphErrorBody).error).toMatchObject({
        code: 100,
        error_subcode: 33,
      });
      expect(
        (await fetch(info.url as string, { headers: { authorization: `Bearer ${TOKEN}` } })).status,
      ).toBe(404);
    });

    it('accepts multipart uploads and sends referencing the uploaded id', async () => {
      const form = new FormData();
      form.append('messaging_product', 'whatsapp');
      form.append('type', 'image/png');
      form.append('file', new Blob([Buffer.from('png-bytes')], { type: 'image/png' }), 'photo.png');
      const upload = await graph(`/${PHONE_ID}/media`, { method: 'POST', body: form });
      expect(upload.status).toBe(200);
      const { id } = (await upload.json()) as { id: string };
      expect(meta.media().find((media) => media.id === id)).toMatchObject({
        mimeType: 'image/png',
        fileSize: 9,
      });

      const response = await send({
        messaging_product: 'whatsapp',
        to: CUSTOMER,
        type: 'image',
        image: { id },
      });
      expect(response.status).toBe(200);
    });

    it('fails a send asynchronously (131053) when the media id is unknown', async () => {
      await send({
        messaging_product: 'whatsapp',
        to: CUSTOMER,
        type: 'image',
        image: { id: '1234' },
      });
      await meta.settled();
      expect(
        statusesOf(app.received).map((status) => [status.status, status.errors?.[0]?.code]),
      ).toEqual([
        ['sent', undefined],
        ['failed', 131053],
      ]);
    });
  });

  describe('control API over HTTP', () => {
    const control = (path: string, body?: unknown): Promise<Response> =>
      fetch(`${meta.controlUrl}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });

    it('delivers a customer message and reports the app’s answer', async () => {
      const response = await control('/inbound', { type: 'location', from: CUSTOMER, name: 'Ana' });
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        payload: WebhookPayload;
        delivery: { status: number };
      };
      expect(body.delivery.status).toBe(200);
      expect(body.payload.entry[0]?.changes[0]?.value.messages?.[0]?.type).toBe('location');
    });

    it('lists sent messages and read receipts, updates config and resets', async () => {
      await send(text('hello'));
      const sent = (await (await control('/sent')).json()) as {
        messages: Array<{ waId: string }>;
        readReceipts: unknown[];
      };
      expect(sent.messages.map((message) => message.waId)).toEqual([CUSTOMER]);

      const config = (await (
        await control('/config', { latencyMs: 5, failures: [{ code: 131047 }] })
      ).json()) as {
        config: { latencyMs: number };
        failures: unknown[];
      };
      expect(config.config.latencyMs).toBe(5);
      expect(config.failures).toHaveLength(1);
      expect((await send(text('blocked'))).status).toBe(400);

      expect((await control('/config', { failureRate: 7 })).status).toBe(400);
      await control('/reset', {});
      expect(meta.sent()).toHaveLength(0);
      expect(meta.config().latencyMs).toBe(0);
    });

    it('registers and expires media', async () => {
      const registered = (await (
        await control('/media', { text: 'hello', mimeType: 'text/plain', filename: 'hello.txt' })
      ).json()) as { id: string };
      expect((await graph(`/${registered.id}`)).status).toBe(200);
      expect((await control(`/media/${registered.id}/expire`, {})).status).toBe(200);
      expect((await graph(`/${registered.id}`)).status).toBe(400);
    });

    it('sends a manual status for a sent message', async () => {
      meta.configure({ statuses: { enabled: false } });
      const { messages } = (await (await send(text('x'))).json()) as {
        messages: Array<{ id: string }>;
      };
      const response = await control('/status', {
        messageId: messages[0]?.id,
        status: 'failed',
        errorCode: 131047,
      });
      expect(response.status).toBe(200);
      expect(statusesOf(app.received)).toEqual([
        expect.objectContaining({
          status: 'failed',
          errors: [expect.objectContaining({ code: 131047 })],
        }),
      ]);
    });
  });

  it('refuses invalid options at start', async () => {
    await expect(startMetaEmulator({ failureRate: 2 })).rejects.toThrow(/failureRate/);
    await expect(
      startMetaEmulator({ failures: [{ code: 'boom' as unknown as number }] }),
    ).rejects.toThrow(/failure code/);
  });

  it('repeats ids exactly for the same seed', async () => {
    const runs: string[][] = [];
    for (let run = 0; run < 2; run += 1) {
      const emulator = await startMetaEmulator({ seed: 42, accessToken: TOKEN, webhookUrl: null });
      const ids: string[] = [];
      for (const body of ['a', 'b']) {
        const response = await fetch(
          `${emulator.url}/${emulator.identity.phoneNumberId}/messages`,
          {
            method: 'POST',
            headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
            body: JSON.stringify(text(body)),
          },
        );
        ids.push(
          ((await response.json()) as { messages: Array<{ id: string }> }).messages[0]?.id ?? '',
        );
      }
      ids.push((await emulator.sendInbound({ type: 'image' })).messageId);
      await emulator.close();
      runs.push(ids);
    }
    expect(runs[0]).toEqual(runs[1]);
    expect(new Set(runs[0]).size).toBe(3);
  });
});

describe('serializeLikeMeta and buildWebhookPayload', () => {
  it('escapes non-ASCII as lowercase \\uXXXX and optionally slashes', () => {
    expect(serializeLikeMeta({ name: 'äöå', emoji: '😀', url: 'https://x/y' })).toBe(
      '{"name":"\\u00e4\\u00f6\\u00e5","emoji":"\\ud83d\\ude00","url":"https://x/y"}',
    );
    expect(serializeLikeMeta({ url: 'https://x/y' }, { escapeSlashes: true })).toBe(
      '{"url":"https:\\/\\/x\\/y"}',
    );
    expect(JSON.parse(serializeLikeMeta({ s: 'ação 👍' }))).toEqual({ s: 'ação 👍' });
  });

  it('builds the documented envelope', () => {
    const payload = buildWebhookPayload({
      wabaId: 'W',
      phoneNumberId: 'P',
      displayPhoneNumber: '15550001111',
      statuses: [{ id: 'wamid.X', status: 'read', timestamp: '1', recipient_id: '1' }],
    });
    expect(payload).toEqual({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'W',
          changes: [
            {
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550001111', phone_number_id: 'P' },
                statuses: [{ id: 'wamid.X', status: 'read', timestamp: '1', recipient_id: '1' }],
              },
              field: 'messages',
            },
          ],
        },
      ],
    });
  });
});
