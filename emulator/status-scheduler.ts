/**
 * Status webhooks for messages the app sent: sent → delivered → read by default, with the
 * irregularities Meta documents (statuses can arrive out of order, `delivered` can be skipped
 * when a message is read at once, webhooks are at-least-once, delivery can fail after the send
 * was accepted — 131026 "Message undeliverable" is usually reported this way).
 */
import { webhookError } from './errors.js';
import type { Dispatcher } from './dispatcher.js';
import {
  buildWebhookPayload,
  unixSeconds,
  type MessageStatus,
  type StatusValue,
} from './payloads.js';
import type { EmulatorState, SentMessage, StatusRecord } from './state.js';

export interface ForcedFailure {
  code: number;
  details?: string;
}

interface PlannedStatus {
  status: StatusValue;
  delayMs: number;
  failure?: ForcedFailure;
}

/** Decides which statuses follow a send; random draws happen in a fixed order for seeded runs. */
export function planStatuses(state: EmulatorState, forced?: ForcedFailure): PlannedStatus[] {
  const behaviour = state.config.statuses;
  const draw = {
    fail: state.ids.random(),
    skip: state.ids.random(),
    reorder: state.ids.random(),
    duplicate: state.ids.random(),
    duplicateIndex: state.ids.random(),
  };
  const sent: PlannedStatus = { status: 'sent', delayMs: behaviour.sentDelayMs };
  const failure = forced ?? (draw.fail < behaviour.failRate ? { code: 131026 } : undefined);
  if (failure) {
    return [sent, { status: 'failed', delayMs: behaviour.deliveredDelayMs, failure }];
  }
  if (!behaviour.enabled) {
    return [];
  }
  const plan: PlannedStatus[] = [sent];
  const skipDelivered = draw.skip < behaviour.skipDeliveredRate;
  if (!skipDelivered) {
    plan.push({ status: 'delivered', delayMs: behaviour.deliveredDelayMs });
  }
  if (behaviour.read) {
    plan.push({ status: 'read', delayMs: behaviour.readDelayMs });
  }
  const delivered = plan.find((entry) => entry.status === 'delivered');
  const read = plan.find((entry) => entry.status === 'read');
  if (delivered && read && draw.reorder < behaviour.reorderRate) {
    [delivered.delayMs, read.delayMs] = [read.delayMs, delivered.delayMs];
  }
  if (draw.duplicate < behaviour.duplicateRate) {
    const original = plan[Math.floor(draw.duplicateIndex * plan.length)] ?? sent;
    plan.push({ ...original, delayMs: original.delayMs + 5 });
  }
  return plan;
}

function apiMajor(version: string): number {
  return Number(/^v(\d+)/.exec(version)?.[1] ?? '0');
}

/**
 * One `statuses[]` entry. Pricing (PMP since July 2025) rides on `sent` and on the first of
 * delivered/read; the `conversation` object is omitted from v24.0 on.
 */
export function buildStatus(
  state: EmulatorState,
  message: SentMessage,
  status: StatusValue,
  failure?: ForcedFailure,
): MessageStatus {
  const result: MessageStatus = {
    id: message.wamid,
    status,
    timestamp: unixSeconds(state.clock()),
    recipient_id: message.waId,
  };
  if (failure) {
    result.errors = [webhookError(failure.code, failure.details)];
    return result;
  }
  const carriesPricing =
    status === 'sent' ||
    !message.statuses.some((entry) => entry.status === 'delivered' || entry.status === 'read');
  if (!carriesPricing || status === 'deleted') {
    return result;
  }
  const template = message.type === 'template' ? templateCategory(state, message) : undefined;
  const category = template ?? 'service';
  if (apiMajor(message.apiVersion) < 24) {
    result.conversation = {
      id: conversationFor(state, message.waId),
      ...(status === 'sent'
        ? { expiration_timestamp: unixSeconds(state.clock() + 24 * 3600 * 1000) }
        : {}),
      origin: { type: category },
    };
  }
  result.pricing = template
    ? { billable: true, pricing_model: 'PMP', type: 'regular', category }
    : { billable: false, pricing_model: 'PMP', type: 'free_customer_service', category };
  return result;
}

/**
 * The customer's conversation id. Allocated when the send is handled (not when a timer fires)
 * so seeded runs draw from the PRNG in the same order whatever the timing.
 */
function conversationFor(state: EmulatorState, waId: string): string {
  let id = state.conversations.get(waId);
  if (!id) {
    id = state.ids.hex(32);
    state.conversations.set(waId, id);
  }
  return id;
}

function templateCategory(state: EmulatorState, message: SentMessage): string | undefined {
  const template = message.request.template as { name?: unknown } | undefined;
  const found = state.templates.find((candidate) => candidate.name === template?.name);
  return found?.category.toLowerCase();
}

/** Sends one status webhook now and records it on the message. */
export async function emitStatus(
  state: EmulatorState,
  dispatcher: Dispatcher,
  message: SentMessage,
  status: StatusValue,
  failure?: ForcedFailure,
): Promise<StatusRecord> {
  const entry = buildStatus(state, message, status, failure);
  const record: StatusRecord = {
    status,
    at: state.nowIso(),
    delivered: false,
    ...(failure ? { errorCode: failure.code } : {}),
  };
  message.statuses.push(record);
  const payload = buildWebhookPayload({
    wabaId: state.identity.wabaId,
    phoneNumberId: message.phoneNumberId,
    displayPhoneNumber: state.businessNumber,
    statuses: [entry],
  });
  const delivery = await dispatcher.notify('status', payload);
  record.delivered = delivery.ok;
  return record;
}

export function scheduleStatuses(
  state: EmulatorState,
  dispatcher: Dispatcher,
  message: SentMessage,
  forced?: ForcedFailure,
): void {
  conversationFor(state, message.waId);
  for (const planned of planStatuses(state, forced)) {
    dispatcher.schedule(planned.delayMs, () =>
      emitStatus(state, dispatcher, message, planned.status, planned.failure),
    );
  }
}
