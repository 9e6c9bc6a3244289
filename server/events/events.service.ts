import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventType } from './event.entity.js';

export const EVENTS_CHANNEL = 'nolose_events';

/** Owner of the events table; the live stream (SSE) reads what this writes. */
@Injectable()
export class EventsService {
  /**
   * Records an event inside the caller's transaction and wakes every instance's listeners
   * (NOTIFY is delivered only when that transaction commits, so nobody sees uncommitted
   * data). The payload of the notification is just the workspace and event id.
   */
  async publish(manager: EntityManager, workspaceId: number, type: EventType, data: object): Promise<void> {
    const rows = (await manager.query(
      `INSERT INTO events (workspace_id, type, data) VALUES ($1, $2, $3) RETURNING id`,
      [workspaceId, type, JSON.stringify(data)],
    )) as { id: string }[];
    await manager.query(`SELECT pg_notify($1, $2)`, [EVENTS_CHANNEL, `${workspaceId}:${rows[0].id}`]);
  }
}
