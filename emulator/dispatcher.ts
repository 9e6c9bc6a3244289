/**
 * Delivers notifications to the app and keeps track of delayed work, so tests can wait for
 * "everything the emulator had queued" (`settled()`) and `close()`/`reset()` can cancel it.
 */
import type { WebhookPayload } from './payloads.js';
import type { EmulatorState, WebhookRecord } from './state.js';
import { deliverWebhook, serializeLikeMeta, signBody } from './webhook-sender.js';

export class Dispatcher {
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private readonly pending = new Set<Promise<unknown>>();
  /**
   * Deliveries go out one at a time, in the order they were produced, so a test sees `sent`
   * before `delivered` unless it asked for reordering (Meta gives no such guarantee; the
   * emulator makes disorder opt-in via `statuses.reorderRate`).
   */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly state: EmulatorState) {}

  /** Signs, sends (with retries) and records one notification. */
  notify(kind: WebhookRecord['kind'], payload: WebhookPayload): Promise<WebhookRecord> {
    const delivery = this.queue.then(() => this.deliver(kind, payload));
    this.queue = delivery.catch(() => undefined);
    return this.track(delivery);
  }

  /** Runs `task` after `delayMs`, unless cancelled first. */
  schedule(delayMs: number, task: () => Promise<unknown>): void {
    const done = new Promise<void>((resolve) => {
      const timer = setTimeout(
        () => {
          this.timers.delete(timer);
          task().then(
            () => resolve(),
            () => resolve(),
          );
        },
        Math.max(0, delayMs),
      );
      this.timers.set(timer, resolve);
    });
    void this.track(done);
  }

  /** Resolves once no timer is waiting and no delivery is in flight. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) {
      await Promise.allSettled([...this.pending]);
    }
  }

  cancelAll(): void {
    for (const [timer, resolve] of this.timers) {
      clearTimeout(timer);
      resolve();
    }
    this.timers.clear();
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.pending.add(promise);
    const forget = (): void => {
      this.pending.delete(promise);
    };
    promise.then(forget, forget);
    return promise;
  }

  private async deliver(
    kind: WebhookRecord['kind'],
    payload: WebhookPayload,
  ): Promise<WebhookRecord> {
    const settings = this.state.config.webhook;
    const generation = this.state.generation;
    const at = this.state.nowIso();
    let record: WebhookRecord;
    if (settings.url === null) {
      const raw = serializeLikeMeta(payload, { escapeSlashes: settings.escapeSlashes });
      const signature = signBody(this.state.identity.appSecret, raw);
      record = { kind, payload, raw, signature, ok: false, status: null, attempts: [], at };
    } else {
      const result = await deliverWebhook(payload, {
        url: settings.url,
        appSecret: this.state.identity.appSecret,
        retries: settings.retries,
        retryDelayMs: settings.retryDelayMs,
        timeoutMs: settings.timeoutMs,
        escapeSlashes: settings.escapeSlashes,
      });
      record = {
        kind,
        payload,
        raw: result.raw,
        signature: result.signature,
        ok: result.ok,
        status: result.status,
        attempts: result.attempts,
        at,
      };
    }
    if (generation === this.state.generation) {
      this.state.webhooks.push(record);
    }
    return record;
  }
}
