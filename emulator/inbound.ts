/**
 * Customer → business messages: builds the message, registers its media so the app can
 * download it through GET /{media-id}, and delivers the signed notification.
 */
import type { Dispatcher } from './dispatcher.js';
import {
  buildInboundMessage,
  buildWebhookPayload,
  contactsFor,
  deepMerge,
  DEFAULT_CUSTOMER,
  isInboundKind,
  isMediaKind,
  mediaField,
  type InboundKind,
  type InboundMessage,
  type JsonObject,
  type MediaKind,
  type WebhookPayload,
} from './payloads.js';
import {
  describeMedia,
  type EmulatorState,
  type MediaInfo,
  type MediaRecord,
  type WebhookRecord,
} from './state.js';
import type { DeliveryAttempt } from './webhook-sender.js';

export interface InboundMediaInput {
  data?: Buffer;
  dataBase64?: string;
  /** UTF-8 text as the file content, handy for documents in tests. */
  text?: string;
  mimeType?: string;
  filename?: string;
}

/**
 * What to send. Besides the shorthands below, any other key is a Meta message field deep-merged
 * into the built message (e.g. `{ type: 'image', image: { caption: 'Olá' } }`).
 */
export interface InboundInput {
  type?: InboundKind;
  from?: string;
  /** Profile name in `contacts[0].profile.name`. */
  name?: string;
  /** Text body shorthand for `text` and `referral` kinds. */
  text?: string | JsonObject;
  /** Marks the message as a reply to this wamid (`context.from` + `context.id`). */
  replyTo?: string;
  forwarded?: boolean;
  frequentlyForwarded?: boolean;
  /** Bytes for media kinds; a small sample file is registered when omitted. */
  media?: InboundMediaInput;
  [messageField: string]: unknown;
}

export interface InboundResult {
  messageId: string;
  message: InboundMessage;
  payload: WebhookPayload;
  media?: MediaInfo;
  delivery: {
    ok: boolean;
    status: number | null;
    attempts: DeliveryAttempt[];
    raw: string;
    signature: string;
  };
}

export class InboundInputError extends Error {}

// A valid 1×1 PNG, so apps that thumbnail images get something decodable.
const SAMPLE_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

function sampleMedia(kind: MediaKind): { data: Buffer; mimeType: string } {
  switch (kind) {
    case 'image':
      return { data: SAMPLE_PNG, mimeType: 'image/png' };
    case 'document':
      return {
        data: Buffer.from('%PDF-1.4\n% No Lose emulator sample\n%%EOF\n'),
        mimeType: 'application/pdf',
      };
    case 'sticker':
      return {
        data: Buffer.from('RIFF\u0000\u0000\u0000\u0000WEBPVP8 emulator-sticker'),
        mimeType: 'image/webp',
      };
    case 'voice':
      return { data: Buffer.from('OggS emulator voice note'), mimeType: 'audio/ogg; codecs=opus' };
    case 'audio':
      return { data: Buffer.from('ID3 emulator audio'), mimeType: 'audio/mpeg' };
    case 'video':
      return {
        data: Buffer.from('\u0000\u0000\u0000\u0018ftypmp42 emulator video'),
        mimeType: 'video/mp4',
      };
  }
}

function mediaBytes(input: InboundMediaInput | undefined): Buffer | undefined {
  if (input?.data) {
    return input.data;
  }
  if (input?.dataBase64 !== undefined) {
    return Buffer.from(input.dataBase64, 'base64');
  }
  return input?.text === undefined ? undefined : Buffer.from(input.text, 'utf8');
}

export async function sendInbound(
  state: EmulatorState,
  dispatcher: Dispatcher,
  input: InboundInput,
): Promise<InboundResult> {
  const {
    type = 'text',
    from,
    name,
    text,
    replyTo,
    forwarded,
    frequentlyForwarded,
    media,
    ...fields
  } = input;
  if (!isInboundKind(type)) {
    throw new InboundInputError(`Unknown inbound type "${String(type)}"`);
  }
  const overrides: JsonObject = { ...fields, from: from ?? DEFAULT_CUSTOMER.waId };
  if (text !== undefined) {
    overrides.text = typeof text === 'string' ? { body: text } : text;
  }
  if (replyTo !== undefined) {
    overrides.context = { from: state.businessNumber, id: replyTo };
  } else if (forwarded || frequentlyForwarded) {
    // Meta marks forwards in `context` ("forwarded" or, past 5 hops, "frequently_forwarded").
    overrides.context = frequentlyForwarded ? { frequently_forwarded: true } : { forwarded: true };
  }

  let registered: MediaRecord | undefined;
  if (isMediaKind(type)) {
    const field = mediaField(type);
    const given = (fields[field] ?? {}) as JsonObject;
    const sample = sampleMedia(type);
    const bytes = mediaBytes(media) ?? sample.data;
    const mimeType =
      media?.mimeType ?? (typeof given.mime_type === 'string' ? given.mime_type : sample.mimeType);
    const filename =
      media?.filename ?? (typeof given.filename === 'string' ? given.filename : undefined);
    registered = state.addMedia({
      data: bytes,
      mimeType,
      source: 'inbound',
      ...(filename === undefined ? {} : { filename }),
      ...(typeof given.id === 'string' ? { id: given.id } : {}),
    });
    // Inbound webhooks carry the digest base64-encoded (GET /{media-id} reports hex).
    overrides[field] = deepMerge(
      { id: registered.id, mime_type: registered.mimeType, sha256: registered.sha256Base64 },
      { ...given, ...(filename === undefined ? {} : { filename }) },
    );
  }

  const customerName = name ?? DEFAULT_CUSTOMER.name;
  const message = buildInboundMessage(type, overrides, {
    ids: state.ids,
    now: state.clock,
    businessNumber: state.businessNumber,
    name: customerName,
  });
  state.inboundIds.add(message.id);
  const contacts = contactsFor(message, customerName);
  const payload = buildWebhookPayload({
    wabaId: state.identity.wabaId,
    phoneNumberId: state.identity.phoneNumberId,
    displayPhoneNumber: state.businessNumber,
    ...(contacts ? { contacts } : {}),
    messages: [message],
  });
  const record: WebhookRecord = await dispatcher.notify('message', payload);
  return {
    messageId: message.id,
    message,
    payload,
    ...(registered ? { media: describeMedia(registered) } : {}),
    delivery: {
      ok: record.ok,
      status: record.status,
      attempts: record.attempts,
      raw: record.raw,
      signature: record.signature,
    },
  };
}
