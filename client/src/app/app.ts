import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import {
  NavigationCancel,
  NavigationEnd,
  NavigationError,
  NavigationStart,
  Router,
  RouterOutlet,
} from '@angular/router';
import { filter, map } from 'rxjs';

import { AuthStore } from './core/auth/auth-store';
import { Spinner } from './shared/ui/spinner';

@Component({
  selector: 'nl-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterOutlet, Spinner],
  templateUrl: './app.html',
})
export class App {
  private readonly auth = inject(AuthStore);

  /** The URL being navigated to, or null once the navigation has ended. */
  private readonly pendingUrl = toSignal(
    inject(Router).events.pipe(
      filter(
        (e) =>
          e instanceof NavigationStart ||
          e instanceof NavigationEnd ||
          e instanceof NavigationCancel ||
          e instanceof NavigationError,
      ),
      map((e) => (e instanceof NavigationStart ? e.url : null)),
    ),
    { initialValue: null },
  );

  /** A protected page waits for the session check (authGuard); show that it is busy. */
  protected readonly sessionLoading = computed(() => {
    const url = this.pendingUrl();
    // The home page is public and needs no session; every other page waits in a guard.
    return url !== null && url !== '/' && this.auth.status() === 'loading';
  });
}
