/**
 * Builders for the webhook notifications Meta sends: customer messages of every documented
 * type, message statuses, and the envelope around them. Shapes follow Meta's "messages webhook
 * reference" pages (…/whatsapp/webhooks/reference/messages/<type>). Exported so tests can build
 * the same payloads the emulator sends.
 */
import { createIdSource, type IdSource } from './ids.js';
import type { WebhookError } from './errors.js';

/** What a customer can send; some kinds share a wire `type` (voice is audio, replies are interactive). */
export const INBOUND_KINDS = [
  'text',
  'image',
  'video',
  'audio',
  'voice',
  'document',
  'sticker',
  'location',
  'contacts',
  'interactive',
  'button_reply',
  'list_reply',
  'nfm_reply',
  'button',
  'reaction',
  'order',
  'system',
  'referral',
  'unsupported',
  'unknown',
] as const;
export type InboundKind = (typeof INBOUND_KINDS)[number];

export const MEDIA_KINDS = ['image', 'video', 'audio', 'voice', 'document', 'sticker'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

export function isInboundKind(value: unknown): value is InboundKind {
  return typeof value === 'string' && (INBOUND_KINDS as readonly string[]).includes(value);
}

export function isMediaKind(kind: InboundKind): kind is MediaKind {
  return (MEDIA_KINDS as readonly string[]).includes(kind);
}

/** The `messages[]` property of a media kind (voice notes arrive as `audio`). */
export function mediaField(kind: MediaKind): 'image' | 'video' | 'audio' | 'document' | 'sticker' {
  return kind === 'voice' ? 'audio' : kind;
}

export type JsonObject = { [key: string]: unknown };

/** One entry of `value.messages[]`. Type-specific objects stay loose: the payload is Meta's contract. */
export interface InboundMessage extends JsonObject {
  from: string;
  id: string;
  timestamp: string;
  type: string;
  context?: JsonObject;
  referral?: JsonObject;
  errors?: JsonObject[];
}

/** Overrides are deep-merged over the defaults; arrays replace, `undefined` removes a key. */
export type InboundOverrides = JsonObject;

export interface BuildEnvironment {
  ids?: Pick<IdSource, 'wamid' | 'numericId'>;
  /** Milliseconds since epoch. */
  now?: () => number;
  /** Digits of the business number; used for `context.from` of replies. */
  businessNumber?: string;
  /** Profile name, used in the `system` message body. */
  name?: string;
}

const fallbackIds = createIdSource(undefined);

export const DEFAULT_CUSTOMER = { waId: '15550001234', name: 'Sheena Nelson' } as const;

/** Placeholder hash for media that was not registered (base64 SHA-256, as Meta sends it). */
const PLACEHOLDER_SHA256 = '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';

function isPlainObject(value: unknown): value is JsonObject {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value)
  );
}

export function deepMerge(base: JsonObject, overrides: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) {
      delete out[key];
    } else if (isPlainObject(value) && isPlainObject(out[key])) {
      out[key] = deepMerge(out[key], value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

function typeBody(kind: InboundKind, from: string, env: Required<BuildEnvironment>): JsonObject {
  const ids = env.ids;
  const replyContext = { from: env.businessNumber, id: ids.wamid(from) };
  const media = (mimeType: string, extra: JsonObject = {}): JsonObject => ({
    mime_type: mimeType,
    sha256: PLACEHOLDER_SHA256,
    id: ids.numericId(),
    ...extra,
  });
  switch (kind) {
    case 'text':
      return { type: 'text', text: { body: 'Hello! Is my order on its way?' } };
    case 'image':
      return { type: 'image', image: media('image/jpeg', { caption: 'Photo of the parcel' }) };
    case 'video':
      return { type: 'video', video: media('video/mp4') };
    case 'audio':
      return { type: 'audio', audio: media('audio/mpeg', { voice: false }) };
    case 'voice':
      // Voice notes are `audio` messages flagged `voice: true` (Opus in Ogg).
      return { type: 'audio', audio: media('audio/ogg; codecs=opus', { voice: true }) };
    case 'document':
      return {
        type: 'document',
        document: media('application/pdf', { filename: 'invoice-0042.pdf' }),
      };
    case 'sticker':
      return { type: 'sticker', sticker: media('image/webp', { animated: false }) };
    case 'location':
      // Non-ASCII on purpose: Meta escapes it as \uXXXX and signs the escaped bytes.
      return {
        type: 'location',
        location: {
          latitude: 38.7077507,
          longitude: -9.1365919,
          name: 'Praça do Comércio',
          address: 'Praça do Comércio, 1100-148 Lisboa',
        },
      };
    case 'contacts':
      return {
        type: 'contacts',
        contacts: [
          {
            name: {
              formatted_name: 'Barbara Johnson',
              first_name: 'Barbara',
              last_name: 'Johnson',
            },
            phones: [{ phone: '+1 (555) 010-2030', wa_id: '15550102030', type: 'CELL' }],
            emails: [{ email: 'barbara@example.com', type: 'WORK' }],
            org: { company: 'Lucky Shrub', title: 'Buyer' },
            urls: [{ url: 'https://www.luckyshrub.com', type: 'WORK' }],
            birthday: '1990-05-12',
          },
        ],
      };
    case 'interactive':
    case 'button_reply':
      return {
        type: 'interactive',
        context: replyContext,
        interactive: {
          type: 'button_reply',
          button_reply: { id: 'confirm-order', title: 'Confirm' },
        },
      };
    case 'list_reply':
      return {
        type: 'interactive',
        context: replyContext,
        interactive: {
          type: 'list_reply',
          list_reply: {
            id: 'slot-tomorrow-10',
            title: 'Tomorrow 10:00',
            description: 'Morning delivery',
          },
        },
      };
    case 'nfm_reply':
      // WhatsApp Flows: `response_json` is a JSON *string* holding the flow token and answers.
      return {
        type: 'interactive',
        context: replyContext,
        interactive: {
          type: 'nfm_reply',
          nfm_reply: {
            name: 'flow',
            body: 'Sent',
            response_json: JSON.stringify({
              flow_token: 'flow-token-1',
              rating: '5',
              comment: 'Great service',
            }),
          },
        },
      };
    case 'button':
      // A tap on a template's quick-reply button arrives as `button`, not `interactive`.
      return {
        type: 'button',
        context: replyContext,
        button: { text: 'Yes', payload: 'confirm-yes' },
      };
    case 'reaction':
      // An empty emoji means the customer removed their reaction.
      return { type: 'reaction', reaction: { message_id: ids.wamid(from), emoji: '\u{1F44D}' } };
    case 'order':
      return {
        type: 'order',
        order: {
          catalog_id: '194836987003835',
          text: 'Love these!',
          product_items: [
            { product_retailer_id: 'di9ozbzfi4', quantity: 2, item_price: 7.99, currency: 'USD' },
          ],
        },
      };
    case 'system': {
      const newWaId = '12195555358';
      return {
        type: 'system',
        system: {
          body: `User ${env.name} changed from ${from} to ${newWaId}`,
          wa_id: newWaId,
          type: 'user_changed_number',
        },
      };
    }
    case 'referral':
      // Click-to-WhatsApp ads: an ordinary message carrying a `referral` object.
      return {
        type: 'text',
        text: { body: 'Hi, I saw your ad. Is this still available?' },
        referral: {
          source_url: 'https://fb.me/3cr4Wqqkv',
          source_id: '120226305854810726',
          source_type: 'ad',
          headline: 'Spring sale: 20% off',
          body: 'Chat with us to order.',
          media_type: 'image',
          image_url: 'https://scontent.xx.fbcdn.net/v/t45.1600-4/ad-image.jpg',
          ctwa_clid:
            'ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM-GABDLOPaOdRMv-_zfUQ2a',
        },
      };
    case 'unsupported':
      return {
        type: 'unsupported',
        errors: [
          {
            code: 131051,
            title: 'Message type unknown',
            message: 'Message type unknown',
            error_data: { details: 'Message type is currently not supported.' },
          },
        ],
        unsupported: { type: 'poll_creation' },
      };
    case 'unknown':
      // Older API versions used `type: "unknown"` for the same situation.
      return {
        type: 'unknown',
        errors: [
          {
            code: 131051,
            details: 'Message type is not currently supported',
            title: 'Unsupported message type',
          },
        ],
      };
  }
}

/**
 * One customer message as Meta puts it in `value.messages[]`, e.g.
 * `buildInboundMessage('image', { from: '351910000000', image: { caption: 'Olá' } })`.
 */
export function buildInboundMessage(
  kind: InboundKind,
  overrides: InboundOverrides = {},
  environment: BuildEnvironment = {},
): InboundMessage {
  const env: Required<BuildEnvironment> = {
    ids: environment.ids ?? fallbackIds,
    now: environment.now ?? Date.now,
    businessNumber: environment.businessNumber ?? '15550783881',
    name: environment.name ?? DEFAULT_CUSTOMER.name,
  };
  const from = typeof overrides.from === 'string' ? overrides.from : DEFAULT_CUSTOMER.waId;
  const base: JsonObject = {
    from,
    id: env.ids.wamid(from),
    timestamp: unixSeconds(env.now()),
    ...typeBody(kind, from, env),
  };
  return deepMerge(base, overrides) as InboundMessage;
}

export function unixSeconds(ms: number): string {
  return String(Math.floor(ms / 1000));
}

export interface WebhookContact {
  profile: { name: string };
  wa_id: string;
}

export type StatusValue = 'sent' | 'delivered' | 'read' | 'failed' | 'deleted';

export interface MessageStatus extends JsonObject {
  id: string;
  status: StatusValue;
  timestamp: string;
  recipient_id: string;
  conversation?: { id: string; expiration_timestamp?: string; origin: { type: string } };
  pricing?: { billable: boolean; pricing_model: string; type?: string; category: string };
  errors?: WebhookError[];
}

export interface WebhookChangeValue extends JsonObject {
  messaging_product: 'whatsapp';
  metadata: { display_phone_number: string; phone_number_id: string };
  contacts?: WebhookContact[];
  messages?: InboundMessage[];
  statuses?: MessageStatus[];
  errors?: WebhookError[];
}

export interface WebhookPayload {
  object: 'whatsapp_business_account';
  entry: Array<{ id: string; changes: Array<{ value: WebhookChangeValue; field: 'messages' }> }>;
}

export interface WebhookPayloadInput {
  wabaId: string;
  phoneNumberId: string;
  /** Digits only, as in webhooks ("15550783881"), unlike the API's "+1 555-078-3881". */
  displayPhoneNumber: string;
  contacts?: WebhookContact[];
  messages?: InboundMessage[];
  statuses?: MessageStatus[];
  errors?: WebhookError[];
}

/** The notification envelope: one entry (the WABA) with one `messages` change. */
export function buildWebhookPayload(input: WebhookPayloadInput): WebhookPayload {
  const value: WebhookChangeValue = {
    messaging_product: 'whatsapp',
    metadata: {
      display_phone_number: input.displayPhoneNumber,
      phone_number_id: input.phoneNumberId,
    },
    ...(input.contacts ? { contacts: input.contacts } : {}),
    ...(input.messages ? { messages: input.messages } : {}),
    ...(input.statuses ? { statuses: input.statuses } : {}),
    ...(input.errors ? { errors: input.errors } : {}),
  };
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: input.wabaId, changes: [{ value, field: 'messages' }] }],
  };
}

/**
 * `contacts[]` for an inbound notification. Meta omits it for `system` messages (the
 * customer's identity is what changed).
 */
export function contactsFor(message: InboundMessage, name: string): WebhookContact[] | undefined {
  return message.type === 'system' ? undefined : [{ profile: { name }, wa_id: message.from }];
}
