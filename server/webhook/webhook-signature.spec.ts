import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { isValidSignature } from './webhook-signature.js';

const SECRET = 'app-secret';
const sign = (raw: string | Buffer, secret = SECRET): string =>
  `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
// What Meta sends for {"text":"Привет 👋"}: non-ASCII escaped as \uXXXX.
const META_RAW = '{"text":"\\u041f\\u0440\\u0438\\u0432\\u0435\\u0442 \\ud83d\\udc4b"}';

describe(isValidSignature.name, () => {
  it('accepts the HMAC-SHA256 of the raw bytes', () => {
    expect(isValidSignature(Buffer.from(META_RAW), sign(META_RAW), SECRET)).toBe(true);
  });

  it('accepts upper-case hex and surrounding whitespace', () => {
    expect(
      isValidSignature(
        Buffer.from(META_RAW),
        ` ${sign(META_RAW).toUpperCase().replace('SHA256', 'sha256')} `,
        SECRET,
      ),
    ).toBe(true);
  });

  it('refuses a signature over re-serialised JSON (the non-ASCII bug)', () => {
    const reserialised = JSON.stringify(JSON.parse(META_RAW));
    expect(reserialised).not.toBe(META_RAW);
    expect(isValidSignature(Buffer.from(META_RAW), sign(reserialised), SECRET)).toBe(false);
  });

  it('refuses another secret, another body, a missing or malformed header', () => {
    const body = Buffer.from(META_RAW);
    expect(isValidSignature(body, sign(META_RAW, 'other-secret'), SECRET)).toBe(false);
    expect(isValidSignature(Buffer.from(META_RAW + ' '), sign(META_RAW), SECRET)).toBe(false);
    expect(isValidSignature(body, undefined, SECRET)).toBe(false);
    expect(isValidSignature(body, '', SECRET)).toBe(false);
    expect(isValidSignature(body, sign(META_RAW).slice('sha256='.length), SECRET)).toBe(false);
    expect(isValidSignature(body, 'sha1=' + sign(META_RAW).slice('sha256='.length), SECRET)).toBe(
      false,
    );
    expect(isValidSignature(body, sign(META_RAW).slice(0, -2), SECRET)).toBe(false);
    expect(isValidSignature(body, sign(META_RAW).slice(0, -1) + 'z', SECRET)).toBe(false);
  });
});
