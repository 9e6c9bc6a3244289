import { Injectable } from '@angular/core';

/** localStorage key of the access token; the browser tests read it too. */
export const TOKEN_KEY = 'nolose.token';

/**
 * Keeps the JWT in localStorage (SPEC: "token saved"). Storage can throw (Safari private
 * mode, disabled cookies), in which case the session lives only in memory.
 */
@Injectable({ providedIn: 'root' })
export class TokenStorage {
  private memory: string | null = null;

  read(): string | null {
    try {
      return localStorage.getItem(TOKEN_KEY) ?? this.memory;
    } catch {
      return this.memory;
    }
  }

  write(token: string): void {
    this.memory = token;
    try {
      localStorage.setItem(TOKEN_KEY, token);
    } catch {
      // Memory copy above is enough for this tab.
    }
  }

  clear(): void {
    this.memory = null;
    try {
      localStorage.removeItem(TOKEN_KEY);
    } catch {
      // Nothing stored, nothing to clear.
    }
  }
}

/**
 * Reads the `exp` claim (seconds since the epoch) of a JWT without verifying it: the
 * client only needs to know when the server will start refusing the token.
 * Returns the expiry in milliseconds, or null when the token has none or is malformed.
 */
export function readTokenExpiry(token: string): number | null {
  const payload = token.split('.')[1];
  if (!payload) {
    return null;
  }
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const padded = base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '=');
    const claims: unknown = JSON.parse(atob(padded));
    if (typeof claims === 'object' && claims !== null && 'exp' in claims) {
      const exp = claims.exp;
      return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : null;
    }
    return null;
  } catch {
    return null;
  }
}
