import { TestBed } from '@angular/core/testing';

import { TOKEN_KEY, TokenStorage, readTokenExpiry } from './token-storage';
import { fakeJwt } from './testing/fake-jwt';

describe(TokenStorage.name, () => {
  beforeEach(() => localStorage.clear());

  it('keeps the token under nolose.token', () => {
    const storage = TestBed.inject(TokenStorage);
    storage.write('abc');
    expect(localStorage.getItem(TOKEN_KEY)).toBe('abc');
    expect(storage.read()).toBe('abc');
    storage.clear();
    expect(storage.read()).toBeNull();
    expect(localStorage.getItem('nolose.token')).toBeNull();
  });
});

describe('readTokenExpiry', () => {
  it('reads exp in milliseconds', () => {
    expect(readTokenExpiry(fakeJwt({ exp: 1_800_000_000 }))).toBe(1_800_000_000_000);
  });

  it('answers null for a token without exp or a malformed token', () => {
    expect(readTokenExpiry(fakeJwt({ sub: '1' }))).toBeNull();
    expect(readTokenExpiry('not-a-jwt')).toBeNull();
    expect(readTokenExpiry('a.%%%.c')).toBeNull();
  });

  it('decodes base64url payloads', () => {
    // "~~~" encodes to characters that differ between base64 and base64url.
    expect(readTokenExpiry(fakeJwt({ exp: 2_000_000_000, name: '~~~??>' }))).toBe(
      2_000_000_000_000,
    );
  });
});
