import type { ContactProfile, InboundMessageInput, StatusInput } from '../inbox/ingest-input.js';

/**
 * Pure normalisation of the objects inside a `messages` webhook change: customers
 * (`contacts[]`), their messages (`messages[]`) and delivery statuses (`statuses[]`).
 * Shapes: Meta's messages webhook reference,
 * https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/reference/messages
 * and the business-scoped user id changes,
 * https://developers.facebook.com/docs/whatsapp/cloud-api/business-scoped-user-ids
 *
 * Nothing here throws on a malformed payload: a field of the wrong type is treated as
 * missing and reported in `problems`, so one odd item never costs the rest of the batch.
 */

type Json = Record<string, unknown>;

export interface Normalized<T> {
  /** Absent when the item cannot be stored (no id, no sender…). */
  value?: T;
  problems: string[];
}

/** Types whose payload object is a media reference (`{id, mime_type, sha256, …}`). */
const MEDIA_TYPES = new Set(['image', 'video', 'audio', 'document', 'sticker']);

// PostgreSQL integer range: an error code outside it is kept in error_details instead.
const INT4_MAX = 2_147_483_647;
// Unix seconds up to the year 9999: anything beyond is not a real Meta timestamp.
const MAX_UNIX_SECONDS = 253_402_300_799;

export function asObject(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Json)
    : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A non-empty string; numbers are accepted as their decimal form (ids sometimes are). */
export function asString(value: unknown): string | null {
  if (typeof value === 'string') return value.length > 0 ? value : null;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function asInteger(value: unknown): number | null {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && Math.abs(n) <= INT4_MAX ? n : null;
}

function asNumber(value: unknown): number | null {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

/** Meta's `timestamp`: Unix seconds, as a string (or a number). */
export function parseMetaTimestamp(value: unknown): Date | null {
  const seconds = asNumber(value);
  if (seconds === null || seconds <= 0 || seconds > MAX_UNIX_SECONDS) return null;
  return new Date(Math.round(seconds * 1000));
}

function joinPresent(parts: (string | null | undefined)[], separator: string): string | null {
  const present = parts.filter((p): p is string => typeof p === 'string' && p.trim() !== '');
  return present.length > 0 ? present.join(separator) : null;
}

interface MetaError {
  code: number | null;
  title: string | null;
  details: string | null;
}

/** Meta's `errors[0]`: `{code, title, message, error_data: {details}}` (older: `details`). */
export function firstError(errors: unknown): MetaError | null {
  const error = asObject(asArray(errors)[0]);
  if (!error) return null;
  const rawCode = asString(error.code);
  const code = asInteger(error.code);
  const details = joinPresent(
    [
      asString(asObject(error.error_data)?.details) ??
        asString(error.details) ??
        asString(error.message),
      code === null && rawCode !== null ? `code ${rawCode}` : null,
    ],
    '; ',
  );
  return { code, title: asString(error.title), details };
}

/** One `contacts[]` entry of a change: `{profile: {name, username?}, wa_id?, user_id?}`. */
export function normalizeContact(raw: unknown): ContactProfile | null {
  const contact = asObject(raw);
  if (!contact) return null;
  const waId = asString(contact.wa_id);
  const userId = asString(contact.user_id);
  if (waId === null && userId === null) return null;
  const profile = asObject(contact.profile);
  return {
    waId,
    userId,
    profileName: asString(profile?.name),
    username: asString(profile?.username),
  };
}

/** "Barbara Johnson, +1 555 010 2030" — who a shared contact card is. */
function contactCardName(card: Json): string | null {
  const name = asObject(card.name);
  return (
    asString(name?.formatted_name) ??
    joinPresent(
      [asString(name?.first_name), asString(name?.middle_name), asString(name?.last_name)],
      ' ',
    ) ??
    asString(asObject(asArray(card.phones)[0])?.phone) ??
    asString(asObject(asArray(card.emails)[0])?.email)
  );
}

function formatAmount(amount: number): string {
  return String(Math.round(amount * 100) / 100);
}

/** "Order: 3 items, 15.98 USD — Love these!" */
function orderSummary(order: Json): string {
  const items = asArray(order.product_items)
    .map(asObject)
    .filter((i): i is Json => i !== undefined);
  let count = 0;
  let total = 0;
  const currencies = new Set<string>();
  for (const item of items) {
    const quantity = asNumber(item.quantity) ?? 1;
    count += quantity;
    const price = asNumber(item.item_price);
    if (price !== null) total += price * quantity;
    const currency = asString(item.currency);
    if (currency) currencies.add(currency);
  }
  const totalText =
    currencies.size === 1 && total > 0 ? `, ${formatAmount(total)} ${[...currencies][0]}` : '';
  const summary = `Order: ${count} ${count === 1 ? 'item' : 'items'}${totalText}`;
  const text = asString(order.text);
  return text ? `${summary} — ${text}` : summary;
}

/**
 * A WhatsApp Flow answer (`nfm_reply`): `response_json` is a JSON string holding the
 * flow token and the answers; the answers are what an operator wants to read.
 */
function flowReplySummary(reply: Json): string | null {
  const responseJson = asString(reply.response_json);
  if (responseJson) {
    try {
      const answers = asObject(JSON.parse(responseJson));
      const shown = Object.entries(answers ?? {})
        .filter(
          ([key, value]) => key !== 'flow_token' && value !== null && typeof value !== 'object',
        )
        .map(([key, value]) => `${key}: ${String(value)}`);
      if (shown.length > 0) return shown.join(', ');
    } catch {
      // Not JSON after all: fall back to the body Meta shows in the chat.
    }
  }
  return asString(reply.body) ?? asString(reply.name);
}

/** The readable text of a message, per type. */
function readableContent(type: string, message: Json, problems: string[]): string | null {
  const body = asObject(message[type]);
  switch (type) {
    case 'text': {
      const text = asString(body?.body);
      if (text === null) problems.push('text.body is missing or not a string');
      return text;
    }
    case 'image':
    case 'video':
    case 'audio':
    case 'sticker':
      return asString(body?.caption);
    case 'document':
      return asString(body?.caption) ?? asString(body?.filename);
    case 'location': {
      if (!body) break;
      const place = joinPresent([asString(body.name), asString(body.address)], ', ');
      if (place) return place;
      const latitude = asNumber(body.latitude);
      const longitude = asNumber(body.longitude);
      return latitude !== null && longitude !== null ? `${latitude}, ${longitude}` : null;
    }
    case 'contacts':
      return joinPresent(
        asArray(message.contacts)
          .map(asObject)
          .map((card) => (card ? contactCardName(card) : null)),
        ', ',
      );
    case 'interactive': {
      if (!body) break;
      const kind = asString(body.type);
      const reply = kind ? asObject(body[kind]) : undefined;
      if (!reply) return null;
      if (kind === 'nfm_reply') return flowReplySummary(reply);
      // button_reply, list_reply: the title the customer tapped.
      return asString(reply.title) ?? asString(reply.id);
    }
    case 'button':
      return asString(body?.text) ?? asString(body?.payload);
    case 'reaction':
      // An empty emoji means the customer removed their reaction.
      return asString(body?.emoji);
    case 'order':
      return body ? orderSummary(body) : null;
    case 'system':
      return asString(body?.body) ?? asString(body?.type);
    case 'unsupported':
    case 'unknown':
      return null;
    default:
      // A type newer than this code: show whatever text it carries; the raw JSON is kept.
      return (
        asString(body?.body) ??
        asString(body?.text) ??
        asString(body?.caption) ??
        asString(body?.title)
      );
  }
  return null;
}

export interface MessageContext {
  /** `contacts[]` of the same change, to find the sender's profile. */
  contacts: ContactProfile[];
  /** Used when Meta's timestamp is unreadable. */
  receivedAt: Date;
}

function findProfile(
  contacts: ContactProfile[],
  waId: string | null,
  userId: string | null,
): ContactProfile | undefined {
  return (
    contacts.find((c) => waId !== null && c.waId === waId) ??
    contacts.find((c) => userId !== null && c.userId === userId)
  );
}

/** One `messages[]` entry: a customer's message of any type Meta documents (or a newer one). */
export function normalizeMessage(
  raw: unknown,
  context: MessageContext,
): Normalized<InboundMessageInput> {
  const problems: string[] = [];
  const message = asObject(raw);
  if (!message) return { problems: ['not an object: skipped'] };
  const waMessageId = asString(message.id);
  if (waMessageId === null) return { problems: ['no message id: skipped'] };

  // `from` is the phone number; `from_user_id` the BSUID, present beside it or instead of
  // it (users with usernames). contacts[] carries the other half and the profile.
  const from = asString(message.from);
  const fromUserId = asString(message.from_user_id);
  let profile = findProfile(context.contacts, from, fromUserId);
  if (from === null && fromUserId === null) {
    // No sender on the message itself: a lone contacts[] entry can only be the sender.
    if (context.contacts.length === 1) {
      profile = context.contacts[0];
    } else {
      return { problems: [`${waMessageId}: no sender (from / from_user_id): skipped`] };
    }
  }
  const contact: ContactProfile = {
    waId: from ?? profile?.waId ?? null,
    userId: fromUserId ?? profile?.userId ?? null,
    profileName: profile?.profileName ?? null,
    username: profile?.username ?? null,
  };

  let timestamp = parseMetaTimestamp(message.timestamp);
  if (timestamp === null) {
    problems.push(
      `${waMessageId}: unreadable timestamp ${JSON.stringify(message.timestamp ?? null)}; receive time used`,
    );
    timestamp = context.receivedAt;
  }

  const type = asString(message.type) ?? 'unknown';
  const content = readableContent(type, message, problems);
  const body = asObject(message[type]);
  const media = MEDIA_TYPES.has(type) ? body : undefined;
  const messageContext = asObject(message.context);
  const error = firstError(message.errors);
  const replyTo =
    type === 'reaction'
      ? (asString(body?.message_id) ?? asString(messageContext?.id))
      : asString(messageContext?.id);

  return {
    value: {
      waMessageId,
      contact,
      timestamp,
      messageType: type,
      content,
      mediaId: asString(media?.id),
      mimeType: asString(media?.mime_type),
      sha256: asString(media?.sha256),
      fileName: type === 'document' ? asString(media?.filename) : null,
      replyToWaMessageId: replyTo,
      forwarded:
        messageContext?.forwarded === true || messageContext?.frequently_forwarded === true,
      referral: asObject(message.referral) ?? null,
      errorCode: error?.code ?? null,
      errorTitle: error?.title ?? null,
      errorDetails: error?.details ?? null,
      raw: message,
    },
    problems: problems.map((p) => (p.startsWith(waMessageId) ? p : `${waMessageId}: ${p}`)),
  };
}

/** One `statuses[]` entry: a delivery report for a message the business sent. */
export function normalizeStatus(raw: unknown, receivedAt: Date): Normalized<StatusInput> {
  const status = asObject(raw);
  if (!status) return { problems: ['not an object: skipped'] };
  const waMessageId = asString(status.id);
  const value = asString(status.status)?.toLowerCase() ?? null;
  if (waMessageId === null || value === null) {
    return {
      problems: [`status without id or status (${JSON.stringify(status.id ?? null)}): skipped`],
    };
  }
  const problems: string[] = [];
  let timestamp = parseMetaTimestamp(status.timestamp);
  if (timestamp === null) {
    problems.push(`${waMessageId} ${value}: unreadable timestamp; receive time used`);
    timestamp = receivedAt;
  }
  const error = firstError(status.errors);
  return {
    value: {
      waMessageId,
      status: value,
      timestamp,
      recipientId: asString(status.recipient_id),
      recipientUserId: asString(status.recipient_user_id),
      errorCode: error?.code ?? null,
      errorTitle: error?.title ?? null,
      errorDetails: error?.details ?? null,
      raw: status,
    },
    problems,
  };
}
