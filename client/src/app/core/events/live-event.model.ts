import { Conversation, Message, Note } from '../http/messaging.model';

/** Server-sent events of `GET /api/events` (docs/inbox-api.md, "Live events"). */
export type LiveEvent =
  | {
      readonly type: 'message.created';
      readonly id: string;
      readonly data: { readonly message: Message; readonly conversation: Conversation };
    }
  | {
      readonly type: 'message.updated';
      readonly id: string;
      readonly data: { readonly message: Message };
    }
  | {
      readonly type: 'conversation.updated';
      readonly id: string;
      readonly data: { readonly conversation: Conversation };
    }
  | {
      /** A teammate added an internal note; sent to every member, its author included. */
      readonly type: 'note.created';
      readonly id: string;
      readonly data: { readonly note: Note };
    };

export type LiveEventType = LiveEvent['type'];

export const LIVE_EVENT_TYPES: readonly LiveEventType[] = [
  'message.created',
  'message.updated',
  'conversation.updated',
  'note.created',
];

/**
 * Parses one SSE frame into a typed event, or null when the payload is not what the
 * contract promises (never throw inside an EventSource listener).
 */
export function parseLiveEvent(type: string, id: string, raw: string): LiveEvent | null {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null) {
    return null;
  }
  const record = data as Record<string, unknown>;
  switch (type) {
    case 'message.created':
      return isObject(record['message']) && isObject(record['conversation'])
        ? {
            type,
            id,
            data: {
              message: record['message'] as unknown as Message,
              conversation: record['conversation'] as unknown as Conversation,
            },
          }
        : null;
    case 'message.updated':
      return isObject(record['message'])
        ? { type, id, data: { message: record['message'] as unknown as Message } }
        : null;
    case 'conversation.updated':
      return isObject(record['conversation'])
        ? { type, id, data: { conversation: record['conversation'] as unknown as Conversation } }
        : null;
    case 'note.created':
      // The store files the note under its conversation and renders its body as text.
      return isObject(record['note']) &&
        typeof record['note']['conversation_id'] === 'number' &&
        typeof record['note']['body'] === 'string'
        ? { type, id, data: { note: record['note'] as unknown as Note } }
        : null;
    default:
      return null;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && 'id' in value;
}
