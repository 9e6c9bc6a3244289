import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryPrepared } from '../database/prepared-query.js';
import { hydrateRows } from '../database/hydrate-rows.js';
import { queryRows } from '../database/query-rows.js';
import { EventsService, type EventToPublish } from '../events/events.service.js';
import { toMessageResponse } from './dto/message-response.dto.js';
import { InboxMediaService } from './inbox-media.service.js';
import type {
  ContactProfile,
  InboundMessageInput,
  IngestBatch,
  IngestOptions,
  IngestResult,
  StatusInput,
} from './ingest-input.js';
import { statusKey } from './ingest-input.js';
import { Message } from './message.entity.js';
import { messageStatusSql, statusRankSql } from './message-status.js';

type Row = Record<string, unknown>;

interface ContactRow {
  kind: 'contact' | 'known';
  id: number;
  wa_id: string;
  user_id: string | null;
  profile_name: string | null;
  username: string | null;
  inserted: boolean;
}

interface ContactChange {
  id: number;
  wa_id: string | null;
  user_id: string | null;
  profile_name: string | null;
  username: string | null;
}

// A row inserted by a concurrent transaction that commits while our statement waits on it
// is skipped by ON CONFLICT but invisible to that statement's snapshot; the next statement
// sees it. Two more rounds are plenty; a third miss means the row keeps vanishing.
const FIND_OR_CREATE_ROUNDS = 3;

/** A contact's fresh messages in a batch: their time span and the number of the first. */
interface Span {
  first: Date;
  last: Date;
  numberId: number | null;
}

const identityKey = (c: ContactProfile): string => (c.waId ?? c.userId) as string;

/**
 * The identities of chronological messages, keyed by identityKey(): repeated identities
 * merged (the latest profile wins), each with the wamids that carried it.
 */
function mergeIdentities(
  messages: InboundMessageInput[],
): Map<string, ContactProfile & { waMessageIds: string[] }> {
  const merged = new Map<string, ContactProfile & { waMessageIds: string[] }>();
  for (const m of messages) {
    const c = m.contact;
    const key = identityKey(c);
    const seen = merged.get(key);
    const waMessageIds = seen?.waMessageIds ?? [];
    waMessageIds.push(m.waMessageId);
    merged.set(key, {
      waId: c.waId ?? seen?.waId ?? null,
      userId: seen?.userId ?? c.userId,
      profileName: c.profileName ?? seen?.profileName ?? null,
      username: c.username ?? seen?.username ?? null,
      waMessageIds,
    });
  }
  return merged;
}

/** Message columns a (re)parse of Meta's message sets; everything else is ours. */
const PARSED_COLUMNS = [
  ['message_type', 'text'],
  ['content', 'text'],
  ['media_id', 'text'],
  ['mime_type', 'text'],
  ['sha256', 'text'],
  ['file_name', 'text'],
  ['reply_to_wa_message_id', 'text'],
  ['forwarded', 'boolean'],
  ['referral', 'jsonb'],
  ['error_code', 'integer'],
  ['error_title', 'text'],
  ['error_details', 'text'],
  ['raw_data', 'jsonb'],
] as const;

function parsedFields(m: InboundMessageInput): Row {
  return {
    wa_message_id: m.waMessageId,
    message_type: m.messageType,
    content: m.content,
    media_id: m.mediaId,
    mime_type: m.mimeType,
    sha256: m.sha256,
    file_name: m.fileName,
    reply_to_wa_message_id: m.replyToWaMessageId,
    forwarded: m.forwarded,
    referral: m.referral,
    error_code: m.errorCode,
    error_title: m.errorTitle,
    error_details: m.errorDetails,
    raw_data: m.raw,
  };
}

const PARSED_RECORD = PARSED_COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ');

/**
 * Write side of the inbox: stores what Meta's webhooks report — customers, their messages,
 * delivery statuses — inside the caller's transaction (the webhook's, with its raw event
 * row), and publishes the live events for it in the same transaction.
 *
 * Set-based and idempotent: a batch costs a handful of statements whatever its size, and
 * every write is an `INSERT … ON CONFLICT` on a database key, so the same webhook on any
 * number of connections at once stores everything exactly once.
 */
@Injectable()
export class InboxIngestService {
  constructor(
    private readonly events: EventsService,
    private readonly media: InboxMediaService,
  ) {}

  async ingest(
    manager: EntityManager,
    workspaceId: number,
    batch: IngestBatch,
    options: IngestOptions = {},
  ): Promise<IngestResult> {
    const result: IngestResult = {
      messagesStored: 0,
      messagesUpdated: 0,
      statusesStored: 0,
      messageIds: new Map(),
      storedMessages: new Set(),
      storedStatuses: new Set(),
    };
    if (batch.messages.length > 0) {
      const numberIds = batch.numberIds ?? new Map<string, number>();
      await this.ingestMessages(manager, workspaceId, batch.messages, numberIds, options, result);
    }
    if (batch.statuses.length > 0) {
      result.storedStatuses = await this.ingestStatuses(
        manager,
        workspaceId,
        batch.statuses,
        options,
      );
      result.statusesStored = result.storedStatuses.size;
    }
    return result;
  }

  /**
   * Applies the delivery statuses already recorded for `waMessageId` to that outbound
   * message (only forward), publishing `message.updated` when it changes. Call it in the
   * transaction that gives an outbound message its wamid: a status may have arrived first.
   */
  async applyPendingStatuses(
    manager: EntityManager,
    workspaceId: number,
    waMessageId: string,
  ): Promise<Message | null> {
    const [updated] = await this.applyStatuses(manager, workspaceId, [waMessageId]);
    return updated ?? null;
  }

  /**
   * Records which WhatsApp number inbound messages stored earlier without one arrived on,
   * and gives their conversations that number when they have none yet (the number replies
   * leave from). New messages get theirs when inserted (IngestBatch.numberIds).
   */
  async assignNumber(
    manager: EntityManager,
    workspaceId: number,
    numberId: number,
    waMessageIds: string[],
  ): Promise<void> {
    if (waMessageIds.length === 0) return;
    // A plain read first: redeliveries (often many at once) find the number already set and
    // take no row locks, so they cannot deadlock with each other here.
    const untagged = await manager.query<unknown[]>(
      `SELECT 1 FROM messages
        WHERE workspace_id = $1 AND wa_message_id = ANY($2::text[]) AND whatsapp_number_id IS NULL
        LIMIT 1`,
      [workspaceId, waMessageIds],
    );
    if (untagged.length === 0) return;
    await manager.query(
      `WITH tagged AS (
         UPDATE messages SET whatsapp_number_id = $2
          WHERE workspace_id = $1 AND wa_message_id = ANY($3::text[]) AND whatsapp_number_id IS NULL
          RETURNING conversation_id)
       UPDATE conversations c SET whatsapp_number_id = $2
         FROM (SELECT DISTINCT conversation_id FROM tagged) t
        WHERE c.id = t.conversation_id AND c.whatsapp_number_id IS NULL`,
      [workspaceId, numberId, waMessageIds],
    );
  }

  private async ingestMessages(
    manager: EntityManager,
    workspaceId: number,
    input: InboundMessageInput[],
    numberIds: Map<string, number>,
    options: IngestOptions,
    result: IngestResult,
  ): Promise<void> {
    // One row per wamid, in Meta's chronological order (wamid breaks ties): ids then follow
    // the conversation, and concurrent deliveries of overlapping batches take their row
    // locks in the same order instead of deadlocking.
    const unique = [...new Map(input.map((m) => [m.waMessageId, m])).values()].sort(
      (a, b) =>
        a.timestamp.getTime() - b.timestamp.getTime() || (a.waMessageId < b.waMessageId ? -1 : 1),
    );
    // Also learns which messages are already stored (result.messageIds): a redelivered
    // message must not touch its contact or conversation, which may have been closed since
    // (opening a new one would be a ghost).
    const contactIds = await this.findOrCreateContacts(manager, workspaceId, unique, result);
    const fresh = unique.filter((m) => !result.messageIds.has(m.waMessageId));
    if (options.reparse) {
      const again = unique.filter((m) => result.messageIds.has(m.waMessageId));
      result.messagesUpdated = await this.reparseStored(manager, workspaceId, again);
    }
    if (fresh.length === 0) return;

    const inserted = await this.insertIntoConversations(
      manager,
      workspaceId,
      fresh,
      contactIds,
      numberIds,
    );
    result.messagesStored = inserted.length;
    for (const m of inserted) {
      if (m.waMessageId === null) continue;
      result.messageIds.set(m.waMessageId, m.id);
      result.storedMessages.add(m.waMessageId);
    }
    // Rows a concurrent delivery committed first are not ours to announce; look their ids up.
    const raced = fresh
      .filter((m) => !result.messageIds.has(m.waMessageId))
      .map((m) => m.waMessageId);
    if (raced.length > 0) {
      const rows = await manager.query<{ id: number; wa_message_id: string }[]>(
        `SELECT id, wa_message_id FROM messages WHERE workspace_id = $1 AND wa_message_id = ANY($2::text[])`,
        [workspaceId, raced],
      );
      for (const r of rows) result.messageIds.set(r.wa_message_id, r.id);
    }
    if (inserted.length === 0) return;
    // Meta keeps media for a limited time: its download is queued with the message (docs/queue.md).
    await this.media.queueFetch(manager, inserted);

    // The conversation of each event is added by PostgreSQL as the event is written.
    await this.publish(
      manager,
      workspaceId,
      options,
      inserted.map((message) => ({
        type: 'message.created' as const,
        data: { message: toMessageResponse(message) },
        conversationId: message.conversationId,
      })),
    );
  }

  /**
   * Finds or creates the contact of every identity with a message not stored yet, keyed by
   * wa_id (the phone number) or, when Meta withholds the number, by the business-scoped
   * user id. Updates what Meta tells us changed: profile name, username, a BSUID learned
   * for a known number, a number learned for a contact known only by BSUID. The same
   * statement finds which messages are stored already (into result.messageIds), so a
   * webhook costs one round trip for both. Returns identity key → contact id.
   */
  private async findOrCreateContacts(
    manager: EntityManager,
    workspaceId: number,
    messages: InboundMessageInput[],
    result: IngestResult,
  ): Promise<Map<string, number>> {
    let pending = messages;
    const ids = new Map<string, number>();
    const changes: ContactChange[] = [];
    for (let round = 0; pending.length > 0; round++) {
      const identities = [...mergeIdentities(pending).entries()].sort(([a], [b]) =>
        a < b ? -1 : a > b ? 1 : 0,
      );
      if (round === FIND_OR_CREATE_ROUNDS) {
        throw new Error(
          `Contacts ${identities.map(([k]) => k).join(', ')} could not be found or created`,
        );
      }
      const rows = await queryPrepared<ContactRow>(
        manager,
        `WITH known AS (
           SELECT id, wa_message_id FROM messages
            WHERE workspace_id = $1 AND wa_message_id = ANY($5::text[])
         ), input AS (
           SELECT * FROM jsonb_to_recordset($2::jsonb)
                    AS x(wa_id text, user_id text, profile_name text, username text, wamids text[])
            WHERE EXISTS (SELECT 1 FROM unnest(x.wamids) AS w(wamid)
                           WHERE w.wamid NOT IN (SELECT wa_message_id FROM known))
         ), inserted AS (
           INSERT INTO contacts (workspace_id, wa_id, user_id, name, profile_name, username)
           SELECT $1, wa_id, user_id, profile_name, profile_name, username FROM input ORDER BY wa_id
           ON CONFLICT DO NOTHING
           RETURNING id, wa_id, user_id, profile_name, username
         )
         SELECT 'contact' AS kind, *, true AS inserted FROM inserted
         UNION ALL
         SELECT 'contact', c.id, c.wa_id, c.user_id, c.profile_name, c.username, false
           FROM contacts c
          WHERE c.workspace_id = $1 AND (c.wa_id = ANY($3::text[]) OR c.user_id = ANY($4::text[]))
         UNION ALL
         SELECT 'known', id, wa_message_id, NULL, NULL, NULL, false FROM known`,
        [
          workspaceId,
          JSON.stringify(
            identities.map(([key, c]) => ({
              wa_id: key,
              user_id: c.userId,
              profile_name: c.profileName,
              username: c.username,
              wamids: c.waMessageIds,
            })),
          ),
          // The keys again as arrays: `= ANY($n)` is served by the unique indexes, where
          // `IN (SELECT … FROM input)` read every contact of the workspace.
          identities.map(([key]) => key),
          identities.map(([, c]) => c.userId).filter((id): id is string => id !== null),
          pending.map((m) => m.waMessageId),
        ],
      );
      // A 'known' row is a stored message: its id and, in wa_id, its wamid.
      for (const r of rows) if (r.kind === 'known') result.messageIds.set(r.wa_id, r.id);
      const contacts = rows.filter((r) => r.kind === 'contact');
      const byWaId = new Map(contacts.map((r) => [r.wa_id, r]));
      const byUserId = new Map(
        contacts.filter((r) => r.user_id !== null).map((r) => [r.user_id as string, r]),
      );
      // Only messages not stored yet speak for their contact.
      const fresh = pending.filter((m) => !result.messageIds.has(m.waMessageId));
      const missing = new Set<string>();
      for (const [key, c] of mergeIdentities(fresh)) {
        const row = byWaId.get(key) ?? (c.userId !== null ? byUserId.get(c.userId) : undefined);
        if (!row) {
          missing.add(key);
          continue;
        }
        ids.set(key, row.id);
        if (!row.inserted) {
          const change = contactChange(row, c, byUserId);
          if (change) changes.push(change);
        }
      }
      pending = fresh.filter((m) => missing.has(identityKey(m.contact)));
    }
    if (changes.length > 0) {
      // Only a name the operators did not edit follows the profile name.
      await manager.query(
        `UPDATE contacts c
            SET wa_id = coalesce(u.wa_id, c.wa_id),
                user_id = coalesce(c.user_id, u.user_id),
                name = CASE WHEN u.profile_name IS NOT NULL AND (c.name IS NULL OR c.name = c.profile_name)
                            THEN u.profile_name ELSE c.name END,
                profile_name = coalesce(u.profile_name, c.profile_name),
                username = coalesce(u.username, c.username),
                updated_at = now()
           FROM jsonb_to_recordset($2::jsonb) AS u(id integer, wa_id text, user_id text, profile_name text, username text)
          WHERE c.id = u.id AND c.workspace_id = $1`,
        [workspaceId, JSON.stringify(changes.sort((a, b) => a.id - b.id))],
      );
    }
    return ids;
  }

  /**
   * Stores new messages in their contacts' open conversations in one statement: opens the
   * conversations missing (the partial unique index, one open conversation per contact,
   * arbitrates concurrent openings), inserts the messages, and moves each existing
   * conversation's last_message_at forward (never back: Meta delivers late messages too),
   * giving one without a number the number its message arrived on. A conversation opened
   * here already has both. Messages of a contact whose conversation a concurrent delivery
   * opened unseen by this statement go again. Answers the inserted messages, in id order,
   * without their raw_data (the caller has it).
   */
  private async insertIntoConversations(
    manager: EntityManager,
    workspaceId: number,
    messages: InboundMessageInput[],
    contactIds: Map<string, number>,
    numberIds: Map<string, number>,
  ): Promise<Message[]> {
    const contactOf = (m: InboundMessageInput): number =>
      contactIds.get(identityKey(m.contact)) as number;
    const inserted: Message[] = [];
    let pending = messages;
    for (let round = 0; pending.length > 0; round++) {
      const spans = new Map<number, Span>();
      for (const m of pending) {
        const contactId = contactOf(m);
        const span = spans.get(contactId);
        if (!span) {
          const numberId = numberIds.get(m.waMessageId) ?? null;
          spans.set(contactId, { first: m.timestamp, last: m.timestamp, numberId });
        } else if (m.timestamp > span.last) span.last = m.timestamp;
      }
      const contactOrder = [...spans.keys()].sort((a, b) => a - b);
      if (round === FIND_OR_CREATE_ROUNDS) {
        throw new Error(
          `Conversations of contacts ${contactOrder.join(', ')} could not be found or opened`,
        );
      }
      const rows = await queryPrepared<{ kind: 'conversation' | 'message'; row: Row }>(
        manager,
        `WITH spans AS (
           SELECT * FROM jsonb_to_recordset($2::jsonb)
                    AS x(contact_id integer, first_at timestamptz, last_at timestamptz, whatsapp_number_id integer)
         ), opened AS (
           INSERT INTO conversations (workspace_id, contact_id, started_at, last_message_at, whatsapp_number_id)
           SELECT $1, contact_id, first_at, last_at, whatsapp_number_id FROM spans ORDER BY contact_id
           ON CONFLICT (contact_id) WHERE is_active DO NOTHING
           RETURNING id, contact_id
         ), found AS (
           SELECT c.id, c.contact_id FROM conversations c
            WHERE c.workspace_id = $1 AND c.is_active AND c.contact_id = ANY($3::int[])
              AND c.contact_id NOT IN (SELECT contact_id FROM opened)
         ), conversation AS (
           SELECT id, contact_id FROM opened UNION ALL SELECT id, contact_id FROM found
         ), inserted AS (
           INSERT INTO messages (workspace_id, wa_message_id, contact_id, conversation_id, whatsapp_number_id,
                                 is_outbound, status, timestamp, ${PARSED_COLUMNS.map(([name]) => name).join(', ')})
           SELECT $1, x.wa_message_id, x.contact_id, cv.id, x.whatsapp_number_id, false, 'received',
                  x.ts, ${PARSED_COLUMNS.map(([name]) => `x.${name}`).join(', ')}
             FROM jsonb_to_recordset($4::jsonb)
                  AS x(ord integer, wa_message_id text, contact_id integer, whatsapp_number_id integer,
                       ts timestamptz, ${PARSED_RECORD})
             JOIN conversation cv ON cv.contact_id = x.contact_id
            ORDER BY x.ord
           ON CONFLICT (workspace_id, wa_message_id) DO NOTHING
           RETURNING *
         ), advanced AS (
           -- Rows opened above are invisible here (one snapshot), so only found ones move.
           -- The contact_id = ANY keeps this on the partial unique index.
           UPDATE conversations c
              SET last_message_at = GREATEST(c.last_message_at, x.last_at),
                  whatsapp_number_id = coalesce(c.whatsapp_number_id, x.number_id)
             FROM (SELECT i.conversation_id AS id, max(i."timestamp") AS last_at,
                          (array_agg(i.whatsapp_number_id ORDER BY i."timestamp", i.id)
                             FILTER (WHERE i.whatsapp_number_id IS NOT NULL))[1] AS number_id
                     FROM inserted i GROUP BY i.conversation_id) x
            WHERE c.id = x.id AND c.workspace_id = $1 AND c.is_active AND c.contact_id = ANY($3::int[])
              AND (c.last_message_at < x.last_at OR (c.whatsapp_number_id IS NULL AND x.number_id IS NOT NULL))
         )
         SELECT 'conversation' AS kind, jsonb_build_object('contact_id', contact_id) AS row FROM conversation
         UNION ALL
         -- raw_data is what the server just sent: not sent back.
         SELECT 'message', to_jsonb(i) - 'raw_data' FROM inserted i`,
        [
          workspaceId,
          JSON.stringify(
            contactOrder.map((contactId) => {
              const span = spans.get(contactId) as Span;
              return {
                contact_id: contactId,
                first_at: span.first,
                last_at: span.last,
                whatsapp_number_id: span.numberId,
              };
            }),
          ),
          // As an array too, so the partial unique index serves the lookups (see above).
          contactOrder,
          JSON.stringify(
            pending.map((m, ord) => ({
              ord,
              ...parsedFields(m),
              contact_id: contactOf(m),
              whatsapp_number_id: numberIds.get(m.waMessageId) ?? null,
              ts: m.timestamp,
            })),
          ),
        ],
      );
      const withConversation = new Set<number>();
      for (const r of rows) {
        if (r.kind === 'conversation') withConversation.add(r.row.contact_id as number);
      }
      inserted.push(
        ...hydrateRows(
          manager,
          Message,
          rows.filter((r) => r.kind === 'message').map((r) => r.row),
        ),
      );
      pending = pending.filter((m) => !withConversation.has(contactOf(m)));
    }
    return inserted.sort((a, b) => a.id - b.id);
  }

  /** Replay after a parser fix: rewrites the parsed fields of stored inbound messages. */
  private async reparseStored(
    manager: EntityManager,
    workspaceId: number,
    messages: InboundMessageInput[],
  ): Promise<number> {
    if (messages.length === 0) return 0;
    const names = PARSED_COLUMNS.map(([name]) => name);
    const rows = await queryRows(
      manager,
      `UPDATE messages m
          SET ${names.map((n) => `${n} = x.${n}`).join(', ')},
              media_status = CASE WHEN m.media_id IS DISTINCT FROM x.media_id THEN NULL ELSE m.media_status END
         FROM jsonb_to_recordset($2::jsonb) AS x(wa_message_id text, ${PARSED_RECORD})
        WHERE m.workspace_id = $1 AND m.wa_message_id = x.wa_message_id AND NOT m.is_outbound
          AND (${names.map((n) => `m.${n}`).join(', ')}) IS DISTINCT FROM (${names.map((n) => `x.${n}`).join(', ')})
        RETURNING m.*`,
      [workspaceId, JSON.stringify(messages.map(parsedFields))],
    );
    const updated = hydrateRows(manager, Message, rows);
    await this.events.publishMany(
      manager,
      workspaceId,
      updated.map((message) => ({
        type: 'message.updated' as const,
        data: { message: toMessageResponse(message) },
      })),
    );
    return updated.length;
  }

  /** Keeps every new status event, then applies them to their messages; returns the new ones' keys. */
  private async ingestStatuses(
    manager: EntityManager,
    workspaceId: number,
    statuses: StatusInput[],
    options: IngestOptions,
  ): Promise<Set<string>> {
    const unique = [
      ...new Map(
        statuses.map((s) => [statusKey(s.waMessageId, s.status, s.timestamp), s]),
      ).values(),
    ];
    const stored = await manager.query<
      { wa_message_id: string; status: string; timestamp: Date }[]
    >(
      `INSERT INTO message_status_events (workspace_id, wa_message_id, status, timestamp, recipient_id,
                                          recipient_user_id, error_code, error_title, error_details, raw_data)
       SELECT $1, x.wa_message_id, x.status, x.ts, x.recipient_id, x.recipient_user_id, x.error_code,
              x.error_title, x.error_details, x.raw_data
         FROM jsonb_to_recordset($2::jsonb)
              AS x(wa_message_id text, status text, ts timestamptz, recipient_id text, recipient_user_id text,
                   error_code integer, error_title text, error_details text, raw_data jsonb)
        ORDER BY x.wa_message_id, x.status, x.ts
       ON CONFLICT (workspace_id, wa_message_id, status, timestamp) DO NOTHING
       RETURNING wa_message_id, status, timestamp`,
      [
        workspaceId,
        JSON.stringify(
          unique.map((s) => ({
            wa_message_id: s.waMessageId,
            status: s.status,
            ts: s.timestamp,
            recipient_id: s.recipientId,
            recipient_user_id: s.recipientUserId,
            error_code: s.errorCode,
            error_title: s.errorTitle,
            error_details: s.errorDetails,
            raw_data: s.raw,
          })),
        ),
      ],
    );
    // Redelivered statuses were applied when first stored; only new ones can move a message.
    const wamids = [...new Set(stored.map((s) => s.wa_message_id))];
    if (wamids.length > 0) await this.applyStatuses(manager, workspaceId, wamids, options);
    return new Set(stored.map((s) => statusKey(s.wa_message_id, s.status, s.timestamp)));
  }

  /**
   * Moves each outbound message to the furthest status recorded for it (message-status.ts
   * has the order), keeping Meta's error when that status is `failed`.
   *
   * A status and its message can be committed concurrently by two transactions (the
   * webhook's and the sender's), each unable to see the other's row. A transaction-scoped
   * advisory lock per wamid, taken before looking, serialises them: whoever looks second
   * sees the other's committed row.
   */
  private async applyStatuses(
    manager: EntityManager,
    workspaceId: number,
    waMessageIds: string[],
    options: IngestOptions = {},
  ): Promise<Message[]> {
    const wamids = [...new Set(waMessageIds)].sort();
    await manager.query(
      `SELECT pg_advisory_xact_lock(hashtextextended(w, $1))
         FROM (SELECT w FROM unnest($2::text[]) AS w ORDER BY w) sorted`,
      [workspaceId, wamids],
    );
    const rank = statusRankSql('e.status');
    const rows = await queryRows(
      manager,
      `WITH best AS (
         SELECT DISTINCT ON (e.wa_message_id) e.wa_message_id, e.status, e.error_code, e.error_title,
                e.error_details, ${rank} AS rank
           FROM message_status_events e
          WHERE e.workspace_id = $1 AND e.wa_message_id = ANY($2::text[]) AND ${rank} IS NOT NULL
          ORDER BY e.wa_message_id, ${rank} DESC, e.timestamp DESC, e.id DESC
       )
       UPDATE messages m
          SET status = ${messageStatusSql('best.status')},
              error_code = CASE WHEN best.status = 'failed' THEN best.error_code END,
              error_title = CASE WHEN best.status = 'failed' THEN best.error_title END,
              error_details = CASE WHEN best.status = 'failed' THEN best.error_details END
         FROM best
        WHERE m.workspace_id = $1 AND m.wa_message_id = best.wa_message_id AND m.is_outbound
          AND best.rank > coalesce(${statusRankSql('m.status')}, -1)
        RETURNING m.*`,
      [workspaceId, wamids],
    );
    const updated = hydrateRows(manager, Message, rows);
    await this.publish(
      manager,
      workspaceId,
      options,
      updated.map((message) => ({
        type: 'message.updated' as const,
        data: { message: toMessageResponse(message) },
      })),
    );
    return updated;
  }

  /** Publishes now, or hands the events to the caller (IngestOptions.deferEvents). */
  private async publish(
    manager: EntityManager,
    workspaceId: number,
    options: IngestOptions,
    events: Omit<EventToPublish, 'workspaceId'>[],
  ): Promise<void> {
    if (options.deferEvents) {
      for (const e of events) options.deferEvents.push({ workspaceId, ...e });
    } else {
      await this.events.publishMany(manager, workspaceId, events);
    }
  }
}

/** What to change on an existing contact given what Meta just said about it, or null. */
function contactChange(
  row: ContactRow,
  c: ContactProfile,
  byUserId: Map<string, ContactRow>,
): ContactChange | null {
  const change: ContactChange = {
    id: row.id,
    wa_id: null,
    user_id: null,
    profile_name: null,
    username: null,
  };
  // Known so far by BSUID only (wa_id holds the BSUID): Meta now shares the number.
  if (
    c.waId !== null &&
    row.wa_id !== c.waId &&
    row.user_id !== null &&
    row.wa_id === row.user_id
  ) {
    change.wa_id = c.waId;
  }
  // A BSUID for a contact known by number, unless another contact already holds it.
  if (c.userId !== null && row.user_id === null && !byUserId.has(c.userId)) {
    change.user_id = c.userId;
  }
  if (c.profileName !== null && c.profileName !== row.profile_name) {
    change.profile_name = c.profileName;
  }
  if (c.username !== null && c.username !== row.username) change.username = c.username;
  const changed = change.wa_id ?? change.user_id ?? change.profile_name ?? change.username;
  return changed === null ? null : change;
}
