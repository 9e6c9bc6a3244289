import { provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  ApplicationConfig,
  inject,
  provideAppInitializer,
  provideBrowserGlobalErrorListeners,
  provideZonelessChangeDetection,
} from '@angular/core';
import { provideRouter, withComponentInputBinding, withInMemoryScrolling } from '@angular/router';

import { routes } from './app.routes';
import { authInterceptor } from './core/auth/auth-interceptor';
import { AuthStore } from './core/auth/auth-store';
import { EventsService } from './core/events/events-service';
import { errorInterceptor } from './core/http/error-interceptor';
import { ThemeStore } from './core/layout/theme-store';
import { NewMessageAlerts } from './core/notifications/new-message-alerts';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    provideRouter(
      routes,
      withComponentInputBinding(),
      withInMemoryScrolling({ scrollPositionRestoration: 'top' }),
    ),
    // Order matters: the token is added first, so the error interceptor sees whether a
    // failing request was an authenticated one.
    provideHttpClient(withInterceptors([authInterceptor, errorInterceptor])),
    provideAppInitializer(() => {
      inject(ThemeStore);
      // Not awaited: pages render at once; protected routes wait in authGuard.
      void inject(AuthStore).restore();
      inject(EventsService);
      // Desktop notifications and the tab title's count, on every signed-in page.
      inject(NewMessageAlerts);
    }),
  ],
};
