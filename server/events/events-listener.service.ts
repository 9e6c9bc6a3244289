import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import pg from 'pg';
import type { Env } from '../config/env.js';
import { EVENTS_CHANNEL } from './events.service.js';

export interface EventNotification {
  workspaceId: number;
  /** The events row ids (bigint, as text) the notification announces. */
  eventIds: string[];
}

export interface EventNotificationHandler {
  /** An event was committed (by any instance). */
  onNotification(notification: EventNotification): void;
  /** The LISTEN connection is (again) up: notifications may have been missed meanwhile. */
  onListening(): void;
}

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 15_000;
// `<workspace>:<event id>[,<event id>…]` (EventsService.publish/publishMany).
const NOTIFICATION = /^(\d+):(\d+(?:,\d+)*)$/;

/**
 * The instance's one `LISTEN nolose_events` connection. It lives outside TypeORM's pool
 * because a pooled connection would be handed to other queries and lose its LISTEN; when
 * the connection drops (database restart, network), it reconnects with exponential
 * backoff and tells the handler, which then catches up from the events table.
 */
@Injectable()
export class EventsListenerService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(EventsListenerService.name);
  private readonly url: string;
  private client: pg.Client | null = null;
  private handler: EventNotificationHandler | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private attempt = 0;
  private stopped = false;

  constructor(config: ConfigService<Env, true>) {
    // AppModule.forRoot always receives a DATABASE_URL (embedded PostgreSQL's, if unset).
    this.url = config.getOrThrow('DATABASE_URL', { infer: true });
  }

  setHandler(handler: EventNotificationHandler): void {
    this.handler = handler;
  }

  get listening(): boolean {
    return this.client !== null;
  }

  /** Waits for the first attempt so live events flow once the app has started. */
  async onModuleInit(): Promise<void> {
    await this.connect();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    this.retryTimer = null;
    if (this.stopped) return;
    const client = new pg.Client({
      connectionString: this.url,
      application_name: 'no-lose-events',
      keepAlive: true,
      connectionTimeoutMillis: 5000,
    });
    client.on('notification', (msg) => this.dispatch(msg.channel, msg.payload));
    // Without an 'error' listener a dropped connection would crash the process.
    client.on('error', (err) => this.dropped(client, err));
    client.on('end', () => this.dropped(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      this.logger.warn(`Cannot listen for live events yet: ${(err as Error).message}`);
      this.scheduleReconnect();
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    if (this.attempt > 0) this.logger.log('Listening for live events again');
    this.attempt = 0;
    this.client = client;
    this.handler?.onListening();
  }

  private dropped(client: pg.Client, err?: Error): void {
    if (this.client !== client) return;
    this.client = null;
    if (this.stopped) return;
    this.logger.warn(`Live-event connection lost${err ? `: ${err.message}` : ''}; reconnecting`);
    client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.retryTimer) return;
    const base = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** this.attempt);
    this.attempt += 1;
    // Jitter keeps many instances from reconnecting in lockstep after a database restart.
    const delay = base / 2 + Math.random() * (base / 2);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  private dispatch(channel: string, payload: string | undefined): void {
    if (channel !== EVENTS_CHANNEL || !payload) return;
    const match = NOTIFICATION.exec(payload);
    if (!match) return;
    this.handler?.onNotification({ workspaceId: Number(match[1]), eventIds: match[2].split(',') });
  }
}
