import { createHmac, randomBytes } from 'node:crypto';
import type { TestApp } from './app.js';

/**
 * Meta's side of the webhook for API tests: payloads written from Meta's messages webhook
 * reference (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/reference/messages),
 * serialised and signed the way Meta does it. Independent of the emulator on purpose: the
 * tests must not share a bug with the thing they check.
 */

export const TEST_APP_SECRET = 'test-app-secret-5f2b8c1e9d0a4b7c';
export const TEST_VERIFY_TOKEN = 'test-verify-token';
/** Meta's documented example ids. */
export const TEST_PHONE_NUMBER_ID = '106540352242922';
export const TEST_DISPLAY_PHONE_NUMBER = '15550783881';
export const TEST_WABA_ID = '102290129340398';

/** Env for createTestApp: a signed webhook routed to the first workspace. */
export const webhookEnv = (overrides: Record<string, string> = {}): Record<string, string> => ({
  WA_APP_SECRET: TEST_APP_SECRET,
  WA_VERIFY_TOKEN: TEST_VERIFY_TOKEN,
  WA_PHONE_NUMBER_ID: TEST_PHONE_NUMBER_ID,
  WA_BUSINESS_ACCOUNT_ID: TEST_WABA_ID,
  ...overrides,
});

type Json = Record<string, unknown>;

/**
 * JSON as Meta sends it: compact, with every non-ASCII UTF-16 unit escaped as \uXXXX
 * (emoji become surrogate pairs) — the bytes the signature is computed over.
 */
export function serializeLikeMeta(payload: unknown): string {
  return JSON.stringify(payload).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** X-Hub-Signature-256 for these exact bytes. */
export function signatureOf(raw: string | Buffer, secret = TEST_APP_SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
}

export interface SignedWebhook {
  body: string;
  headers: Record<string, string>;
}

/** A webhook request as Meta would send it: raw body plus headers. */
export function signedWebhook(payload: unknown, secret = TEST_APP_SECRET): SignedWebhook {
  const body = serializeLikeMeta(payload);
  return {
    body,
    headers: {
      'Content-Type': 'application/json',
      'X-Hub-Signature-256': signatureOf(body, secret),
    },
  };
}

/** POSTs a signed notification to /api/webhook. */
export function postWebhook(t: TestApp, payload: unknown, secret = TEST_APP_SECRET) {
  const { body, headers } = signedWebhook(payload, secret);
  return t.http.post('/api/webhook').set(headers).send(body);
}

// ---------------------------------------------------------------------------------------
// Payload builders

let counter = 0;

/** A wamid shaped like Meta's (base64 of a protobuf-ish blob), unique per call. */
export function wamid(): string {
  counter += 1;
  return `wamid.HBgL${randomBytes(24).toString('base64').replace(/[+/=]/g, 'A')}${counter}`;
}

/** A customer phone number (wa_id), unique per call. */
export function customerWaId(): string {
  counter += 1;
  return `1555${String(Date.now() % 1_000_000).padStart(6, '0')}${String(counter).padStart(3, '0')}`;
}

export const unixSeconds = (date: Date = new Date()): string =>
  String(Math.floor(date.getTime() / 1000));

export function metaContact(waId: string, name?: string, extra: Json = {}): Json {
  return { ...(name === undefined ? {} : { profile: { name } }), wa_id: waId, ...extra };
}

/** A `messages[]` entry: `{from, id, timestamp, type, …typeBody}`. */
export function metaMessage(from: string, typeBody: Json, extra: Json = {}): Json {
  return { from, id: wamid(), timestamp: unixSeconds(), ...typeBody, ...extra };
}

export function metaStatus(id: string, status: string, extra: Json = {}): Json {
  return {
    id,
    status,
    timestamp: unixSeconds(),
    recipient_id: '16505551234',
    ...(status === 'failed'
      ? {}
      : {
          conversation: { id: 'b8c6a9f2d3e4', origin: { type: 'service' } },
          pricing: { billable: true, pricing_model: 'PMP', category: 'service' },
        }),
    ...extra,
  };
}

export interface ChangeInput {
  phoneNumberId?: string;
  displayPhoneNumber?: string;
  contacts?: unknown[];
  messages?: unknown[];
  statuses?: unknown[];
}

/** The `value` of a `messages` change. */
export function metaChangeValue(input: ChangeInput): Json {
  return {
    messaging_product: 'whatsapp',
    metadata: {
      display_phone_number: input.displayPhoneNumber ?? TEST_DISPLAY_PHONE_NUMBER,
      phone_number_id: input.phoneNumberId ?? TEST_PHONE_NUMBER_ID,
    },
    ...(input.contacts ? { contacts: input.contacts } : {}),
    ...(input.messages ? { messages: input.messages } : {}),
    ...(input.statuses ? { statuses: input.statuses } : {}),
  };
}

/** A notification with one entry holding one change per input. */
export function metaNotification(...changes: ChangeInput[]): Json {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: TEST_WABA_ID,
        changes: changes.map((c) => ({ value: metaChangeValue(c), field: 'messages' })),
      },
    ],
  };
}

/** One customer's message(s) with their contact entry, the common case. */
export function inboundNotification(
  from: string,
  name: string | undefined,
  ...messages: Json[]
): Json {
  return metaNotification({ contacts: [metaContact(from, name)], messages });
}

/** Realistic type bodies, after Meta's reference examples. */
export const META_TYPES = {
  text: (body: string): Json => ({ type: 'text', text: { body } }),
  image: (): Json => ({
    type: 'image',
    image: {
      caption: 'Parcel arrived damaged',
      mime_type: 'image/jpeg',
      sha256: 'tFLt5tGdcBZBTQAnE2fpQ4D8+1Ct2xAg2iv3l8wEFfw=',
      id: '1003383421387256',
    },
  }),
  video: (): Json => ({
    type: 'video',
    video: {
      caption: 'Unboxing',
      mime_type: 'video/mp4',
      sha256: 'Wn0mvQ0BvbhWMfvyL0ClCuwkKsfQnRIlWVJiYUwdCwk=',
      id: '1240218634214312',
    },
  }),
  audio: (): Json => ({
    type: 'audio',
    audio: {
      mime_type: 'audio/mpeg',
      sha256: 'XNLGT4Gw5Ac8AnD5WyV/Lw4DAM6Y1Y2/5ArfT1sWIxU=',
      id: '1156312519473519',
      voice: false,
    },
  }),
  voice: (): Json => ({
    type: 'audio',
    audio: {
      mime_type: 'audio/ogg; codecs=opus',
      sha256: 'rQX5Q7xjU6yQ3Q2oJ2m8W0kzH1eV3a9bKxY4pF6tL0c=',
      id: '1780219242830371',
      voice: true,
    },
  }),
  document: (): Json => ({
    type: 'document',
    document: {
      filename: 'invoice-0042.pdf',
      mime_type: 'application/pdf',
      sha256: 'fCxS7oZEH+ZoIhS5mUBvTXq1N8Ot1dr5eN3jOyD3Jb0=',
      id: '1003383421387257',
    },
  }),
  sticker: (): Json => ({
    type: 'sticker',
    sticker: {
      mime_type: 'image/webp',
      sha256: 'nEc0ZKp8Ww0BeXxK5PGyQJUzY6B6mK2jTnZ8fH3wQ2g=',
      id: '1240218634214313',
      animated: false,
    },
  }),
  location: (): Json => ({
    type: 'location',
    location: {
      address: '1 Hacker Way, Menlo Park, CA 94025',
      latitude: 37.483307,
      longitude: -122.148981,
      name: 'Main Office',
      url: 'https://www.facebook.com',
    },
  }),
  pin: (): Json => ({
    type: 'location',
    location: { latitude: 38.7077507, longitude: -9.1365919 },
  }),
  contacts: (): Json => ({
    type: 'contacts',
    contacts: [
      {
        addresses: [
          { city: 'Menlo Park', country: 'United States', type: 'WORK', street: '1 Hacker Way' },
        ],
        birthday: '1999-01-23',
        emails: [{ email: 'bjohnson@luckyshrub.com', type: 'WORK' }],
        name: { formatted_name: 'Barbara J. Johnson', first_name: 'Barbara', last_name: 'Johnson' },
        org: { company: 'Lucky Shrub', department: 'Legal', title: 'Lead Counsel' },
        phones: [
          { phone: '+16505559999', type: 'HOME' },
          { phone: '+19175559999', type: 'WORK', wa_id: '19175559999' },
        ],
        urls: [{ url: 'https://www.luckyshrub.com', type: 'WORK' }],
      },
      { name: { first_name: 'Pablo', last_name: 'Morales' }, phones: [{ phone: '+16505551234' }] },
    ],
  }),
  buttonReply: (context: string): Json => ({
    type: 'interactive',
    context: { from: TEST_DISPLAY_PHONE_NUMBER, id: context },
    interactive: { type: 'button_reply', button_reply: { id: 'cancel-button', title: 'Cancel' } },
  }),
  listReply: (context: string): Json => ({
    type: 'interactive',
    context: { from: TEST_DISPLAY_PHONE_NUMBER, id: context },
    interactive: {
      type: 'list_reply',
      list_reply: {
        id: 'priority_express',
        title: 'Priority Mail Express',
        description: 'Next Day to 2 Days',
      },
    },
  }),
  nfmReply: (context: string): Json => ({
    type: 'interactive',
    context: { from: TEST_DISPLAY_PHONE_NUMBER, id: context },
    interactive: {
      type: 'nfm_reply',
      nfm_reply: {
        name: 'flow',
        body: 'Sent',
        response_json:
          '{"flow_token":"AQAAAAACS5FpgQ_cAAAAAD0QI3s.","rating":"5","comment":"Quick delivery"}',
      },
    },
  }),
  button: (context: string): Json => ({
    type: 'button',
    context: { from: TEST_DISPLAY_PHONE_NUMBER, id: context },
    button: { payload: 'Unsubscribe from Promos', text: 'Unsubscribe from Promos' },
  }),
  reaction: (messageId: string, emoji = '\u{1F44D}'): Json => ({
    type: 'reaction',
    reaction: { message_id: messageId, emoji },
  }),
  order: (): Json => ({
    type: 'order',
    order: {
      catalog_id: '194836987003835',
      text: 'Love these!',
      product_items: [
        { product_retailer_id: 'di9ozbzfi4', quantity: 2, item_price: 7.99, currency: 'USD' },
        { product_retailer_id: 'nqryix03ez', quantity: 1, item_price: 19.0, currency: 'USD' },
      ],
    },
  }),
  system: (oldWaId: string, newWaId: string): Json => ({
    type: 'system',
    system: {
      body: `User Sheena Nelson changed from ${oldWaId} to ${newWaId}`,
      wa_id: newWaId,
      type: 'user_changed_number',
    },
  }),
  referral: (): Json => ({
    type: 'text',
    text: { body: 'Can I get more info about this?' },
    referral: {
      source_url: 'https://fb.me/3cr4Wqqkv',
      source_id: '120226305854810726',
      source_type: 'ad',
      body: 'Chat with us about our new line of succulents!',
      headline: 'New Succulents!',
      media_type: 'image',
      image_url: 'https://scontent.xx.fbcdn.net/v/t45.1600-4/ad-image.png',
      ctwa_clid:
        'ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM-GABDLOPaOdRMv',
    },
  }),
  unsupported: (): Json => ({
    type: 'unsupported',
    unsupported: { type: 'edit' },
    errors: [
      {
        code: 131051,
        title: 'Message type unknown',
        message: 'Message type unknown',
        error_data: { details: 'Message type is currently not supported.' },
      },
    ],
  }),
  unknown: (): Json => ({
    type: 'unknown',
    errors: [
      {
        code: 131051,
        details: 'Message type is not currently supported',
        title: 'Unsupported message type',
      },
    ],
  }),
};
