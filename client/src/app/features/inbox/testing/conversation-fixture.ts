import { Contact, Conversation } from '../../../core/http/messaging.model';

/** A customer whose name is her WhatsApp profile name. */
export const ANA: Contact = {
  id: 70,
  wa_id: '37125550070',
  name: 'Ana',
  profile_name: 'Ana',
  created_at: '2026-11-01T00:00:00Z',
};

/**
 * An open, unassigned conversation of `contact` for inbox specs, without messages; a
 * higher id is a minute older, so lists built from several keep their order.
 */
export function conversationOf(id: number, contact: Contact, now = Date.now()): Conversation {
  return {
    id,
    contact_id: contact.id,
    started_at: '2026-11-01T00:00:00Z',
    last_message_at: new Date(now - id * 60_000).toISOString(),
    is_active: true,
    unread_count: 0,
    contact,
    last_message: null,
    assignee: null,
  };
}
