import { signal } from '@angular/core';

import { SessionStatus } from '../auth-store';
import { User } from '../user.model';

/**
 * A stand-in for AuthStore in guard and page tests: the session is whatever the test
 * sets, and `whenSettled` resolves when the status leaves 'loading'.
 */
export class FakeAuthStore {
  readonly status = signal<SessionStatus>('loading');
  readonly user = signal<User | null>(null);
  readonly token = signal<string | null>(null);
  readonly notice = signal<string | null>(null);
  readonly expireSession = vi.fn(() => this.settle('signed-out'));
  readonly signIn = vi.fn<(email: string, password: string) => Promise<void>>();
  readonly register = vi.fn<(name: string, email: string, password: string) => Promise<void>>();
  readonly updateProfile = vi.fn<(name: string) => Promise<User>>();
  readonly signOut = vi.fn(() => Promise.resolve());

  private waiters: (() => void)[] = [];

  isSignedIn(): boolean {
    return this.status() === 'signed-in';
  }

  whenSettled(): Promise<void> {
    return this.status() === 'loading'
      ? new Promise((resolve) => this.waiters.push(resolve))
      : Promise.resolve();
  }

  settle(status: Exclude<SessionStatus, 'loading'>, user: User | null = null): void {
    this.status.set(status);
    this.user.set(user);
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((resolve) => resolve());
  }
}
