import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import type { EventNotification, EventNotificationHandler } from './events-listener.service.js';
import { EventsListenerService } from './events-listener.service.js';

export const HEARTBEAT_MS = 25_000;
/** Tells EventSource how long to wait before reconnecting after a drop. */
const RETRY_MS = 3000;
/** Events read per query while catching up. */
const BATCH = 500;
/** A client this far behind is cut off; it reconnects with Last-Event-ID and catches up. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/** How many recently sent ids a stream remembers to skip duplicates. */
const RECENT_IDS = 512;

interface EventRow {
  id: string;
  type: string;
  data: unknown;
}

/** One open GET /api/events response. */
interface Stream {
  workspaceId: number;
  res: Response;
  /** Largest event id written to this stream. */
  lastSentId: bigint;
  /** Ids written lately, oldest first (bounded), to skip repeats. */
  recent: Set<string>;
  /** Ids announced by NOTIFY and not read yet (see pump). */
  notified: Set<string>;
  ready: boolean;
  pumping: boolean;
  again: boolean;
  closed: boolean;
}

/**
 * Server-sent events for GET /api/events. Each stream belongs to one workspace; the
 * instance's LISTEN connection wakes the streams of the workspace an event was committed
 * in, and each stream then reads the events table from its own position, so a slow client,
 * a reconnect with Last-Event-ID, or an event published by another instance all take the
 * same path.
 */
@Injectable()
export class EventsStreamService
  implements EventNotificationHandler, OnModuleInit, OnModuleDestroy
{
  private readonly logger = new Logger(EventsStreamService.name);
  private readonly byWorkspace = new Map<number, Set<Stream>>();
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly listener: EventsListenerService,
  ) {
    listener.setHandler(this);
  }

  onModuleInit(): void {
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Ends every stream so that app.close() (and the HTTP server's close) does not wait on them. */
  onModuleDestroy(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const streams of this.byWorkspace.values()) {
      for (const stream of streams) this.close(stream);
    }
    this.byWorkspace.clear();
  }

  get openStreams(): number {
    let n = 0;
    for (const streams of this.byWorkspace.values()) n += streams.size;
    return n;
  }

  /**
   * Starts a stream. With `lastEventId` it first replays the workspace's events after
   * that id; without, it starts from the newest event. The stream is registered before
   * its starting point is read, so nothing committed in between is missed.
   */
  async open(
    workspaceId: number,
    lastEventId: bigint | undefined,
    req: Request,
    res: Response,
  ): Promise<void> {
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    // nginx and similar proxies would otherwise buffer the stream.
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write(`retry: ${RETRY_MS}\n\n`);

    const stream: Stream = {
      workspaceId,
      res,
      lastSentId: 0n,
      recent: new Set(),
      notified: new Set(),
      ready: false,
      pumping: false,
      again: false,
      closed: false,
    };
    let streams = this.byWorkspace.get(workspaceId);
    if (!streams) {
      streams = new Set();
      this.byWorkspace.set(workspaceId, streams);
    }
    streams.add(stream);
    req.on('close', () => this.close(stream));
    res.on('error', () => this.close(stream));

    try {
      stream.lastSentId = lastEventId ?? (await this.newestEventId(workspaceId));
    } catch (err) {
      this.logger.warn(`Cannot start an event stream: ${(err as Error).message}`);
      this.close(stream);
      return;
    }
    stream.ready = true;
    await this.pump(stream);
  }

  onNotification({ workspaceId, eventIds }: EventNotification): void {
    const streams = this.byWorkspace.get(workspaceId);
    if (!streams) return;
    for (const stream of streams) {
      for (const id of eventIds) stream.notified.add(id);
      void this.pump(stream);
    }
  }

  /** After a LISTEN reconnect every stream reads what it may have missed. */
  onListening(): void {
    for (const streams of this.byWorkspace.values()) {
      for (const stream of streams) void this.pump(stream);
    }
  }

  private async newestEventId(workspaceId: number): Promise<bigint> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT coalesce(max(id), 0) AS id FROM events WHERE workspace_id = $1`,
      [workspaceId],
    );
    return BigInt(rows[0].id);
  }

  /**
   * Writes what the stream has not seen yet. One pump runs per stream at a time; wake-ups
   * meanwhile set `again`, so bursts of notifications cost one extra query, not one each.
   *
   * Ids are assigned when an event is inserted but become visible when its transaction
   * commits, so event 41 can commit after event 42. Reading only `id > lastSent` would then
   * skip 41; each NOTIFY carries its id, so announced ids below the position are read
   * explicitly too.
   */
  private async pump(stream: Stream): Promise<void> {
    if (!stream.ready || stream.closed) return;
    if (stream.pumping) {
      stream.again = true;
      return;
    }
    stream.pumping = true;
    try {
      do {
        stream.again = false;
        const announced = [...stream.notified];
        stream.notified.clear();
        let rows: EventRow[];
        let more: boolean;
        try {
          ({ rows, more } = await this.unsent(stream, announced));
        } catch (err) {
          // The database is away: keep the wake-ups; the LISTEN reconnect pumps again.
          for (const id of announced) stream.notified.add(id);
          this.logger.warn(`Cannot read live events: ${(err as Error).message}`);
          return;
        }
        for (const row of rows) {
          if (stream.closed) return;
          this.send(stream, row);
        }
        if (more) stream.again = true;
      } while (stream.again && !stream.closed);
    } finally {
      stream.pumping = false;
    }
  }

  /**
   * The stream's next events: announced ones at or below its position that it has not
   * sent (late commits), then up to BATCH after its position. The ids of the second part
   * come from a subquery selecting only `id`, which keeps PostgreSQL on the
   * (workspace_id, id) index instead of walking the primary key through every other
   * workspace's events.
   */
  private async unsent(
    stream: Stream,
    announced: string[],
  ): Promise<{ rows: EventRow[]; more: boolean }> {
    const late = announced.filter(
      (id) => BigInt(id) <= stream.lastSentId && !stream.recent.has(id),
    );
    const lateRows =
      late.length === 0
        ? []
        : await this.dataSource.query<EventRow[]>(
            `SELECT id, type, data FROM events WHERE workspace_id = $1 AND id = ANY($2::bigint[]) ORDER BY id`,
            [stream.workspaceId, late],
          );
    const nextRows = await this.dataSource.query<EventRow[]>(
      `SELECT id, type, data FROM events
        WHERE id = ANY(ARRAY(SELECT id FROM events WHERE workspace_id = $1 AND id > $2 ORDER BY id LIMIT ${BATCH}))
        ORDER BY id`,
      [stream.workspaceId, stream.lastSentId.toString()],
    );
    return { rows: [...lateRows, ...nextRows], more: nextRows.length === BATCH };
  }

  private send(stream: Stream, row: EventRow): void {
    const id = BigInt(row.id);
    if (stream.recent.has(row.id)) return;
    stream.res.write(`id: ${row.id}\nevent: ${row.type}\ndata: ${JSON.stringify(row.data)}\n\n`);
    if (id > stream.lastSentId) stream.lastSentId = id;
    stream.recent.add(row.id);
    if (stream.recent.size > RECENT_IDS) {
      const oldest = stream.recent.values().next().value;
      if (oldest !== undefined) stream.recent.delete(oldest);
    }
    if (stream.res.writableLength > MAX_BUFFERED_BYTES) {
      this.logger.warn(
        `Closing a live-event stream of workspace ${stream.workspaceId}: the client is not reading`,
      );
      this.close(stream);
    }
  }

  private beat(): void {
    for (const streams of this.byWorkspace.values()) {
      for (const stream of streams) {
        // A comment line: EventSource ignores it; proxies and load balancers see traffic.
        if (!stream.closed) stream.res.write(': heartbeat\n\n');
      }
    }
  }

  private close(stream: Stream): void {
    if (stream.closed) return;
    stream.closed = true;
    const streams = this.byWorkspace.get(stream.workspaceId);
    streams?.delete(stream);
    if (streams?.size === 0) this.byWorkspace.delete(stream.workspaceId);
    if (!stream.res.writableEnded) stream.res.end();
  }
}
