import { describe, expect, it } from '@jest/globals';
import type { ConfigService } from '@nestjs/config';
import type { Env } from '../config/env.js';
import { maskSecret, SecretCipher } from './secret-cipher.js';

const cipherWith = (key: string): SecretCipher =>
  new SecretCipher({ getOrThrow: () => key } as unknown as ConfigService<Env, true>);

describe(SecretCipher.name, () => {
  const sut = cipherWith('k'.repeat(40));

  it('round-trips and never stores the plain text', () => {
    const stored = sut.encrypt('EAAG-secret-token');
    expect(stored).not.toContain('EAAG');
    expect(sut.decrypt(stored)).toBe('EAAG-secret-token');
  });

  it('encrypts equal values differently', () => {
    expect(sut.encrypt('same')).not.toBe(sut.encrypt('same'));
  });

  it('refuses a value encrypted under another key or tampered with', () => {
    const stored = sut.encrypt('secret');
    expect(() => cipherWith('x'.repeat(40)).decrypt(stored)).toThrow();
    const parts = stored.split('.');
    parts[3] = Buffer.from('other').toString('base64url');
    expect(() => sut.decrypt(parts.join('.'))).toThrow();
  });

  it('masks to the last four characters', () => {
    expect(maskSecret('abcd')).toBe('••••abcd');
    expect(maskSecret(null)).toBeNull();
  });
});
