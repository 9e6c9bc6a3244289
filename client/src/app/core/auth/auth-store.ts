import { HttpClient } from '@angular/common/http';
import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';

import { ApiError } from '../http/api-error';
import { TOKEN_KEY, TokenStorage, readTokenExpiry } from './token-storage';
import { LoginResponse, User } from './user.model';

export type SessionStatus = 'loading' | 'signed-in' | 'signed-out';

export const SESSION_EXPIRED_MESSAGE = 'Your session has expired';

/** setTimeout stores its delay in a signed 32-bit integer; longer delays fire at once. */
const MAX_TIMER_DELAY_MS = 2_147_483_647;

/**
 * The operator's session. The token lives in {@link TokenStorage}; the user and status
 * live here in signals. The session ends on logout, on the token's `exp` (a timer, so the
 * page notices before its first failing request) and on a 401 reported by the
 * error interceptor.
 */
@Injectable({ providedIn: 'root' })
export class AuthStore {
  private readonly http = inject(HttpClient);
  private readonly tokens = inject(TokenStorage);
  private readonly router = inject(Router);

  private readonly userState = signal<User | null>(null);
  private readonly statusState = signal<SessionStatus>('loading');
  private readonly tokenState = signal<string | null>(null);
  private readonly noticeState = signal<string | null>(null);

  readonly user = this.userState.asReadonly();
  readonly status = this.statusState.asReadonly();
  /** The current access token while signed in; the live events stream follows it. */
  readonly token = this.tokenState.asReadonly();
  /** Why the operator was signed out, shown on the login page ("Your session has expired"). */
  readonly notice = this.noticeState.asReadonly();
  readonly isSignedIn = computed(() => this.statusState() === 'signed-in');

  private expiryTimer: ReturnType<typeof setTimeout> | undefined;
  private settledWaiters: (() => void)[] = [];

  constructor() {
    const onStorage = (event: StorageEvent): void => this.followOtherTab(event);
    window.addEventListener('storage', onStorage);
    inject(DestroyRef).onDestroy(() => {
      window.removeEventListener('storage', onStorage);
      this.cancelExpiryTimer();
    });
  }

  /** Restores the session from a stored token at start-up (`GET /api/auth/me`). */
  async restore(): Promise<void> {
    const token = this.tokens.read();
    if (!token) {
      this.setSignedOut();
      return;
    }
    if (isExpired(token)) {
      this.tokens.clear();
      this.noticeState.set(SESSION_EXPIRED_MESSAGE);
      this.setSignedOut();
      return;
    }
    this.statusState.set('loading');
    try {
      const user = await firstValueFrom(this.http.get<User>('/api/auth/me'));
      this.startSession(token, user);
    } catch (error: unknown) {
      const apiError = ApiError.from(error);
      if (apiError.status === 401) {
        // The error interceptor has already ended the session with its notice.
        this.expireSession();
      } else {
        // The server is unreachable or failing; keep the token so a reload can resume.
        this.noticeState.set(apiError.message);
        this.setSignedOut();
      }
    }
  }

  /** Resolves once the start-up session check is over (guards wait on it). */
  whenSettled(): Promise<void> {
    if (this.statusState() !== 'loading') {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  /** `POST /api/auth/login`, then loads the user. Rejects with an {@link ApiError}. */
  async signIn(email: string, password: string): Promise<void> {
    try {
      const { access_token } = await firstValueFrom(
        this.http.post<LoginResponse>('/api/auth/login', { email, password }),
      );
      this.tokens.write(access_token);
      const user = await firstValueFrom(this.http.get<User>('/api/auth/me'));
      this.startSession(access_token, user);
    } catch (error: unknown) {
      if (this.statusState() !== 'signed-in') {
        this.tokens.clear();
      }
      throw ApiError.from(error);
    }
  }

  /**
   * `POST /api/auth/register`, then signs in with the same credentials (SPEC). With an
   * invite token the new user joins that team's workspace instead of getting their own.
   */
  async register(
    name: string,
    email: string,
    password: string,
    inviteToken?: string,
  ): Promise<void> {
    const body = inviteToken
      ? { email, password, name, invite_token: inviteToken }
      : { email, password, name };
    try {
      await firstValueFrom(this.http.post<User>('/api/auth/register', body));
    } catch (error: unknown) {
      throw ApiError.from(error);
    }
    await this.signIn(email, password);
  }

  /** `PUT /api/auth/me` with a JSON body `{name}`; the stored user follows the answer. */
  async updateProfile(name: string): Promise<User> {
    try {
      const user = await firstValueFrom(this.http.put<User>('/api/auth/me', { name }));
      this.userState.set(user);
      return user;
    } catch (error: unknown) {
      throw ApiError.from(error);
    }
  }

  /** Logout: forgets the token and returns to the home page. */
  async signOut(): Promise<void> {
    this.clearSession();
    this.noticeState.set(null);
    await this.router.navigateByUrl('/');
  }

  /**
   * Ends the session because the server no longer accepts the token (401) or its `exp`
   * has passed. Runs once: parallel failing requests after the first find it signed out.
   */
  expireSession(): void {
    const previous = this.statusState();
    if (previous === 'signed-out') {
      return;
    }
    const returnUrl = this.router.url;
    this.clearSession();
    this.noticeState.set(SESSION_EXPIRED_MESSAGE);
    // While loading, the guard that waits on the session redirects by itself.
    if (previous === 'signed-in') {
      const queryParams =
        returnUrl && returnUrl !== '/' && !returnUrl.startsWith('/login') ? { returnUrl } : {};
      void this.router.navigate(['/login'], { queryParams });
    }
  }

  clearNotice(): void {
    this.noticeState.set(null);
  }

  private startSession(token: string, user: User): void {
    this.tokenState.set(token);
    this.userState.set(user);
    this.noticeState.set(null);
    this.statusState.set('signed-in');
    this.scheduleExpiry(token);
    this.flushSettledWaiters();
  }

  private clearSession(): void {
    this.cancelExpiryTimer();
    this.tokens.clear();
    this.tokenState.set(null);
    this.userState.set(null);
    this.setSignedOut();
  }

  private setSignedOut(): void {
    this.statusState.set('signed-out');
    this.flushSettledWaiters();
  }

  private flushSettledWaiters(): void {
    const waiters = this.settledWaiters;
    this.settledWaiters = [];
    for (const resolve of waiters) {
      resolve();
    }
  }

  private scheduleExpiry(token: string): void {
    this.cancelExpiryTimer();
    const expiresAt = readTokenExpiry(token);
    if (expiresAt === null) {
      return;
    }
    const delay = expiresAt - Date.now();
    if (delay <= 0) {
      this.expireSession();
      return;
    }
    // Long-lived tokens re-arm the timer instead of overflowing it.
    this.expiryTimer = setTimeout(
      () => {
        if (this.tokenState() === token) {
          this.scheduleExpiry(token);
        }
      },
      Math.min(delay, MAX_TIMER_DELAY_MS),
    );
  }

  private cancelExpiryTimer(): void {
    if (this.expiryTimer !== undefined) {
      clearTimeout(this.expiryTimer);
      this.expiryTimer = undefined;
    }
  }

  /** Logging out in another tab removes the token there; follow it here. */
  private followOtherTab(event: StorageEvent): void {
    if (event.key === TOKEN_KEY && event.newValue === null && this.statusState() === 'signed-in') {
      this.clearSession();
      void this.router.navigateByUrl('/');
    }
  }
}

function isExpired(token: string): boolean {
  const expiresAt = readTokenExpiry(token);
  return expiresAt !== null && expiresAt <= Date.now();
}
