/**
 * Identifier generation. A seeded PRNG (mulberry32) drives every id, trace id and random
 * decision of an emulator instance, so a test that passes a `seed` sees the same ids, the
 * same injected random failures and the same status shuffles on every run.
 */
import { randomInt } from 'node:crypto';

export interface IdSource {
  /** The seed in use, printed so a surprising run can be replayed. */
  readonly seed: number;
  /** Uniform number in [0, 1). */
  random(): number;
  /**
   * A WhatsApp message id. Real wamids are "wamid." + base64 of a small binary record holding
   * the customer's number (e.g. `wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQz…`); apps must treat them
   * as opaque, but mimicking the shape catches columns that are too short.
   */
  wamid(waId: string): string;
  /** A numeric Graph object id such as a media id (15–16 digits in practice). */
  numericId(): string;
  /** Graph's fbtrace_id: 11 base64url-ish characters. */
  fbtraceId(): string;
  /** Lowercase hex of the given length (conversation ids are 32 hex chars). */
  hex(length: number): string;
}

export function seedFrom(seed: number | string | undefined): number {
  if (seed === undefined) {
    return randomInt(0, 2 ** 31);
  }
  if (typeof seed === 'number') {
    return seed >>> 0;
  }
  // FNV-1a so a readable string seed ("inbox-tests") maps to a stable 32-bit number.
  let hash = 0x811c9dc5;
  for (let i = 0; i < seed.length; i += 1) {
    hash ^= seed.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const TRACE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const UPPER_HEX = '0123456789ABCDEF';

export function createIdSource(seed: number | string | undefined): IdSource {
  const resolved = seedFrom(seed);
  let stateValue = resolved;
  const random = (): number => {
    stateValue = (stateValue + 0x6d2b79f5) >>> 0;
    let t = stateValue;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = (alphabet: string, length: number): string => {
    let out = '';
    for (let i = 0; i < length; i += 1) {
      out += alphabet[Math.floor(random() * alphabet.length)];
    }
    return out;
  };
  return {
    seed: resolved,
    random,
    wamid(waId: string): string {
      const phone = Buffer.from(waId.replace(/\D/g, '').slice(0, 20), 'ascii');
      const tail = Buffer.from(pick(UPPER_HEX, 20), 'ascii');
      const record = Buffer.concat([
        Buffer.from([0x1c, 0x18, phone.length]),
        phone,
        Buffer.from([0x15, 0x02, 0x00, 0x11, 0x18, tail.length]),
        tail,
        Buffer.from([0x00]),
      ]);
      return `wamid.${record.toString('base64')}`;
    },
    numericId(): string {
      return `${1 + Math.floor(random() * 9)}${pick('0123456789', 15)}`;
    },
    fbtraceId(): string {
      return pick(TRACE_ALPHABET, 11);
    },
    hex(length: number): string {
      return pick('0123456789abcdef', length);
    },
  };
}
