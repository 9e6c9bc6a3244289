/** `GET /api/stats` (SPEC). */
export interface Stats {
  readonly total_messages: number;
  readonly total_contacts: number;
  readonly total_conversations: number;
  readonly inbound_messages: number;
  readonly outbound_messages: number;
}

/** One UTC day of `GET /api/stats/daily` (docs/inbox-api.md). */
export interface DailyStat {
  readonly date: string;
  readonly inbound: number;
  readonly outbound: number;
}

export interface DailyStats {
  readonly days: DailyStat[];
}

/** What the Notifications card says about the WhatsApp connection. */
export type WhatsappHealth =
  | { readonly kind: 'checking' }
  | { readonly kind: 'ok' }
  /** Not answered in a way we understand (e.g. 404 before the route exists): say nothing. */
  | { readonly kind: 'unknown' }
  | { readonly kind: 'not-configured'; readonly message: string }
  | { readonly kind: 'rejected'; readonly message: string };

/** One card's data: loading, loaded or failed with a message to show beside Retry. */
export type CardState<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly data: T }
  | { readonly status: 'error'; readonly message: string };

/** A phone number whose webhooks reached No Lose but no workspace (kept, not in any inbox). */
export interface UnknownNumber {
  phone_number_id: string;
  display_phone_number: string | null;
  events: number;
  last_received_at: string;
}
