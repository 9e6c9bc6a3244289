import { TestBed } from '@angular/core/testing';
import {
  ActivatedRouteSnapshot,
  Router,
  RouterStateSnapshot,
  UrlTree,
  provideRouter,
} from '@angular/router';

import { authGuard } from './auth-guard';
import { AuthStore } from './auth-store';
import { FakeAuthStore } from './testing/fake-auth-store';

describe('authGuard', () => {
  let auth: FakeAuthStore;

  beforeEach(() => {
    auth = new FakeAuthStore();
    TestBed.configureTestingModule({
      providers: [provideRouter([]), { provide: AuthStore, useValue: auth }],
    });
  });

  function run(url: string): Promise<unknown> {
    return TestBed.runInInjectionContext(
      () =>
        authGuard({} as ActivatedRouteSnapshot, { url } as RouterStateSnapshot) as Promise<unknown>,
    );
  }

  it('waits for the session to load before deciding', async () => {
    let decided = false;
    const result = run('/dashboard').then((r) => {
      decided = true;
      return r;
    });
    await Promise.resolve();
    expect(decided).toBe(false);

    auth.settle('signed-in');
    expect(await result).toBe(true);
  });

  it('lets a signed-in operator through', async () => {
    auth.settle('signed-in');
    expect(await run('/account')).toBe(true);
  });

  it('sends a signed-out visitor to /login with the return url', async () => {
    auth.settle('signed-out');
    const result = await run('/inbox/7');
    expect(result).toBeInstanceOf(UrlTree);
    expect(TestBed.inject(Router).serializeUrl(result as UrlTree)).toBe(
      '/login?returnUrl=%2Finbox%2F7',
    );
  });
});
