import { Injectable } from '@angular/core';

/** localStorage key of the access token; the browser tests read it too. */
export const TOKEN_KEY = 'nolose.token';
/** localStorage key of the workspace picked in the switcher (sent as X-Workspace-Id). */
export const WORKSPACE_KEY = 'nolose.workspace';

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

  /** The workspace requests act in, or null for the user's default (oldest) one. */
  readWorkspace(): string | null {
    try {
      return localStorage.getItem(WORKSPACE_KEY);
    } catch {
      return null;
    }
  }

  writeWorkspace(id: number): void {
    try {
      localStorage.setItem(WORKSPACE_KEY, String(id));
    } catch {
      // Without storage the switcher cannot persist; the default workspace stays.
    }
  }

  write(token: string): void {
    this.memory = token;
    try {
      // A new session starts in the user's default workspace.
      localStorage.removeItem(WORKSPACE_KEY);
      localStorage.setItem(TOKEN_KEY, token);
    } catch {
      // Memory copy above is enough for this tab.
    }
  }

  clear(): void {
    this.memory = null;
    try {
      localStorage.removeItem(TOKEN_KEY);
      localStorage.removeItem(WORKSPACE_KEY);
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
