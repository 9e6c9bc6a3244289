import { DOCUMENT } from '@angular/common';
import { HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';

import { TokenStorage } from './token-storage';

/** Routes that exchange credentials for a token: a stale token must not ride along. */
const CREDENTIAL_PATHS = new Set(['/api/auth/login', '/api/auth/register']);

/**
 * Adds `Authorization: Bearer <token>` to our own `/api` requests only, so the token never
 * leaks to another origin (media CDNs, Graph API links).
 */
export const authInterceptor: HttpInterceptorFn = (req, next) => {
  const storage = inject(TokenStorage);
  const token = storage.read();
  if (!token) {
    return next(req);
  }
  const path = ownApiPath(req.url, inject(DOCUMENT));
  if (path === null || CREDENTIAL_PATHS.has(path)) {
    return next(req);
  }
  // The workspace picked in the switcher (server: X-Workspace-Id, else the oldest membership).
  const workspace = storage.readWorkspace();
  const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
  if (workspace) {
    headers['X-Workspace-Id'] = workspace;
  }
  return next(req.clone({ setHeaders: headers }));
};

/** The path of a same-origin `/api` URL, or null for anything else. */
function ownApiPath(url: string, document: Document): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url, document.baseURI);
  } catch {
    return null;
  }
  const origin = document.location.origin;
  if (parsed.origin !== origin) {
    return null;
  }
  return parsed.pathname === '/api' || parsed.pathname.startsWith('/api/') ? parsed.pathname : null;
}
