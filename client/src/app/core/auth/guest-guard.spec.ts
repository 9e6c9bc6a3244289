import { TestBed } from '@angular/core/testing';
import {
  ActivatedRouteSnapshot,
  Router,
  RouterStateSnapshot,
  UrlTree,
  provideRouter,
} from '@angular/router';

import { AuthStore } from './auth-store';
import { guestGuard } from './guest-guard';
import { FakeAuthStore } from './testing/fake-auth-store';

describe('guestGuard', () => {
  let auth: FakeAuthStore;

  beforeEach(() => {
    auth = new FakeAuthStore();
    TestBed.configureTestingModule({
      providers: [provideRouter([]), { provide: AuthStore, useValue: auth }],
    });
  });

  function run(): Promise<unknown> {
    return TestBed.runInInjectionContext(
      () =>
        guestGuard(
          {} as ActivatedRouteSnapshot,
          { url: '/login' } as RouterStateSnapshot,
        ) as Promise<unknown>,
    );
  }

  it('sends a signed-in operator to the dashboard', async () => {
    const result = run();
    auth.settle('signed-in');
    const tree = await result;
    expect(tree).toBeInstanceOf(UrlTree);
    expect(TestBed.inject(Router).serializeUrl(tree as UrlTree)).toBe('/dashboard');
  });

  it('lets a visitor see the login and register pages', async () => {
    auth.settle('signed-out');
    expect(await run()).toBe(true);
  });
});
