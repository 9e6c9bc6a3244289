import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../config/env.js';

const VERSION = 'v1';

/**
 * AES-256-GCM for credentials at rest (WhatsApp tokens and secrets). Stored form:
 * `v1.<iv>.<tag>.<ciphertext>` in base64url; the random 12-byte IV makes equal secrets
 * encrypt differently, and the GCM tag refuses tampered or wrongly keyed values.
 * The 32-byte key is SHA-256 of ENCRYPTION_KEY, so any string of ≥ 32 characters works.
 */
@Injectable()
export class SecretCipher {
  private readonly key: Buffer;

  constructor(config: ConfigService<Env, true>) {
    this.key = SecretCipher.deriveKey(config.getOrThrow('ENCRYPTION_KEY', { infer: true }));
  }

  static deriveKey(secret: string): Buffer {
    return createHash('sha256').update(secret).digest();
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), data]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  decrypt(stored: string): string {
    const [version, iv, tag, data] = stored.split('.');
    if (version !== VERSION || !iv || !tag || data === undefined) {
      throw new Error('Unreadable encrypted value');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(data, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  }
}

/** What a response may show of a secret: its last four characters. */
export const maskSecret = (last4: string | null): string | null =>
  last4 === null ? null : `••••${last4}`;
