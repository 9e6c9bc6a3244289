import { createHmac, timingSafeEqual } from 'node:crypto';

const HEADER_FORMAT = /^sha256=([0-9a-fA-F]{64})$/;

/**
 * Checks Meta's `X-Hub-Signature-256` header: `sha256=` + hex HMAC-SHA256 of the request
 * body with the app secret. It must be computed over the raw bytes as received — Meta signs
 * the body with non-ASCII escaped as \uXXXX, so hashing re-serialised JSON fails on any
 * non-English text. Compared in constant time.
 * https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads
 */
export function isValidSignature(
  rawBody: Buffer,
  header: string | undefined,
  appSecret: string,
): boolean {
  const match = header === undefined ? null : HEADER_FORMAT.exec(header.trim());
  if (!match) return false;
  const given = Buffer.from(match[1], 'hex');
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The `metadata.phone_number_id`s a notification names, read leniently before anything is
 * trusted: they only choose which app secrets may have signed it.
 */
export function namedPhoneNumberIds(body: unknown): string[] {
  const ids = new Set<string>();
  const entries = (body as { entry?: unknown } | null)?.entry;
  if (!Array.isArray(entries)) return [];
  for (const entry of entries) {
    const changes = (entry as { changes?: unknown } | null)?.changes;
    if (!Array.isArray(changes)) continue;
    for (const change of changes) {
      const id = (change as { value?: { metadata?: { phone_number_id?: unknown } } } | null)?.value
        ?.metadata?.phone_number_id;
      if (typeof id === 'string' && id.length <= 64) ids.add(id);
    }
  }
  return [...ids].slice(0, 100);
}

/**
 * Meta signs each delivery with the secret of the app the number is subscribed through.
 * Rule: a POST is accepted when its signature matches any candidate secret — WA_APP_SECRET
 * (the environment app) or the app secret of a number the body names. With no candidate
 * at all (no WA_APP_SECRET, no named number with a secret) nothing can be verified:
 * development and tests only (production requires WA_APP_SECRET).
 */
export function matchesAnySecret(
  rawBody: Buffer,
  header: string | undefined,
  secrets: string[],
): boolean {
  return secrets.some((secret) => isValidSignature(rawBody, header, secret));
}
