import { Injectable, Logger, OnModuleInit, Optional } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { isDatabaseUnavailable } from '../common/errors/all-exceptions.filter.js';
import type { Env } from '../config/env.js';
import { collisionPause, isCollision, pgErrorCode } from '../database/collisions.js';
import { pgSafeJson } from '../database/pg-safe-json.js';
import { pipelinedTransaction, type Statement } from '../database/pipelined-transaction.js';
import { InboxIngestService } from '../inbox/inbox-ingest.service.js';
import type { IngestBatch, IngestOptions, IngestResult } from '../inbox/ingest-input.js';
import { statusKey } from '../inbox/ingest-input.js';
import {
  NumbersService,
  RoutesChangedError,
  type NumberRoute,
} from '../numbers/numbers.service.js';
import type { WebhookAckDto } from './dto/webhook-ack.dto.js';
import type { VerifyWebhookQueryDto } from './dto/verify-webhook-query.dto.js';
import { parseNotification, type ParsedNotification } from './meta-notification.js';
import type { WebhookOutcome } from './webhook-event.entity.js';
import {
  InvalidSignatureError,
  NotJsonBodyError,
  VerificationFailedError,
  VerificationParamsMissingError,
  WebhookBusyError,
} from './webhook.errors.js';
import { isValidSignature, matchesAnySecret, namedPhoneNumberIds } from './webhook-signature.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { EventsService, type EventToPublish } from '../events/events.service.js';

// Besides collisions (deadlock, serialization failure: database/collisions.ts), a unique
// violation lost to a concurrent delivery (e.g. two deliveries teaching one contact its
// number): the transaction is simply re-run.
const UNIQUE_VIOLATION = '23505';
const MAX_ATTEMPTS = 6;
// The `error` column keeps this many item problems; the raw event has the rest.
const MAX_PROBLEMS = 50;
// Group commit (see store()): how much one transaction may hold. How many run at once is
// WEBHOOK_COMMIT_SLOTS; the rest of the connection pool stays free for the dashboard and API.
const GROUP_MAX_DELIVERIES = 200;
const GROUP_MAX_ITEMS = 500;

interface ReceivedEvent {
  rawBody: Buffer;
  body: unknown;
  signatureValid: boolean | null;
  receivedAt: Date;
}

/** A delivery waiting for (or in) its group's transaction; settled after the commit. */
interface PendingDelivery {
  event: ReceivedEvent;
  payload: unknown;
  parsed: ParsedNotification;
  /** Messages and statuses it carries. */
  items: number;
  /** performance.now() when it joined the queue. */
  queuedAt: number;
  resolve: (firstMessageId: number | null) => void;
  reject: (err: unknown) => void;
}

interface ProcessOutcome {
  outcome: WebhookOutcome;
  error: string | null;
  messagesStored: number;
  messagesUpdated: number;
  statusesStored: number;
  firstMessageId: number | null;
  /** Messages in changes routed to a workspace (stored now or by an earlier delivery). */
  messagesReceived?: number;
  /** Changes for a phone_number_id no workspace owns. */
  unknownNumberChanges?: number;
}

export interface ReplayFilter {
  ids?: string[];
  since?: Date;
  /**
   * Events kept while this phone_number_id had no workspace: `unknown_number`, or a
   * `processed` delivery whose `error` lists it as unknown (it also carried another number).
   */
  unknownNumber?: string;
  /** Default: failed and unknown_number when neither ids nor since is given, else all. */
  outcomes?: WebhookOutcome[];
}

export interface ReplayedEvent {
  id: string;
  outcome: WebhookOutcome | null;
  messagesStored: number;
  messagesUpdated: number;
  statusesStored: number;
  error: string | null;
}

export interface ReplaySummary {
  events: number;
  failed: number;
  messagesStored: number;
  messagesUpdated: number;
  statusesStored: number;
  results: ReplayedEvent[];
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/**
 * Meta's webhook: the subscription handshake, signature check, and the transaction that
 * keeps the raw event together with everything derived from it. Answers 200 only after
 * that commit; anything that could not be derived is still kept raw for a replay.
 */
@Injectable()
export class WebhookService implements OnModuleInit {
  private readonly logger = new Logger(WebhookService.name);
  /** Requests refused for their signature since start (they are not stored). */
  rejectedSignatures = 0;
  /** Deliveries waiting for a commit slot (see store()). */
  private readonly waiting: PendingDelivery[] = [];
  private inFlight = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: ConfigService<Env, true>,
    private readonly numbers: NumbersService,
    private readonly ingest: InboxIngestService,
    private readonly events: EventsService,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  onModuleInit(): void {
    // Production refuses to start without it (config/env.ts); elsewhere say so once.
    if (!this.appSecret) {
      this.logger.warn(
        'WA_APP_SECRET is not set: webhook signatures are NOT verified (development and tests only)',
      );
    }
  }

  private get commitSlots(): number {
    return this.config.get('WEBHOOK_COMMIT_SLOTS', { infer: true });
  }

  private get appSecret(): string | undefined {
    return this.config.get('WA_APP_SECRET', { infer: true });
  }

  /** GET /api/webhook: echoes hub.challenge when Meta presents our verify token. */
  async verifySubscription(query: VerifyWebhookQueryDto): Promise<string> {
    const mode = query['hub.mode'];
    const token = query['hub.verify_token'];
    const challenge = query['hub.challenge'];
    if (!mode || token === undefined || challenge === undefined) {
      throw new VerificationParamsMissingError(
        'hub.mode, hub.verify_token and hub.challenge are required',
      );
    }
    // WA_VERIFY_TOKEN, or the verify token of any connected number (one URL for all).
    const expected = this.config.get('WA_VERIFY_TOKEN', { infer: true });
    const known =
      (expected !== undefined && token === expected) ||
      (token.length > 0 && (await this.numbers.hasVerifyToken(token)));
    if (mode !== 'subscribe' || !known) {
      this.logger.warn(
        `Webhook verification refused (mode ${mode}${expected ? '' : ', WA_VERIFY_TOKEN unset'})`,
      );
      throw new VerificationFailedError('Verification token mismatch');
    }
    return challenge;
  }

  /** POST /api/webhook: verifies, stores, and answers with the first message's id. */
  async receive(
    rawBody: Buffer | undefined,
    body: unknown,
    signature: string | undefined,
  ): Promise<WebhookAckDto> {
    if (rawBody === undefined) {
      throw new NotJsonBodyError(
        'The webhook body must be JSON sent as Content-Type: application/json',
      );
    }
    let signatureValid: boolean | null = null;
    // The rule is in webhook-signature.ts (matchesAnySecret). WA_APP_SECRET is tried first,
    // so the environment app's deliveries need no database read before they are trusted.
    const envSecret = this.appSecret;
    const envMatches = envSecret !== undefined && isValidSignature(rawBody, signature, envSecret);
    const numberSecrets = envMatches
      ? []
      : await this.numbers.appSecretsOf(namedPhoneNumberIds(body));
    if (envSecret || numberSecrets.length > 0) {
      if (!envMatches && !matchesAnySecret(rawBody, signature, numberSecrets)) {
        this.rejectedSignatures += 1;
        this.logger.warn(`Webhook refused: ${signature ? 'wrong' : 'missing'} X-Hub-Signature-256`);
        throw new InvalidSignatureError(
          signature
            ? 'X-Hub-Signature-256 does not match the request body'
            : 'X-Hub-Signature-256 header is missing',
        );
      }
      signatureValid = true;
    }
    const messageId = await this.store({ rawBody, body, signatureValid, receivedAt: new Date() });
    return { status: 'ok', message_id: messageId };
  }

  /**
   * Group commit. Each delivery is queued and answered when the transaction holding it has
   * committed. Up to WEBHOOK_COMMIT_SLOTS transactions run at once; while they do, new deliveries
   * wait, and the next free slot takes all of them into one transaction. A quiet server
   * stores each delivery alone at once; a busy one shares one commit (and its fsync) among
   * many deliveries, so throughput grows with load instead of queueing behind the disk.
   * Nothing is acknowledged before its commit, and nothing waits on a timer.
   */
  private store(event: ReceivedEvent): Promise<number | null> {
    const payload = pgSafeJson(event.body);
    const parsed = parseNotification(payload, event.receivedAt);
    const items = parsed.changes.reduce((n, c) => n + c.messages.length + c.statuses.length, 0);
    return new Promise((resolve, reject) => {
      this.waiting.push({
        event,
        payload,
        parsed,
        items,
        queuedAt: performance.now(),
        resolve,
        reject,
      });
      this.startGroups();
    });
  }

  /** Deliveries waiting for a commit slot. */
  get pendingDeliveries(): number {
    return this.waiting.length;
  }

  private startGroups(): void {
    while (this.inFlight < this.commitSlots && this.waiting.length > 0) {
      let items = this.waiting[0].items;
      let size = 1;
      while (
        size < this.waiting.length &&
        size < GROUP_MAX_DELIVERIES &&
        items + this.waiting[size].items <= GROUP_MAX_ITEMS
      ) {
        items += this.waiting[size].items;
        size += 1;
      }
      const group = this.waiting.splice(0, size);
      const now = performance.now();
      for (const d of group) this.metrics?.webhookQueueSeconds.observe((now - d.queuedAt) / 1000);
      this.inFlight += 1;
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        this.inFlight -= 1;
        this.startGroups();
      };
      void this.storeGroup(group, release).finally(release);
    }
  }

  /**
   * Stores a group in one transaction and answers each of its deliveries. Never throws.
   * `release` frees its commit slot: called as soon as the group has committed, so the next
   * group's transaction is under way before this one's answers are written.
   */
  private async storeGroup(group: PendingDelivery[], release: () => void): Promise<void> {
    let outcomes: ProcessOutcome[];
    const startedAt = performance.now();
    try {
      outcomes = await this.withRetry(() =>
        pipelinedTransaction(this.dataSource, async (manager) => {
          // The live events go out with the raw events: one statement for both, sent with
          // the COMMIT.
          const events: EventToPublish[] = [];
          const outcomes = await this.process(
            manager,
            group.map((d) => d.parsed),
            { deferEvents: events },
          );
          return { value: outcomes, last: this.eventsStatement(group, outcomes, events) };
        }),
      );
    } catch (err) {
      if (group.length > 1 && !isDatabaseUnavailable(err)) {
        // One delivery this code cannot process must not fail the others: each goes alone.
        await Promise.all(group.map((d) => this.storeGroup([d], () => undefined)));
        return;
      }
      for (const delivery of group) {
        try {
          delivery.resolve(await this.storeFailed(delivery, err));
        } catch (failure) {
          delivery.reject(failure);
        }
      }
      return;
    }
    release();
    this.metrics?.webhookCommitGroups.observe(group.length);
    this.metrics?.webhookCommitSeconds.observe((performance.now() - startedAt) / 1000);
    group.forEach((delivery, i) => {
      const outcome = outcomes[i];
      // Counted after the commit: a retried transaction is counted once.
      this.metrics?.recordWebhookStored({
        outcome: outcome.outcome,
        messagesReceived: outcome.messagesReceived ?? 0,
        messagesStored: outcome.messagesStored,
        unknownNumberChanges: outcome.unknownNumberChanges ?? 0,
      });
    });
    // Answered from the next turn of the event loop: resolved here, the answers (Nest's
    // interceptors, serialization, the socket writes: tens of microseconds each) would all
    // run before the next group's transaction could take its connection from the pool, which
    // pg-pool hands over on process.nextTick — the commit slot would idle for all of them.
    setImmediate(() =>
      group.forEach((delivery, i) => delivery.resolve(outcomes[i].firstMessageId)),
    );
  }

  /**
   * A delivery whose processing failed on its own. The database being away (or too busy)
   * is Meta's to retry (503). Anything else must not be answered with an error: Meta would
   * retry it for days and then drop it. It is kept raw as `failed`; a replay (after a fix)
   * derives what it holds.
   */
  private async storeFailed(delivery: PendingDelivery, err: unknown): Promise<null> {
    if (isDatabaseUnavailable(err) || err instanceof WebhookBusyError) throw err;
    this.logger.error({ err }, 'Webhook processing failed; raw event kept as failed');
    const failed: ProcessOutcome = {
      outcome: 'failed',
      error: describe(err),
      messagesStored: 0,
      messagesUpdated: 0,
      statusesStored: 0,
      firstMessageId: null,
    };
    await this.withRetry(() =>
      pipelinedTransaction(this.dataSource, () =>
        Promise.resolve({ value: null, last: this.eventsStatement([delivery], [failed]) }),
      ),
    );
    this.metrics?.recordWebhookStored({
      outcome: 'failed',
      messagesReceived: 0,
      messagesStored: 0,
      unknownNumberChanges: 0,
    });
    return null;
  }

  /**
   * Routes every change of the notifications to its workspace and ingests them together
   * (one set of statements per workspace however many notifications), then tells each
   * notification what became of it.
   */
  private async process(
    manager: EntityManager,
    notifications: ParsedNotification[],
    options: IngestOptions = {},
  ): Promise<ProcessOutcome[]> {
    const outcomes = notifications.map((parsed): ProcessOutcome =>
      parsed.ignoredReason !== null
        ? {
            outcome: 'ignored',
            error: this.problemText([parsed.ignoredReason, ...parsed.problems]),
            messagesStored: 0,
            messagesUpdated: 0,
            statusesStored: 0,
            firstMessageId: null,
          }
        : {
            outcome: 'processed',
            error: null,
            messagesStored: 0,
            messagesUpdated: 0,
            statusesStored: 0,
            firstMessageId: null,
            messagesReceived: 0,
            unknownNumberChanges: 0,
          },
    );
    const live = notifications.filter((parsed) => parsed.ignoredReason === null);
    if (live.length === 0) return outcomes;
    const { routes, confirmed } = await this.numbers.resolve(
      manager,
      live.flatMap((parsed) =>
        parsed.changes.map((c) => ({
          phoneNumberId: c.phoneNumberId,
          displayPhoneNumber: c.displayPhoneNumber,
        })),
      ),
    );
    let ingested: Map<number, IngestResult>;
    try {
      ingested = await this.ingestRouted(
        manager,
        live.flatMap((parsed) => parsed.changes),
        routes,
        options,
      );
      await confirmed;
    } catch (err) {
      // A statement can fail because a route answered from memory was stale (a removed
      // number's id): then that is the error to retry on.
      await confirmed.catch((stale: unknown) => {
        if (stale instanceof RoutesChangedError) throw stale;
      });
      throw err;
    }
    // What was stored is credited to the first notification in the group that carried it.
    const credited = new Set<string>();
    const credit = (key: string): boolean => {
      if (credited.has(key)) return false;
      credited.add(key);
      return true;
    };
    notifications.forEach((parsed, i) => {
      if (parsed.ignoredReason !== null) return;
      const result = outcomes[i];
      const unknown = new Set<string>();
      let routed = 0;
      for (const change of parsed.changes) {
        const route = routes.get(change.phoneNumberId);
        if (!route) {
          unknown.add(change.phoneNumberId);
          continue;
        }
        routed += 1;
        const done = ingested.get(route.workspaceId) as IngestResult;
        result.messagesReceived = (result.messagesReceived ?? 0) + change.messages.length;
        for (const m of change.messages) {
          // The first message in payload order, whether stored now or by an earlier delivery.
          result.firstMessageId ??= done.messageIds.get(m.waMessageId) ?? null;
          if (
            done.storedMessages.has(m.waMessageId) &&
            credit(`${route.workspaceId}:m:${m.waMessageId}`)
          ) {
            result.messagesStored += 1;
          }
        }
        for (const st of change.statuses) {
          const key = statusKey(st.waMessageId, st.status, st.timestamp);
          if (done.storedStatuses.has(key) && credit(`${route.workspaceId}:s:${key}`)) {
            result.statusesStored += 1;
          }
        }
      }
      if (unknown.size > 0) {
        this.logger.warn(
          `Webhook for unknown phone_number_id ${[...unknown].join(', ')}: kept raw, nothing derived`,
        );
      }
      result.unknownNumberChanges = parsed.changes.length - routed;
      if (routed === 0) result.outcome = 'unknown_number';
      result.error = this.problemText([
        ...(unknown.size > 0 ? [`unknown phone_number_id: ${[...unknown].join(', ')}`] : []),
        ...parsed.problems,
      ]);
    });
    // Rewrites happen only on replay, which processes one notification at a time.
    if (notifications.length === 1) {
      outcomes[0].messagesUpdated = [...ingested.values()].reduce(
        (n, r) => n + r.messagesUpdated,
        0,
      );
    }
    return outcomes;
  }

  /**
   * Ingests each workspace's share of the changes (one set of statements per workspace) and
   * gives messages stored earlier without a number the number they arrived on.
   */
  private async ingestRouted(
    manager: EntityManager,
    changes: ParsedNotification['changes'],
    routes: Map<string, NumberRoute>,
    options: IngestOptions,
  ): Promise<Map<number, IngestResult>> {
    const batches = new Map<number, IngestBatch>();
    for (const change of changes) {
      const route = routes.get(change.phoneNumberId);
      if (!route) continue;
      const batch = batches.get(route.workspaceId) ?? {
        messages: [],
        statuses: [],
        numberIds: new Map<string, number>(),
      };
      batch.messages.push(...change.messages);
      batch.statuses.push(...change.statuses);
      for (const m of change.messages) batch.numberIds?.set(m.waMessageId, route.numberId);
      batches.set(route.workspaceId, batch);
    }
    const ingested = new Map<number, IngestResult>();
    for (const [workspaceId, batch] of [...batches.entries()].sort(([a], [b]) => a - b)) {
      ingested.set(workspaceId, await this.ingest.ingest(manager, workspaceId, batch, options));
    }
    // New messages were stored with their number; one stored earlier may still lack it.
    const earlier = new Map<number, { workspaceId: number; waMessageIds: string[] }>();
    for (const [workspaceId, batch] of batches) {
      const done = ingested.get(workspaceId) as IngestResult;
      for (const [waMessageId, numberId] of batch.numberIds ?? []) {
        if (done.storedMessages.has(waMessageId)) continue;
        const entry = earlier.get(numberId) ?? { workspaceId, waMessageIds: [] };
        entry.waMessageIds.push(waMessageId);
        earlier.set(numberId, entry);
      }
    }
    for (const [numberId, entry] of [...earlier.entries()].sort(([a], [b]) => a - b)) {
      await this.ingest.assignNumber(manager, entry.workspaceId, numberId, entry.waMessageIds);
    }
    return ingested;
  }

  private problemText(problems: string[]): string | null {
    if (problems.length === 0) return null;
    const shown = problems.slice(0, MAX_PROBLEMS);
    if (problems.length > MAX_PROBLEMS) shown.push(`… and ${problems.length - MAX_PROBLEMS} more`);
    return shown.join('\n');
  }

  /**
   * The statement that writes the raw events of a group, with what became of each, and the
   * live events of what they stored.
   */
  private eventsStatement(
    deliveries: PendingDelivery[],
    outcomes: ProcessOutcome[],
    events: EventToPublish[] = [],
  ): Statement | null {
    return this.events.publishAllStatement(events, {
      text: `INSERT INTO webhook_events (received_at, raw_body, payload, signature_valid, outcome, error,
                                   messages_stored, statuses_stored)
       SELECT * FROM unnest($1::timestamptz[], $2::bytea[], $3::jsonb[], $4::boolean[], $5::text[],
                            $6::text[], $7::int[], $8::int[])`,
      values: [
        deliveries.map((d) => d.event.receivedAt),
        deliveries.map((d) => d.event.rawBody),
        deliveries.map((d) => JSON.stringify(d.payload ?? null)),
        deliveries.map((d) => d.event.signatureValid),
        outcomes.map((o) => o.outcome),
        outcomes.map((o) => o.error),
        outcomes.map((o) => o.messagesStored),
        outcomes.map((o) => o.statusesStored),
      ],
    });
  }

  /**
   * Runs a transaction again when concurrent deliveries collided (a deadlock, serialization
   * failure or UNIQUE_VIOLATION), after a short random pause so the colliders do not meet
   * again. Gives up with 503 (Meta retries).
   */
  private async withRetry<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (err) {
        if (err instanceof RoutesChangedError) {
          // The remembered routes were stale; the lookup that found it remembered the new ones.
          if (attempt >= MAX_ATTEMPTS) throw err;
          continue;
        }
        const unique = pgErrorCode(err) === UNIQUE_VIOLATION;
        if (!unique && !isCollision(err)) throw err;
        if (attempt >= MAX_ATTEMPTS) {
          // A unique violation that survives every retry is not a race but a bug: let the
          // caller keep the event as failed instead of making Meta retry it forever.
          if (unique) throw err;
          throw new WebhookBusyError(
            'The webhook collided with concurrent deliveries; retry later',
          );
        }
        await collisionPause(attempt);
      }
    }
  }

  /**
   * Re-processes stored events: after a parser fix, a number registered late, or a failed
   * processing. Idempotent — what is stored stays stored once; messages whose parse
   * changed get their parsed fields rewritten (and a `message.updated` event).
   */
  async replay(filter: ReplayFilter): Promise<ReplaySummary> {
    const outcomes =
      filter.outcomes ??
      (filter.ids === undefined && filter.since === undefined && filter.unknownNumber === undefined
        ? ['failed', 'unknown_number']
        : undefined);
    const summary: ReplaySummary = {
      events: 0,
      failed: 0,
      messagesStored: 0,
      messagesUpdated: 0,
      statusesStored: 0,
      results: [],
    };
    let after = '0';
    for (;;) {
      const page = await this.dataSource.query<{ id: string }[]>(
        `SELECT id FROM webhook_events
          WHERE id > $1
            AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[]))
            AND ($3::timestamptz IS NULL OR received_at >= $3)
            AND ($4::text[] IS NULL OR outcome = ANY($4::text[]))
            AND ($5::text IS NULL OR (
                  (outcome = 'unknown_number'
                   OR (outcome = 'processed' AND error LIKE 'unknown phone_number_id:%'))
                  AND jsonb_path_exists(payload,
                        '$.entry[*].changes[*].value.metadata.phone_number_id ? (@ == $id)',
                        jsonb_build_object('id', $5::text))))
          ORDER BY id
          LIMIT 100`,
        [
          after,
          filter.ids ?? null,
          filter.since ?? null,
          outcomes ?? null,
          filter.unknownNumber ?? null,
        ],
      );
      if (page.length === 0) return summary;
      for (const { id } of page) {
        const replayed = await this.replayOne(id);
        summary.events += 1;
        summary.results.push(replayed);
        if (replayed.outcome === null) summary.failed += 1;
        summary.messagesStored += replayed.messagesStored;
        summary.messagesUpdated += replayed.messagesUpdated;
        summary.statusesStored += replayed.statusesStored;
      }
      after = page[page.length - 1].id;
    }
  }

  private async replayOne(id: string): Promise<ReplayedEvent> {
    try {
      return await this.withRetry(() =>
        this.dataSource.transaction(async (manager) => {
          // The row lock makes concurrent replays of one event take turns.
          const [row] = await manager.query<
            { raw_body: Buffer | null; payload: unknown; received_at: Date }[]
          >(`SELECT raw_body, payload, received_at FROM webhook_events WHERE id = $1 FOR UPDATE`, [
            id,
          ]);
          const parsed = parseNotification(
            pgSafeJson(this.storedBody(row.raw_body, row.payload)),
            row.received_at,
          );
          const [outcome] = await this.process(manager, [parsed], { reparse: true });
          await manager.query(
            `UPDATE webhook_events
                SET outcome = $2, error = $3, messages_stored = messages_stored + $4,
                    statuses_stored = statuses_stored + $5, replay_count = replay_count + 1, replayed_at = now()
              WHERE id = $1`,
            [id, outcome.outcome, outcome.error, outcome.messagesStored, outcome.statusesStored],
          );
          return { id, ...outcome };
        }),
      );
    } catch (err) {
      if (isDatabaseUnavailable(err)) throw err;
      this.logger.error({ err }, `Replay of webhook event ${id} failed`);
      const error = `replay failed: ${describe(err)}`;
      await this.dataSource.query(
        `UPDATE webhook_events SET error = $2, replay_count = replay_count + 1, replayed_at = now() WHERE id = $1`,
        [id, error],
      );
      return { id, outcome: null, messagesStored: 0, messagesUpdated: 0, statusesStored: 0, error };
    }
  }

  /** The exact bytes when kept (the parsed copy had NULs replaced), else the parsed copy. */
  private storedBody(rawBody: Buffer | null, payload: unknown): unknown {
    if (rawBody === null) return payload;
    try {
      return JSON.parse(rawBody.toString('utf8')) as unknown;
    } catch {
      return payload;
    }
  }
}
