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
