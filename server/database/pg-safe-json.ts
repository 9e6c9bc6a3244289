// PostgreSQL text and jsonb cannot hold U+0000, and jsonb rejects unpaired UTF-16
// surrogates ("\ud83d" alone): both are valid JSON, so a customer (or a buggy client) can
// send them, and an INSERT that fails on them would fail the whole webhook again on every
// retry. They are replaced with U+FFFD; the exact bytes stay in webhook_events.raw_body.
const UNSAFE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const UNSAFE_TEST = /\u0000|[\uD800-\uDFFF]/;

export function pgSafeText(text: string): string {
  return UNSAFE_TEST.test(text) ? text.replace(UNSAFE, '\uFFFD') : text;
}

/** A copy of parsed JSON whose strings (keys included) PostgreSQL text and jsonb accept. */
export function pgSafeJson(value: unknown): unknown {
  if (typeof value === 'string') return pgSafeText(value);
  if (Array.isArray(value)) return value.map(pgSafeJson);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[pgSafeText(key)] = pgSafeJson(item);
    return out;
  }
  return value;
}
