import { Conversation, Message, Note } from '../../core/http/messaging.model';

export type ConversationFilter = 'open' | 'closed' | 'all';

/** Whose conversations the list shows: everyone's, the signed-in user's, or nobody's. */
export type AssigneeFilter = 'all' | 'me' | 'none';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

/** A WhatsApp message template (`GET /api/whatsapp/templates` → `{data: [...]}`). */
export interface MessageTemplate {
  readonly id?: string;
  readonly name: string;
  readonly language: string;
  readonly status?: string;
  readonly category?: string;
  readonly components?: readonly TemplateComponent[];
}

export interface TemplateComponent {
  readonly type: string;
  readonly text?: string;
}

/** Body of `POST /api/conversations/:id/messages` (docs/inbox-api.md, "Sending"). */
export type SendMessageBody =
  | { readonly text: string; readonly reply_to_message_id?: number }
  | { readonly template: { readonly name: string; readonly language: string } };

export interface ConversationPatch {
  readonly is_active?: boolean;
  readonly read?: true;
  /** A workspace member's user id, or null to unassign. */
  readonly assignee_id?: number | null;
}

/**
 * Body of `PATCH /api/contacts/:id`: the name operators gave the contact (trimmed, 1 to
 * 200 characters), or null to show the WhatsApp profile name again.
 */
export interface ContactPatch {
  readonly name: string | null;
}

/**
 * A message as the thread shows it. `client_key` is stable across the swap from the
 * optimistic "pending" bubble to the server's message, so the bubble is not redrawn.
 */
export type ThreadMessage = Message & {
  readonly client_key: string;
  /** Set when sending failed before the server accepted the message. */
  readonly local_error?: string | null;
  /** What to send again on Retry. */
  readonly local_body?: SendMessageBody;
};

export interface ThreadState {
  readonly conversationId: number;
  /** Oldest first. */
  readonly messages: readonly ThreadMessage[];
  readonly status: LoadStatus;
  readonly error: string | null;
  /** Cursor for the next older page, null when the first message is loaded. */
  readonly nextBeforeId: number | null;
  readonly loadingOlder: boolean;
  readonly olderError: string | null;
  /** The server refused a free-form message: the 24-hour window is closed. */
  readonly windowClosed: boolean;
  readonly windowMessage: string | null;
}

/** Whether a free-form message may be sent (WhatsApp's 24-hour customer service window). */
export type WindowState = 'open' | 'closed' | 'unknown';

export type SendOutcome =
  | { readonly kind: 'sent' }
  | { readonly kind: 'window-closed'; readonly message: string }
  | { readonly kind: 'failed'; readonly message: string };

export type NotesStatus = 'idle' | 'loading' | 'loaded' | 'error';

/** A conversation's internal notes, as far as they were loaded. */
export interface NotesState {
  readonly status: NotesStatus;
  /** Oldest first. */
  readonly notes: readonly Note[];
  readonly error: string | null;
}

export type TemplatesState =
  | { readonly status: 'idle' | 'loading' }
  | { readonly status: 'ready'; readonly data: readonly MessageTemplate[] }
  | { readonly status: 'error'; readonly message: string };

export type { Conversation, Message, Note };
