/**
 * Shapes of the messaging API (SPEC.md and docs/inbox-api.md), shared by the dashboard,
 * the inbox and the live events stream. Hand-written until the API settles; then they are
 * generated from `/docs-json` (STYLE §10). Fields beyond SPEC are optional because a
 * SPEC-only server may not send them.
 */

export type MessageStatus = 'received' | 'pending' | 'sent' | 'delivered' | 'read' | 'failed';

export interface Message {
  readonly id: number;
  readonly wa_message_id: string | null;
  readonly contact_id: number;
  /** WhatsApp message type: text, image, video, audio, document, sticker, template, … */
  readonly type: string;
  readonly content: string | null;
  readonly is_outbound: boolean;
  readonly status: MessageStatus;
  readonly timestamp: string;
  readonly conversation_id?: number | null;
  readonly media_id?: string | null;
  readonly mime_type?: string | null;
  readonly file_name?: string | null;
  readonly has_media?: boolean;
  readonly reply_to_wa_message_id?: string | null;
  readonly error_code?: string | number | null;
  readonly error_title?: string | null;
  readonly created_at?: string;
  /**
   * The workspace member who sent an outbound message (from the inbox or the API); null
   * for inbound messages and for replies stored before the server recorded it.
   */
  readonly sent_by_user_id?: number | null;
}

export interface Contact {
  readonly id: number;
  readonly wa_id: string;
  readonly name: string | null;
  readonly profile_name: string | null;
  readonly created_at: string;
}

export interface Conversation {
  readonly id: number;
  readonly contact_id: number;
  readonly started_at: string;
  readonly last_message_at: string | null;
  readonly is_active: boolean;
  readonly unread_count?: number;
  readonly contact?: Contact;
  readonly last_message?: Message | null;
  /** The WhatsApp number the customer wrote to; null until one is assigned. */
  readonly whatsapp_number?: ConversationNumber | null;
  /** The workspace member handling the conversation; null while nobody is. */
  readonly assignee?: ConversationAssignee | null;
}

/** A conversation's assignee (`assignee`): a member of the workspace, by user id. */
export interface ConversationAssignee {
  readonly id: number;
  readonly name: string;
  readonly email: string;
}

/** A conversation's WhatsApp number (`whatsapp_number`): no credentials, ever. */
export interface ConversationNumber {
  readonly id: number;
  readonly phone_number_id: string;
  readonly display_phone_number: string | null;
}

/**
 * An internal note on a conversation: written by a teammate, never sent to the customer
 * (`GET`/`POST /api/conversations/:id/notes`, live event `note.created`).
 */
export interface Note {
  readonly id: number;
  readonly conversation_id: number;
  /** Null when the teammate who wrote it no longer exists. */
  readonly author: NoteAuthor | null;
  readonly body: string;
  readonly created_at: string;
}

export interface NoteAuthor {
  readonly id: number;
  readonly name: string;
}

/** `GET /api/conversations/:id/notes`: oldest first, the latest 500 at most. */
export interface NoteList {
  readonly notes: Note[];
}

export interface MessagePage {
  readonly messages: Message[];
  readonly next_before_id?: number | null;
}

export interface ConversationPage {
  readonly conversations: Conversation[];
  readonly next_before_id?: number | null;
}

/** The name shown for a contact: saved name, then WhatsApp profile name, then number. */
export function contactDisplayName(contact: Contact | undefined | null): string {
  if (!contact) {
    return 'Unknown contact';
  }
  return contact.name?.trim() || contact.profile_name?.trim() || formatPhone(contact.wa_id);
}

/**
 * How operators recognise one of their numbers: as customers see it ("+1 555 078 3881"),
 * else Meta's phone number id until a webhook has told us the display number.
 */
export function numberLabel(number: ConversationNumber): string {
  const display = number.display_phone_number?.trim();
  return display ? formatPhone(display) : `ID ${number.phone_number_id}`;
}

/** WhatsApp ids are international numbers without the plus sign. */
export function formatPhone(waId: string): string {
  return /^\d+$/.test(waId) ? `+${waId}` : waId;
}

/**
 * Up to two initials for an avatar: the first letter or digit of the first two words that
 * have one, so "Ana (VIP order)" is "AV", "Ana – wholesale" "AW" and "+351 912" "3".
 */
export function nameInitials(name: string): string {
  const firsts = name
    .split(/\s+/)
    .map((word) => /[\p{L}\p{N}]/u.exec(word)?.[0])
    .filter((c): c is string => c !== undefined);
  return firsts.slice(0, 2).join('').toUpperCase() || '#';
}

/** One line describing a message, for previews and activity lists. */
export function messagePreview(message: Message | null | undefined): string {
  if (!message) {
    return '';
  }
  const text = message.content?.trim();
  switch (message.type) {
    case 'text':
      return text || '';
    case 'image':
      return text ? `📷 ${text}` : '📷 Photo';
    case 'video':
      return text ? `🎥 ${text}` : '🎥 Video';
    case 'audio':
      return '🎤 Audio';
    case 'document':
      return `📄 ${message.file_name || text || 'Document'}`;
    case 'sticker':
      return 'Sticker';
    case 'location':
      return '📍 Location';
    case 'template':
      return text || 'Template message';
    case 'reaction':
      return text ? `Reacted ${text}` : 'Reaction';
    default:
      return text || `[${message.type}]`;
  }
}
