import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink } from '@angular/router';

import { Logo } from './logo';

/**
 * The page of the screens outside the app shell (sign in, register, an invite link): the
 * logo linking home above one centered card holding the page's content.
 */
@Component({
  selector: 'nl-centered-card',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, Logo],
  template: `
    <div
      class="flex min-h-dvh flex-col items-center justify-center bg-gradient-to-br from-blue-50 to-indigo-100 px-4 py-12 dark:from-gray-900 dark:to-indigo-950"
    >
      <a routerLink="/" class="mb-6 rounded-md"><nl-logo /></a>
      <main class="w-full max-w-md rounded-xl bg-white p-6 shadow-lg sm:p-8 dark:bg-gray-800">
        <ng-content />
      </main>
    </div>
  `,
})
export class CenteredCard {}
