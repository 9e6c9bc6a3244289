import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Statement } from '../database/pipelined-transaction.js';
import { queryPrepared } from '../database/prepared-query.js';
import { conversationResponseSql } from '../inbox/dto/conversation-response.dto.js';
import type { EventType } from './event.entity.js';

export const EVENTS_CHANNEL = 'nolose_events';
/** 300 ids of up to 19 digits and their commas stay under NOTIFY's 8,000-byte payload limit. */
const IDS_PER_NOTIFICATION = 300;

/** An event to publish: what happened, in which workspace. */
export interface EventToPublish {
  workspaceId: number;
  type: EventType;
  data: object;
  /**
   * Adds `data.conversation`: this conversation's API object as the transaction sees it
   * when the event is written, built by PostgreSQL in the same statement (a webhook group
   * describes the conversations it touched without reading them back first).
   */
  conversationId?: number;
}

/** The event rows' `data`, with the conversation of those that name one (the bench runs it too). */
export const EVENT_DATA_SQL = `CASE WHEN x.conversation_id IS NULL THEN x.data
  ELSE x.data || jsonb_build_object('conversation',
    (SELECT ${conversationResponseSql('c')} FROM conversations c
      WHERE c.id = x.conversation_id AND c.workspace_id = x.workspace_id)) END`;

/** Owner of the events table; the live stream (SSE) reads what this writes. */
@Injectable()
export class EventsService {
  /**
   * Records an event inside the caller's transaction and wakes every instance's listeners
   * (NOTIFY is delivered only when that transaction commits, so nobody sees uncommitted
   * data). The payload of the notification is just the workspace and event id.
   */
  async publish(
    manager: EntityManager,
    workspaceId: number,
    type: EventType,
    data: object,
  ): Promise<void> {
    const rows = await manager.query<{ id: string }[]>(
      `INSERT INTO events (workspace_id, type, data) VALUES ($1, $2, $3) RETURNING id`,
      [workspaceId, type, JSON.stringify(data)],
    );
    await manager.query(`SELECT pg_notify($1, $2)`, [
      EVENTS_CHANNEL,
      `${workspaceId}:${rows[0].id}`,
    ]);
  }

  /**
   * `publish` for many events of one workspace in one statement (a webhook group carries
   * up to thousands of messages): the same rows, in the given order. The notifications
   * carry their ids in lists (`<workspace>:<id>,<id>,…`, a few hundred per notification,
   * under PostgreSQL's 8,000-byte payload limit): fewer entries in the notify queue, which
   * every notifying commit must take its turn on.
   */
  async publishMany(
    manager: EntityManager,
    workspaceId: number,
    events: readonly Omit<EventToPublish, 'workspaceId'>[],
  ): Promise<void> {
    if (events.length === 0) return;
    await this.publishAll(
      manager,
      events.map((e) => ({ workspaceId, ...e })),
    );
  }

  /**
   * `publishMany` for events of any workspaces, optionally in one statement with the
   * caller's own last write (`along`: SQL using `$1…$n` of its `values`, run as a CTE):
   * a webhook group publishes what it stored together with its raw events, one round
   * trip instead of two.
   */
  async publishAll(
    manager: EntityManager,
    events: readonly EventToPublish[],
    along?: Statement,
  ): Promise<void> {
    const statement = this.publishAllStatement(events, along);
    if (statement) await queryPrepared(manager, statement.text, statement.values);
  }

  /**
   * publishAll's statement, for a caller that sends it itself (a webhook group's, with its
   * COMMIT: pipelinedTransaction). Null when there is nothing to write.
   */
  publishAllStatement(events: readonly EventToPublish[], along?: Statement): Statement | null {
    if (events.length === 0) return along ?? null;
    const n = along?.values.length ?? 0;
    // A data-modifying CTE runs to completion whether or not the query reads it.
    return {
      text: `WITH ${along ? `along AS (${along.text}), ` : ''}inserted AS (
         INSERT INTO events (workspace_id, type, data)
         SELECT x.workspace_id, x.type, ${EVENT_DATA_SQL}
           FROM jsonb_to_recordset($${n + 1}::jsonb)
                AS x(ord integer, workspace_id integer, type text, data jsonb, conversation_id integer)
          ORDER BY x.ord
         RETURNING id, workspace_id
       ), chunked AS (
         SELECT id, workspace_id,
                (row_number() OVER (PARTITION BY workspace_id ORDER BY id) - 1) / ${IDS_PER_NOTIFICATION} AS chunk
           FROM inserted
       )
       SELECT pg_notify($${n + 2}, workspace_id::text || ':' || string_agg(id::text, ',' ORDER BY id))
         FROM chunked GROUP BY workspace_id, chunk ORDER BY workspace_id, chunk`,
      values: [
        ...(along?.values ?? []),
        JSON.stringify(
          events.map((e, ord) => ({
            ord,
            workspace_id: e.workspaceId,
            type: e.type,
            data: e.data,
            conversation_id: e.conversationId ?? null,
          })),
        ),
        EVENTS_CHANNEL,
      ],
    };
  }
}
