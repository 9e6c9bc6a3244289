import type { ContactProfile, InboundMessageInput, StatusInput } from '../inbox/ingest-input.js';
import {
  asArray,
  asObject,
  asString,
  firstError,
  normalizeContact,
  normalizeMessage,
  normalizeStatus,
} from './meta-message.js';

/** The `object` of WhatsApp Business Account notifications. */
export const WHATSAPP_OBJECT = 'whatsapp_business_account';

/** One `messages` change, for one business phone number. */
export interface NotificationChange {
  phoneNumberId: string;
  displayPhoneNumber: string | null;
  messages: InboundMessageInput[];
  statuses: StatusInput[];
}

export interface ParsedNotification {
  /** Set when nothing can be derived from the payload (wrong `object`, no `entry` array…). */
  ignoredReason: string | null;
  /** Every `messages` change of every entry, in payload order. */
  changes: NotificationChange[];
  /** Items that could not be used, with their place in the payload. */
  problems: string[];
}

/**
 * Reads a webhook notification into the changes we ingest. Every entry, change, contact,
 * message and status counts (a POST may batch up to 1,000 updates); changes of other
 * fields (template status, account updates…) are kept raw in webhook_events only.
 */
export function parseNotification(body: unknown, receivedAt: Date): ParsedNotification {
  const result: ParsedNotification = { ignoredReason: null, changes: [], problems: [] };
  const root = asObject(body);
  if (!root) return { ...result, ignoredReason: 'the body is not a JSON object' };
  if (root.object !== WHATSAPP_OBJECT) {
    return {
      ...result,
      ignoredReason: `object is ${JSON.stringify(root.object ?? null)}, not "${WHATSAPP_OBJECT}"`,
    };
  }
  if (!Array.isArray(root.entry)) return { ...result, ignoredReason: 'no entry array' };

  const otherFields = new Set<string>();
  root.entry.forEach((rawEntry, e) => {
    const entry = asObject(rawEntry);
    if (!entry) {
      result.problems.push(`entry[${e}]: not an object`);
      return;
    }
    asArray(entry.changes).forEach((rawChange, c) => {
      const where = `entry[${e}].changes[${c}]`;
      const change = asObject(rawChange);
      const field = asString(change?.field);
      if (field !== 'messages') {
        otherFields.add(field ?? '(none)');
        return;
      }
      const value = asObject(change?.value);
      const metadata = asObject(value?.metadata);
      const phoneNumberId = asString(metadata?.phone_number_id);
      if (!value || phoneNumberId === null) {
        result.problems.push(`${where}: no value.metadata.phone_number_id: skipped`);
        return;
      }
      result.changes.push(
        parseChange(
          value,
          phoneNumberId,
          asString(metadata?.display_phone_number),
          receivedAt,
          where,
          result.problems,
        ),
      );
    });
  });
  if (result.changes.length === 0) {
    result.ignoredReason =
      otherFields.size > 0
        ? `no usable messages change (other fields: ${[...otherFields].join(', ')})`
        : 'no usable messages change';
  }
  return result;
}

function parseChange(
  value: Record<string, unknown>,
  phoneNumberId: string,
  displayPhoneNumber: string | null,
  receivedAt: Date,
  where: string,
  problems: string[],
): NotificationChange {
  const contacts: ContactProfile[] = [];
  asArray(value.contacts).forEach((raw, i) => {
    const contact = normalizeContact(raw);
    if (contact) contacts.push(contact);
    else problems.push(`${where}.value.contacts[${i}]: neither wa_id nor user_id`);
  });
  const change: NotificationChange = {
    phoneNumberId,
    displayPhoneNumber,
    messages: [],
    statuses: [],
  };
  asArray(value.messages).forEach((raw, i) => {
    const { value: message, problems: found } = normalizeMessage(raw, { contacts, receivedAt });
    if (message) change.messages.push(message);
    for (const p of found) problems.push(`${where}.value.messages[${i}]: ${p}`);
  });
  asArray(value.statuses).forEach((raw, i) => {
    const { value: status, problems: found } = normalizeStatus(raw, receivedAt);
    if (status) change.statuses.push(status);
    for (const p of found) problems.push(`${where}.value.statuses[${i}]: ${p}`);
  });
  // Meta reports problems it had with the notification itself in value.errors.
  const error = firstError(value.errors);
  if (error) {
    problems.push(
      `${where}.value.errors: Meta reported ${[error.code, error.title, error.details].filter(Boolean).join(' ')}`,
    );
  }
  return change;
}
